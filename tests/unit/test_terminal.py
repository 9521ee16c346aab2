"""Terminal output: a person's text prints as itself, JSON lines are always valid UTF-8."""

from __future__ import annotations

import io
import json

import pytest
import typer

from earpiece import terminal

MARKUP = ["a [/] b", "[red]x[/red]", "[bold]", ":heart:", "[ko] [/ko] [link=x]y"]


def capture(monkeypatch: pytest.MonkeyPatch) -> tuple[io.BytesIO, io.BytesIO]:
    """stdout and stderr as byte buffers behind text wrappers, as a real process has.

    Called inside the test body: pytest resets sys.stdout between fixture setup and the call.
    """
    raw_out, raw_err = io.BytesIO(), io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(raw_out, encoding="utf-8"))
    monkeypatch.setattr("sys.stderr", io.TextIOWrapper(raw_err, encoding="utf-8"))
    return raw_out, raw_err


@pytest.mark.parametrize("text", MARKUP)
def test_user_text_prints_literally_on_both_consoles(monkeypatch: pytest.MonkeyPatch, text: str):
    captured = capture(monkeypatch)
    terminal.out.print(text)
    terminal.err.print(f"* {text}", style="bold")
    terminal.err.print(terminal.error_line(text))
    out, err = (raw.getvalue().decode("utf-8") for raw in captured)
    assert out == text + "\n"
    assert err == f"* {text}\nearpiece: error: {text}\n"


def test_emit_turns_undecodable_text_into_replacement_characters(monkeypatch):
    captured = capture(monkeypatch)
    terminal.emit({"text": "hi \udcff", "slots": {"k\ud800": ["\udcfe", 1]}, "ok": "한국어"})
    line = captured[0].getvalue().decode("utf-8")  # strict: raises on any invalid byte
    assert json.loads(line) == {
        "text": "hi \ufffd",
        "slots": {"k\ufffd": ["\ufffd", 1]},
        "ok": "한국어",
    }


class _Full(io.RawIOBase):
    """A file that fails every write like /dev/full."""

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        raise OSError(28, "No space left on device")


@pytest.mark.parametrize("write", [lambda: terminal.out.print("x"), lambda: terminal.emit({})])
def test_a_failed_write_is_one_error_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, write):
    raw_err = io.BytesIO()
    monkeypatch.setattr("sys.stdout", io.TextIOWrapper(io.BufferedWriter(_Full()), "utf-8"))
    monkeypatch.setattr("sys.stderr", io.TextIOWrapper(raw_err, encoding="utf-8"))
    with pytest.raises(typer.Exit) as info:
        write()
    assert info.value.exit_code == 2
    message = raw_err.getvalue().decode()
    assert message == "earpiece: error: cannot write to standard output (No space left on device)\n"


def test_clean_keeps_good_text_and_replaces_only_surrogates():
    assert terminal.clean("안녕 [/]") == "안녕 [/]"
    assert terminal.clean("a\udcffb\ud800") == "a\ufffdb\ufffd"


def test_control_characters_are_shown_not_obeyed(monkeypatch: pytest.MonkeyPatch):
    captured = capture(monkeypatch)
    terminal.out.print("a\x1b[2Jb\x00c\x9bd\ttab")
    terminal.err.print(terminal.error_line("name\x1b]0;title\x07"))
    out, err = (raw.getvalue().decode("utf-8") for raw in captured)
    assert "\x1b" not in out + err and "\x00" not in out and "\x9b" not in out
    assert out.startswith("a\\x1b[2Jb\\x00c\\x9bd")
    assert err == "earpiece: error: name\\x1b]0;title\\x07\n"
