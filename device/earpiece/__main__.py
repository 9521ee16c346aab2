"""`python -m earpiece` runs the command line."""

from earpiece.cli import app

app()
