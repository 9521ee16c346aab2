"""Fuzzing the command line: any text in, no traceback out (exit 0, or 2 with one error line)."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from earpiece.cli import app
from earpiece.config import ConfigError, load_settings

# slow: hypothesis over cli processes
pytestmark = [pytest.mark.integration, pytest.mark.slow]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI stays repeatable
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TOKENS = [
    "[/]",
    "[red]",
    "[/red]",
    "[bold]",
    ":heart:",
    "[ko]",
    "\\",
    "{",
    "}",
    '{"text": 1}',
    "\udcff",
    "\ud800",
    "\x00",
    "\n",
    "\r",
    "\t",
    "\u2028",
    "\x85",
    "\x1b[31m",
    "\ufeff",
    "\u200b",
    "𝔘",
    "٣",
    "ｒｅｍｅｍｂｅｒ",
    "-",
    "--help",
    "%s",
    "{name}",
    "remember that my motto is ",
    "what is my motto?",
    "forget everything",
    "remind me to ",
    " in 5 minutes",
    " at 25:99",
    "yes",
    "no",
    "cancel all reminders",
    "안녕",
    "기억해 줘",
    "내일 오전 9시에 알려줘",
    "x" * 500,
]
texts = st.lists(
    st.sampled_from(TOKENS) | st.text(st.characters(exclude_categories=()), max_size=20),
    max_size=6,
).map("".join)


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, nlu_model) -> CliRunner:
    """The CLI in this process, with the (real) NLU model loaded once for all examples."""
    from earpiece.nlu.model import NluModel

    monkeypatch.setattr(NluModel, "load", classmethod(lambda cls, *a, **k: nlu_model))
    return CliRunner()


def check(result, allowed: tuple[int, ...] = (0, 2)) -> None:
    """No traceback; exit 0, or 2 with an `earpiece: error:` line; stdout valid UTF-8."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in allowed, (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert result.stderr.startswith("earpiece: error: "), result.stderr
    result.stdout_bytes.decode("utf-8")  # strict


def _raw(text: str) -> bytes:
    """The text as bytes; its lone surrogates become invalid UTF-8, as a broken file has."""
    return text.encode("utf-8", "surrogatepass")


def json_rows(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout_bytes.decode("utf-8").split("\n")[:-1]]


@FUZZ
@given(batch=st.lists(texts, min_size=1, max_size=4))
def test_nlu_any_texts(runner: CliRunner, batch: list[str]):
    result = runner.invoke(app, ["nlu", "--json", "--", *batch])
    rows = json_rows(result)
    refused = any("error" in row for row in rows)
    assert result.exit_code == (2 if refused else 0)  # all answered; 2 says some were refused
    assert len(rows) == len(batch)
    for number, (text, row) in enumerate(zip(batch, rows, strict=True), start=1):
        assert ("intent" in row) != ("error" in row)
        if "error" in row:
            assert row["line"] == number and any("\ud800" <= c <= "\udfff" for c in text)
    check(runner.invoke(app, ["nlu", "--", *batch]), allowed=(2,) if refused else (0,))


@FUZZ
@given(lines=st.lists(st.binary(max_size=40) | texts.map(_raw), max_size=8))
def test_nlu_jsonl_any_bytes(runner: CliRunner, tmp_path: Path, lines: list[bytes]):
    data = b"\n".join(lines)
    source = tmp_path / "fuzz.jsonl"
    source.write_bytes(data)
    result = runner.invoke(app, ["nlu", "--jsonl", str(source), "--json"])
    expected = sum(1 for raw in data.split(b"\n") if raw.rstrip(b"\r\n").strip())
    rows = json_rows(result)
    refused = any("error" in r for r in rows)
    assert result.exit_code == (2 if refused else 0)
    assert len(rows) == expected
    assert all(("intent" in r) != ("error" in r) for r in rows)
    check(
        runner.invoke(app, ["nlu", "--jsonl", "-"], input=data), allowed=(2,) if refused else (0,)
    )


