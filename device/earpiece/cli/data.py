"""`earpiece train`, `export` and `forget`: the model rebuilt, the person's data taken out or
erased."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from earpiece.cli.common import ConfigOpt, StateOpt, fail, settings_from, store_notices
from earpiece.sync.fleet import is_forgotten
from earpiece.terminal import err, out


def train_cmd(
    data: Annotated[
        Path | None, typer.Option(help="Data folder (default models/nlu/data).")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default models/nlu).")
    ] = None,
    embedding: Annotated[
        bool,
        typer.Option(help="Also feed the sentence encoder's embedding (about +120 MB RSS)."),
    ] = True,
) -> None:
    """Rebuild the NLU model from models/nlu/data (repeatable bit for bit)."""
    from earpiece import paths
    from earpiece.training.build import build
    from earpiece.training.dataset import DataError

    data_dir = data or paths.nlu_dir() / "data"
    target = out_dir or paths.nlu_dir()
    try:
        manifest = build(
            data_dir, target, use_embedding=embedding, say=lambda m: err.print(m, style="dim")
        )
    except (DataError, OSError) as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"NLU model {manifest['model']} ({manifest['bytes'] / 1024:.0f} KiB)")
    for col in ("model", "split", "intent acc", "intent F1", "emotion acc", "emotion F1"):
        table.add_column(col)
    for kind in ("fp32", "int8"):
        for scope, m in manifest["metrics"][kind].items():
            table.add_row(
                kind,
                f"dev/{scope}",
                f"{m['intent']['accuracy']:.3f}",
                f"{m['intent']['macro_f1']:.3f}",
                f"{m['emotion']['accuracy']:.3f}",
                f"{m['emotion']['macro_f1']:.3f}",
            )
    err.print(table)
    err.print(f"wrote {target / manifest['model']} sha256 {manifest['sha256'][:16]}...")
    if cal := manifest.get("calibration"):
        err.print(
            f"calibrated on {cal['held_out_lines']} held-out lines: temperature "
            f"{cal['temperature']}, unknown below {cal['threshold']} (in-scope accuracy "
            f"{cal['in_scope_accuracy']:.3f}, out-of-scope rejected {cal['oos_rejection']:.3f})"
        )


def export_cmd(
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the JSON document.")],
    follow_symlinks: Annotated[
        bool, typer.Option("--follow-symlinks", help="If --out is a symlink, write its target.")
    ] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Write everything the companion holds about you into one JSON file."""
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError, kept_copies

    settings = settings_from(config, state_dir)
    try:
        export.check_target(out_file)  # before the store is read
        store = Store.open(settings.state_dir, recover=False)  # never export a fresh start
        store_notices(store)
        doc = export.document(store)
        store.close()
        export.write(doc, out_file, allow_symlink=follow_symlinks)
    except (StoreError, export.ExportError, OSError) as exc:
        raise fail(str(exc)) from None
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    err.print(f"wrote {out_file}: {counts}")
    kept = [p.name for p in kept_copies(settings.state_dir)]
    kept = [name for name in kept if not name.endswith(("-wal", "-shm"))]
    if kept:
        err.print(
            f"earpiece: not in the export: {len(kept)} damaged copies kept aside "
            f"({', '.join(kept)}); `forget --yes` removes them"
        )


def forget(
    yes: Annotated[bool, typer.Option("--yes", help="Really erase everything.")] = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Erase everything the companion remembers (kept-aside copies and audio too), then prove it."""
    from earpiece.speech.tts import remove_leftover_audio
    from earpiece.store import export
    from earpiece.store.database import Store, StoreError, kept_copies

    settings = settings_from(config, state_dir)
    asked = yes or (sys.stdin.isatty() and typer.confirm("Erase everything the companion knows?"))
    if not asked:
        raise fail("nothing erased; pass --yes to erase everything")
    try:
        store = Store.open(settings.state_dir)
        if settings.sync is None:
            store.erase_all()
        else:  # a tombstone makes the home server and the other devices forget too
            from earpiece.sync.client import forget_synced

            if notice := forget_synced(store, settings.sync):
                err.print(f"earpiece: {notice}")
        doc = export.document(store)
        store.close()
        removed = kept_copies(settings.state_dir)
        for path in removed:
            path.unlink(missing_ok=True)
    except (StoreError, OSError) as exc:
        raise fail(str(exc)) from None
    audio = remove_leftover_audio()
    left = not export.is_empty(doc) and not (settings.sync and is_forgotten(doc))
    if left or kept_copies(settings.state_dir):
        raise fail("erase did not leave the store empty; please report this")
    counts = ", ".join(f"{len(doc[t])} {t}" for t in export.PERSONAL)
    out.print(f"erased. A fresh export holds {doc['events']} events, {counts}.")
    if removed or audio:
        out.print(
            f"Also removed {len(removed)} kept-aside database files and "
            f"{audio} temporary audio files."
        )
