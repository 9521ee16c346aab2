"""`earpiece sync ...`: the device side of sync with the person's own home server."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from earpiece.cli.common import ConfigOpt, JsonOpt, StateOpt, fail, settings_from
from earpiece.terminal import emit, out

if TYPE_CHECKING:
    from earpiece.sync.client import SyncClient


sync_app: typer.Typer = typer.Typer(
    help="Sync with your own home server over MQTT (config section: sync).", no_args_is_help=True
)


TimeoutOpt = Annotated[float, typer.Option("--timeout", help="Give up after this many seconds.")]


def _client(config: str | Path | None, state_dir: str | Path | None) -> SyncClient:
    from earpiece.store.database import Store, StoreError
    from earpiece.sync.client import SyncClient
    from earpiece.sync.crypto import E2eError
    from earpiece.sync.link import SyncError

    settings = settings_from(config, state_dir)
    if settings.sync is None:
        raise fail(
            f"{settings.source}: no [sync] section, so sync is off; add one "
            "(see docs/sync.md) or pass --config"
        )
    try:
        store = Store.open(settings.state_dir)
        return SyncClient(store, settings.sync)
    except StoreError as exc:
        raise fail(str(exc)) from None
    except (SyncError, E2eError) as exc:
        raise fail(f"{settings.source}: {exc}") from None


def _show(status: dict, as_json: bool) -> None:
    if as_json:
        emit(status)
        return
    state = "connected" if status["connected"] else "not connected"
    out.print(
        f"{state}; {status['pending']} events waiting for the home; home has up to "
        f"#{status['acked_seq']} (last ack {status['last_ack_at'] or 'never'})"
    )
    if status.get("error"):
        out.print(f"  {status['error']}")
    if status.get("dropped"):
        out.print(f"  dropped: {json.dumps(status['dropped'])}")


@sync_app.command("status")
def status_cmd(
    as_json: JsonOpt = False, config: ConfigOpt = None, state_dir: StateOpt = None
) -> None:
    """Connected?, events not yet persisted at home, and the last ack."""
    from earpiece.sync.client import check_broker

    client = _client(config, state_dir)
    settings = settings_from(config, state_dir)
    assert settings.sync is not None
    ok, why = check_broker(settings.sync, timeout_s=5)
    status = client.status().to_dict()
    status["connected"], status["error"] = ok, ("" if ok else why)
    client.close()
    _show(status, as_json)
    if not ok:  # scripts and `systemctl` checks can tell: 1, as `sync now` not done
        raise typer.Exit(1)


@sync_app.command("now")
def now_cmd(
    timeout: TimeoutOpt = 30.0,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """Send everything waiting and take in the other devices' changes; wait until done."""
    client = _client(config, state_dir)
    with client:
        done = client.drain(timeout)
        status = client.status().to_dict()
    client.store.close()
    _show(status, as_json)
    if not done:
        raise fail(f"not done within {timeout:g} s: {status['error'] or 'no ack from home'}", 1)


@sync_app.command("restore")
def restore_cmd(
    timeout: TimeoutOpt = 120.0,
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
) -> None:
    """A new device: pull everything of its user from the home server."""
    from earpiece.store.export import PERSONAL

    client = _client(config, state_dir)
    with client:
        done = client.restore(timeout)
        status = client.status().to_dict()
    counts = {t: client.store.count(t) for t in PERSONAL}
    client.store.close()
    if as_json:
        emit({**status, "restored": done, "rows": counts})
    else:
        out.print("restored: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
    if not done:
        raise fail(f"restore not finished within {timeout:g} s; run it again", 1)


@sync_app.command("run")
def run_cmd(config: ConfigOpt = None, state_dir: StateOpt = None) -> None:
    """Keep syncing until stopped (beside a device runtime that does not sync itself)."""
    client = _client(config, state_dir)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with client:
        try:
            while not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
    client.store.close()


@sync_app.command("keygen")
def keygen_cmd() -> None:
    """Print a new end-to-end key (base64); put it in a file named by e2e_key_file
    in the sync section on every device of the person, and nowhere else."""
    from earpiece.sync.crypto import new_key

    sys.stdout.write(new_key() + "\n")
