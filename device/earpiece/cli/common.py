"""What every command shares: the common options, one-line errors, loading the settings,
and opening the companion with its store.

`out` and `err` (earpiece.terminal) print strings literally: rich markup is off, so a
person's "[/]" or "[red]" is text. Style goes in Text objects or style=.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from earpiece.config import CONFIG_ENV, STATE_DIR_ENV, ConfigError, Settings, load_settings
from earpiece.terminal import err, error_line

ConfigOpt = Annotated[
    str | None,  # a str, not a Path: Path("") would silently be "." (the current folder)
    typer.Option("--config", envvar=CONFIG_ENV, help="TOML config file.", show_default=False),
]


StateOpt = Annotated[
    str | None,
    typer.Option("--state-dir", envvar=STATE_DIR_ENV, help="State directory.", show_default=False),
]


JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per line.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    err.print(error_line(message))
    return typer.Exit(code)


def settings_from(config: str | Path | None, state_dir: str | Path | None) -> Settings:
    for option, value in (("--config", config), ("--state-dir", state_dir)):
        if value is not None and not str(value).strip():
            raise fail(f"{option} is empty: give a path, or leave the option out")
    try:
        return load_settings(config, state_dir)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def open_companion(settings: Settings):
    from earpiece.clock import ClockError, now_in
    from earpiece.companion.policy import Companion
    from earpiece.companion.replies import RepliesError
    from earpiece.nlu.model import ModelError, NluModel
    from earpiece.store.database import Store, StoreError

    try:
        now_in(settings.companion.timezone)
        store = Store.open(settings.state_dir)
        model = NluModel.load(settings.nlu.model or None, settings.nlu.threshold)
        companion = Companion(store, model, settings)
    except (StoreError, ModelError, ClockError, RepliesError) as exc:
        raise fail(str(exc)) from None
    store_notices(store)
    return companion


def store_notices(store) -> None:
    """Tell the person when opening the store kept a damaged file aside."""
    if store.recovered_from:
        err.print(
            f"earpiece: the state database was corrupt; it was kept as "
            f"{store.recovered_from} and a fresh one started"
        )
    if store.lost:
        err.print(
            f"earpiece: warning: {store.lost.count} acknowledged changes are missing from the "
            f"state database (its write-ahead log was damaged); the files as found were kept as "
            f"{store.lost.kept_as} for recovery"
        )
