"""Terminal output for the command line: text is printed as text, JSON lines as valid UTF-8.

Both consoles have rich markup and emoji codes switched off, so a person's words
("a [/] b", "[red]", ":heart:") are printed exactly as said and can never raise a
MarkupError; style is given with `Text` objects or `style=`. Control characters in
printed strings (an ESC sequence in a file name) are shown, not sent to the terminal.
A failed write (a closed pipe, a full disk behind `>`) ends the command with one
`earpiece: error:` line instead of a traceback; what was stored before printing stays.
"""

from __future__ import annotations

import errno
import json
import os
import re
import sys
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.text import Text

OUTPUT_FAILED = 2
"""Exit code when stdout cannot be written (the same code as every other clear error)."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without lone surrogates (undecodable bytes), each replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _has_surrogates(text) else text


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` for a terminal: control characters (ESC too) shown as \\xNN, never obeyed."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", clean(text))


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _silence(stream) -> None:
    """Point a broken stream's file descriptor at /dev/null so exit-time flushes cannot fail."""
    if stream is None:
        return
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture output in memory)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


def output_failed(exc: OSError) -> NoReturn:
    """Stdout cannot be written: say so once on stderr and stop with a clear exit code."""
    _silence(sys.stdout)
    reason = exc.strerror or str(exc)
    try:
        err.print(error_line(f"cannot write to standard output ({reason})"))
    except OSError:
        _silence(sys.stderr)
    raise typer.Exit(OUTPUT_FAILED)


class _LiteralConsole(Console):
    """A rich Console that prints strings literally and turns write failures into an exit."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        try:
            super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **kwargs)
        except OSError as exc:
            del self._buffer[:]  # what failed is dropped, not written by the next print
            if self.stderr:
                _silence(sys.stderr)  # nowhere left to say it
                return
            output_failed(exc)

    def on_broken_pipe(self) -> None:
        """The reader went away: the same one-line error as any failed write. Overrides rich's
        Console.on_broken_pipe, which rich calls itself (its own would exit 1)."""
        if self.stderr:
            _silence(sys.stderr)
            raise typer.Exit(OUTPUT_FAILED)
        output_failed(BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)))


out = _LiteralConsole(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = _LiteralConsole(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)


def tolerate_unencodable() -> None:
    """Output replaces what its encoding cannot hold; input keeps bad bytes for a clear error."""
    for stream, errors in (
        (sys.stdout, "replace"),
        (sys.stderr, "replace"),
        (sys.stdin, "surrogateescape"),
    ):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=errors)


def error_line(message: str) -> Text:
    """`earpiece: error: <message>`, the prefix in bold red, the message exactly as given."""
    return Text.assemble(("earpiece: error:", "bold red"), " ", printable(message))


def emit(obj: dict) -> None:
    """Write one JSON object as one line of UTF-8 (any undecodable text becomes U+FFFD)."""
    line = json.dumps(obj, ensure_ascii=False)
    if _has_surrogates(line):
        line = json.dumps(_cleaned(obj), ensure_ascii=False)
    data = (line + "\n").encode("utf-8")
    if sys.stdout is None:  # started with stdout closed
        output_failed(OSError(errno.EBADF, "it is closed"))
    try:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            buffer.write(data)
            buffer.flush()
        sys.stdout.flush()
    except OSError as exc:
        output_failed(exc)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value