@FUZZ
@given(text=texts)
def test_chat_once_any_text(runner: CliRunner, text: str):
    result = runner.invoke(app, ["chat", "--once", text, "--json"])
    check(result)
    if result.exit_code == 0:
        assert any("reply" in row for row in json_rows(result))
    check(runner.invoke(app, ["chat", "--once", text]))


@FUZZ
@given(typed=st.lists(texts, max_size=4))
def test_chat_prompt_any_lines(runner: CliRunner, typed: list[str]):
    data = _raw("\n".join(typed))
    result = runner.invoke(app, ["chat"], input=data)
    check(result)
    assert (result.exit_code == 2) == ("earpiece: error: line " in result.stderr)  # refused


def _wav_header(channels: int, rate: int, bits: int, frames: int) -> bytes:
    """A PCM WAV header with any field values (sizes wrap at 32 bits as a broken file's do)."""
    block = channels * max(bits // 8, 1)
    data_size = (frames * block) & 0xFFFFFFFF
    rates = (rate & 0xFFFFFFFF, (rate * block) & 0xFFFFFFFF)
    fmt = struct.pack("<HHIIHH", 1, channels, *rates, block & 0xFFFF, bits)
    riff = struct.pack("<I", (36 + data_size) & 0xFFFFFFFF)
    return (
        b"RIFF"
        + riff
        + b"WAVEfmt "
        + struct.pack("<I", 16)
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
    )


header = st.builds(
    _wav_header,
    st.sampled_from([0, 1, 2, 65535]),
    st.sampled_from([0, 1, 8000, 2**31]),
    st.sampled_from([0, 1, 7, 16, 64]),
    st.sampled_from([0, 1, 2**31]),
)
wav_bytes = st.binary(max_size=200) | st.builds(bytes.__add__, header, st.binary(max_size=64))


@settings(FUZZ, max_examples=25)
@given(data=wav_bytes)
def test_listen_any_file(runner: CliRunner, tmp_path: Path, data: bytes):
    wav = tmp_path / "fuzz.wav"
    wav.write_bytes(data)
    result = runner.invoke(app, ["listen", "--wav", str(wav), "--json"])
    check(result)


TOML_KEYS = [
    "companion",
    "nlu",
    "stt",
    "tts",
    "audio",
    "button",
    "state",
    "speach",
    "name_en",
    "name_ko",
    "timezone",
    "threshold",
    "beam",
    "max_active",
    "rate",
    "grammar",
    "lang",
    "preroll_ms",
    "max_press_s",
    "dir",
    "model",
    "input_device",
]
TOML_VALUES = [
    "true",
    "0",
    "1",
    "-1",
    "1.5",
    "nan",
    "inf",
    "-inf",
    "1e400",
    '""',
    '"[/]"',
    '"ko"',
    '"\\u0000"',
    "[]",
    "[1, [2]]",
    "{a = 1}",
    "1979-05-27T07:32:00Z",
    "0x10",
    '"""\nmulti\n"""',
    "'Asia/Seoul'",
    "'../../etc/passwd'",
]
toml_line = (
    st.sampled_from(TOML_KEYS).map(lambda k: f"[{k}]")
    | st.tuples(st.sampled_from(TOML_KEYS), st.sampled_from(TOML_VALUES)).map(" = ".join)
    | st.text(max_size=20)
)


@settings(FUZZ, max_examples=200)
@given(body=st.lists(toml_line, max_size=8).map("\n".join) | st.binary(max_size=100))
def test_config_loading_any_file(tmp_path: Path, body: str | bytes):
    conf = tmp_path / "fuzz.toml"
    conf.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8", "replace"))
    try:
        load_settings(conf)
    except ConfigError as exc:
        assert str(conf) in str(exc)


@settings(FUZZ, max_examples=15)
@given(body=st.lists(toml_line, max_size=6).map("\n".join))
def test_config_errors_reach_the_cli_as_one_error(runner: CliRunner, tmp_path: Path, body: str):
    conf = tmp_path / "fuzz.toml"
    conf.write_bytes(body.encode("utf-8", "replace"))
    env = {"EARPIECE_STATE_DIR": os.environ["EARPIECE_STATE_DIR"]}
    check(runner.invoke(app, ["chat", "--once", "hello", "--config", str(conf)], env=env))
