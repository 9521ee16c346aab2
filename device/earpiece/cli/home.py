"""`earpiece home` (the home server, and its page with --web) and `earpiece home-password`."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path
from typing import Annotated

import typer

from earpiece.cli.common import ConfigOpt, fail, settings_from
from earpiece.home_web.passwords import hash_password
from earpiece.terminal import emit, err


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
    from earpiece.sync.home import Home
    from earpiece.sync.homedb import HomeDb, HomeDbError
    from earpiece.sync.homedb import export_user as export_doc
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


MIN_LENGTH = 10


def home_password_command(
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the password from the first line of stdin.")
    ] = False,
) -> None:
    """Ask for the home page's password; print its scrypt hash (web_password_hash)."""
    if stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt(
            "Password for the home page", hide_input=True, confirmation_prompt=True
        )
    if len(password) < MIN_LENGTH:
        raise fail(f"the password is too short: use at least {MIN_LENGTH} characters")
    sys.stdout.write(
        "# put this line in the [home] section of the home config:\n"
        f'web_password_hash = "{hash_password(password)}"\n'
    )
