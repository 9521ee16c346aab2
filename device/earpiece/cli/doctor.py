"""`earpiece doctor` (each part checked, with its fix) and `earpiece bench` (the measurements)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from earpiece.cli.common import ConfigOpt, JsonOpt, StateOpt, fail, settings_from
from earpiece.terminal import emit, err, out


def bench(
    names: Annotated[
        list[str] | None, typer.Argument(help="nlu, turn, voice, footprint (default: all).")
    ] = None,
) -> None:
    """Run the benchmarks and print their tables (benchmarks/README.md is updated too)."""
    import subprocess

    from earpiece import paths

    runner = paths.project_root() / "benchmarks" / "run.py"
    if not runner.is_file():
        raise fail("the benchmarks live in the source checkout (benchmarks/run.py), not found here")
    raise typer.Exit(subprocess.call([sys.executable, str(runner), *(names or [])]))


def doctor(
    as_json: JsonOpt = False,
    config: ConfigOpt = None,
    state_dir: StateOpt = None,
    light: Annotated[
        bool,
        typer.Option("--light", help="Load no model (always so beside a running service)."),
    ] = False,
) -> None:
    """Check Python, packages, models, voices, service, memory, power, Bluetooth, audio, GPIO,
    state, clock and sync; say the fix."""
    from earpiece.doctor import Status, checks, failed, service_running

    settings = settings_from(config, state_dir)
    if not light and service_running():
        light = True  # the models again beside the service's own could exhaust a small board
        err.print("earpiece: the earpiece service is running: light checks (no model loaded)")
    found = []
    for check in checks(settings, light):
        found.append(check)
        if as_json:
            emit(check.to_dict())
    if not as_json:
        table = Table(title="earpiece doctor")
        for col in ("check", "status", "detail", "fix"):
            table.add_column(col, overflow="fold")
        colour = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "red"}
        for c in found:  # plain strings print literally (markup is off)
            table.add_row(c.name, Text(c.status.value, colour[c.status]), c.detail, c.fix)
        out.print(table)
    if failed(found):
        raise typer.Exit(1)
