"""The `earpiece sync ...` commands and `earpiece home`, registered by cli.py."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from earpiece.cli import ConfigOpt, JsonOpt, StateOpt, emit, err, fail, out, settings_from

if TYPE_CHECKING:
    from earpiece.config import SyncSettings
    from earpiece.store.database import Store
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


def home_command(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="The home's SQLite database file (default: home.sqlite3 in the state dir)."
        ),
    ] = None,
    export_user: Annotated[
        str | None, typer.Option("--export-user", help="Write this user's export and exit.")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Where --export-user writes (default stdout).")
    ] = None,
    e2e_key_file: Annotated[
        Path | None, typer.Option("--e2e-key-file", help="The user's key, for --export-user.")
    ] = None,
    config: ConfigOpt = None,
    web: Annotated[
        str | None,
        typer.Option(
            "--web", help="Also serve the home page on HOST:PORT (or set web in the home config)."
        ),
    ] = None,
) -> None:
    """The home server: store every device's events, ack, fan out, answer restores."""
    from earpiece.sync.home import Home, HomeDb, HomeDbError
    from earpiece.sync.home import export_user as export_doc
    from earpiece.sync.link import SyncError

    settings = settings_from(config, None)
    if db is None:  # the default: in the state dir, made (private) when missing
        db = settings.state_dir / "home.sqlite3"
        db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if export_user is not None:
        from earpiece.store import export

        try:
            home_db = HomeDb(db)
        except HomeDbError as exc:
            raise fail(str(exc)) from None
        try:
            doc = export_doc(home_db, export_user, e2e_key_file)
        except SyncError as exc:
            raise fail(str(exc)) from None
        finally:
            home_db.close()
        if out_file:
            try:
                export.write(doc, out_file)
            except (export.ExportError, OSError) as exc:
                raise fail(str(exc)) from None
            err.print(f"wrote {out_file}")
        else:
            emit(doc)
        return
    if settings.home is None:
        raise fail(
            f"{settings.source}: no [home] section; pass --config with one "
            "(deploy/home/earpiece-home-setup init writes home.toml)"
        )
    page = _web_options(settings, web)
    try:
        home = Home(db, settings.home)
    except HomeDbError as exc:
        raise fail(str(exc)) from None
    except SyncError as exc:
        raise fail(f"{settings.source}: {exc}") from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    err.print(f"earpiece home: {home.link.login.where}, database {db}")
    with home:
        try:
            if page:
                from earpiece.home_web.serve import serve

                scheme = "https" if page[0].tls else "http"
                err.print(
                    f"earpiece home: page for {page[0].user} on "
                    f"{scheme}://{page[0].host}:{page[1]}/"
                )
                serve(home, settings.home, *page)
            while not page and not stop.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        err.print(
            f"earpiece home: stored {home.stored} events; dropped "
            f"{json.dumps(home.counters.snapshot())}"
        )


def forget_synced(store: Store, sync_settings: SyncSettings) -> None:
    """`earpiece forget` with sync on: erase here, log a tombstone, and try for a few seconds
    to hand it to the home (which fans it out); otherwise the next sync delivers it."""
    from earpiece.sync.client import SyncClient
    from earpiece.sync.crypto import E2eError
    from earpiece.sync.fleet import forget_everywhere
    from earpiece.sync.link import SyncError

    forget_everywhere(store)
    try:
        client = SyncClient(store, sync_settings)
    except (SyncError, E2eError) as exc:
        err.print(f"earpiece: {exc}; the home forgets at the next sync")
        return
    with client:
        delivered = client.drain(10.0)
    if not delivered:
        err.print(
            "earpiece: the home server was not reached; it and your other devices "
            "forget at the next sync"
        )


def _web_options(settings, web: str | None):
    """(options, port) of the home page when --web or [home] web asks for one, else None."""
    address = web or (settings.home.web if settings.home else "")
    if not address:
        return None
    from earpiece.home_web.serve import WebConfigError, options_from

    try:
        return options_from(settings.home, address, settings.source)
    except WebConfigError as exc:
        raise fail(str(exc)) from None
