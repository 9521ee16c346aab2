"""`earpiece home-password`: the hash to put in [home] web_password_hash."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from earpiece.cli import fail
from earpiece.home_web.passwords import hash_password

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
