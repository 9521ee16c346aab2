"""The `earpiece` command line: `app` and its commands, one module per command group.

common.py holds what every command shares (options, one-line errors, settings); lines.py reads
texts; the commands live in device.py (run, chat), voice.py (turn, listen), nlu.py, data.py
(train, export, forget), sync.py, home.py (home, home-password) and doctor.py (doctor, bench).
Domain logic stays in its own room; a command only parses, calls and prints.
"""

from __future__ import annotations

import typer

from earpiece.cli import data, device, doctor, home, nlu, sync, voice
from earpiece.terminal import tolerate_unencodable

app = typer.Typer(
    help="Earpiece: an offline pocket companion that hears, understands, remembers and speaks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _setup() -> None:
    """Earpiece: an offline pocket companion that hears, understands, remembers and speaks."""
    import logging

    tolerate_unencodable()
    logging.basicConfig(level=logging.WARNING, format="earpiece: %(levelname)s: %(message)s")


app.callback()(_setup)
app.command()(nlu.nlu)
app.command("train")(data.train_cmd)
app.command()(device.chat)
app.command("export")(data.export_cmd)
app.command()(data.forget)
app.command()(voice.turn)
app.command()(voice.listen)
app.command()(device.run)
app.command("dead-signal", hidden=True)(device.dead_signal)
app.command()(doctor.bench)
app.command()(doctor.doctor)
app.add_typer(sync.sync_app, name="sync")
app.command("home")(home.home_command)
app.command("home-password")(home.home_password_command)
