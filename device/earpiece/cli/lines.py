"""Reading what a person gives the commands: JSONL files, piped lines (bounded) and typed
ones, each checked to be text."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator

from earpiece.cli.common import fail
from earpiece.terminal import err, error_line, out

MAX_JSONL_LINE = 64 * 1024
"""Longest JSONL line read (bytes); a longer one is reported as an error and skipped."""


MAX_JSONL_SKIP = 16 * 1024 * 1024
"""How far past the limit a too-long line is skipped before reading stops altogether."""


def text_problem(text: str, from_bytes: bool = True) -> str | None:
    """Why `text` is not text (undecodable bytes, a lone surrogate), or None when it is.

    `from_bytes`: the text was decoded by Python (argv, stdin), which keeps each byte it
    cannot decode as a surrogate U+DC80-U+DCFF; JSON escapes ("\\udcff") are just surrogates.
    """
    for index, char in enumerate(text):
        if "\ud800" <= char <= "\udfff":
            if from_bytes and "\udc80" <= char <= "\udcff":
                return f"not valid UTF-8 (byte 0x{ord(char) - 0xDC00:02x} at character {index})"
            return f"a lone surrogate U+{ord(char):04X} at character {index}"
    return None


def _raw_lines(handle) -> Iterator[bytes | None]:
    """Each line of a binary stream without its ending; None for a line over MAX_JSONL_LINE."""
    while line := handle.readline(MAX_JSONL_LINE + 1):
        if len(line) <= MAX_JSONL_LINE or line.endswith(b"\n"):
            yield line.rstrip(b"\r\n")
            continue
        skipped = len(line)
        while line and not line.endswith(b"\n"):
            if skipped > MAX_JSONL_SKIP:
                raise fail(f"a line longer than {MAX_JSONL_SKIP // 2**20} MiB; stopped reading")
            line = handle.readline(MAX_JSONL_LINE)
            skipped += len(line)
        yield None


def _jsonl_line(number: int, raw: bytes | None) -> tuple[str | None, str | None]:
    """(text, error) for one JSONL line: a plain line is the text, {"text": ...} holds it."""
    if raw is None:
        return None, f"line {number}: longer than {MAX_JSONL_LINE // 1024} KiB, skipped"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        return None, f"line {number}: not valid UTF-8 (byte 0x{bad:02x} at offset {exc.start})"
    if number == 1:
        line = line.removeprefix("\ufeff")
    if not line.lstrip().startswith("{"):
        text = line
    else:
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
        except RecursionError:
            return None, f'line {number}: expected {{"text": ...}} (nested too deeply)'
        except (ValueError, KeyError, TypeError) as exc:
            return None, f'line {number}: expected {{"text": ...}} ({exc})'
    problem = text_problem(text, from_bytes=False)  # the bytes were decoded strictly above
    return (None, f"line {number}: {problem}") if problem else (text, None)


def jsonl_texts(source: str) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text, error) for each non-empty line of a JSONL file or stdin."""
    try:
        handle = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    except OSError as exc:
        raise fail(f"{source}: cannot read ({exc.strerror})") from None
    with handle:
        try:
            for number, raw in enumerate(_raw_lines(handle), start=1):
                if raw is not None and not raw.strip():
                    continue
                text, problem = _jsonl_line(number, raw)
                yield number, text, problem
        except OSError as exc:
            raise fail(f"{source}: cannot read ({exc.strerror})") from None


def typed_lines(interactive: bool, skipped: list[int] | None = None) -> Iterator[str]:
    """What is typed (a terminal) or piped in (bounded lines), up to the end of input.

    A piped line that is too long, or not UTF-8, is reported on stderr and skipped (its
    number added to `skipped`).
    """
    if interactive:
        while True:
            try:
                yield input("> ")
            except (EOFError, KeyboardInterrupt):
                return
    try:
        for number, raw in enumerate(_raw_lines(sys.stdin.buffer), start=1):
            if raw is None:
                err.print(error_line(f"line {number}: longer than {MAX_JSONL_LINE // 1024} KiB"))
                if skipped is not None:
                    skipped.append(number)
                continue
            line = raw.decode("utf-8", "surrogateescape")
            if problem := text_problem(line):
                err.print(error_line(f"line {number}: {problem}; skipped"))
                if skipped is not None:
                    skipped.append(number)
                continue
            yield line
    except KeyboardInterrupt:
        return


def prompt_lines(answer: Callable[[str], None]) -> int:
    """Answer typed (or piped) lines until the end; how many were refused."""
    interactive = sys.stdin.isatty()
    if interactive:
        out.print("Type an utterance in Korean or English (Ctrl-D to quit).")
    refused: list[int] = []
    for line in typed_lines(interactive, refused):
        if line.strip():
            if problem := text_problem(line):  # typed at a terminal (piped ones are checked)
                err.print(error_line(problem))
                continue
            answer(line)
    return 0 if interactive else len(refused)
