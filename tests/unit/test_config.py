"""Config: defaults documented in firmware_config/, wrong keys named with their file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from earpiece.config import ConfigError, Settings, load_settings
from tests.conftest import ROOT, earpiece_cmd


def test_shipped_defaults_file_matches_the_code_defaults(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("EARPIECE_STATE_DIR")
    shipped = load_settings(ROOT / "firmware_config" / "earpiece.toml")
    assert shipped.model_dump() == Settings().model_dump()


def test_no_file_means_defaults():
    settings = load_settings(None)
    assert settings.companion.name_ko == "사만다"
    assert settings.source == "<defaults>"


def test_unknown_key_names_the_key_the_section_and_the_file(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nlu]\nthreshhold = 0.3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    message = str(info.value)
    assert str(bad) in message
    assert "[nlu] threshhold" in message
    assert "unknown key" in message and "threshold" in message


def test_wrong_type_and_range_are_explained(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[companion]\nspeech_level = "formal"\n[nlu]\nthreshold = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    message = str(info.value)
    assert "[companion] speech_level" in message and "'formal'" in message
    assert "[nlu] threshold" in message and "less than 1" in message


def test_unknown_section_is_named(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[speach]\nrate = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="speach: unknown key"):
        load_settings(bad)


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"[nlu\n", "not valid TOML"), (b"\xff\xfe\x00junk", "cannot read")],
)
def test_unreadable_files_say_why(tmp_path: Path, content: bytes, expected: str):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(content)
    with pytest.raises(ConfigError, match=expected):
        load_settings(bad)


def test_missing_file_is_named(tmp_path: Path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "nope.toml")


def test_state_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    conf = tmp_path / "c.toml"
    conf.write_text(f'[state]\ndir = "{tmp_path / "from_file"}"\n', encoding="utf-8")
    monkeypatch.delenv("EARPIECE_STATE_DIR")
    assert load_settings(conf).state_dir == tmp_path / "from_file"
    monkeypatch.setenv("EARPIECE_STATE_DIR", str(tmp_path / "from_env"))
    assert load_settings(conf).state_dir == tmp_path / "from_env"
    assert load_settings(conf, tmp_path / "from_flag").state_dir == tmp_path / "from_flag"


def test_cli_reports_a_bad_config_without_a_traceback(tmp_path: Path, cli_env: dict[str, str]):
    bad = tmp_path / "bad.toml"
    bad.write_text("[nlu]\nthreshhold = 0.3\n", encoding="utf-8")
    proc = subprocess.run(
        [*earpiece_cmd(), "nlu", "hello", "--config", str(bad)],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "[nlu] threshhold" in proc.stderr and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr


# Bounded input and strict types (issue 7 item 10).


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path):
    from earpiece.config import MAX_CONFIG_BYTES

    big = tmp_path / "big.toml"
    big.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="larger than 64 KiB") as info:
        load_settings(big)
    assert str(big) in str(info.value)


def test_a_file_at_the_limit_is_still_read(tmp_path: Path):
    from earpiece.config import MAX_CONFIG_BYTES

    ok = tmp_path / "ok.toml"
    body = "[tts]\nrate = 200\n"
    ok.write_text(body + "#" * (MAX_CONFIG_BYTES - len(body)), encoding="utf-8")
    assert load_settings(ok).tts.rate == 200


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "not a regular file"), ("/dev/null", "not a regular file")]
)
def test_a_device_is_a_clear_error_at_once(path: str, kind: str):
    with pytest.raises(ConfigError, match=kind) as info:
        load_settings(path)
    assert path in str(info.value)


def test_a_directory_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(tmp_path)


def test_a_fifo_is_a_clear_error_and_is_not_opened(tmp_path: Path):
    import os

    fifo = tmp_path / "conf.toml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="not a regular file"):
        load_settings(fifo)  # opening it would block forever: no writer


@pytest.mark.parametrize("depth", [100_000, 30_000, 2_000])
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(tmp_path: Path, depth: int):
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(deep)
    assert str(deep) in str(info.value)
    assert any(why in str(info.value) for why in ("nest too deep", "larger than 64 KiB"))


@pytest.mark.parametrize(
    ("section", "key", "value", "shown"),
    [
        ("tts", "rate", "true", "true"),
        ("stt", "beam", "true", "true"),
        ("stt", "grammar", "1", "1"),
        ("stt", "grammar", '"yes"', "'yes'"),
        ("stt", "max_active", "1000.0", "1000.0"),
        ("nlu", "threshold", "false", "false"),
        ("button", "max_press_s", "true", "true"),
        ("companion", "name_en", "5", "5"),
    ],
)
def test_strict_types_name_the_file_and_the_key(tmp_path: Path, section, key, value, shown):
    bad = tmp_path / "bad.toml"
    bad.write_text(f"[{section}]\n{key} = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    message = str(info.value)
    assert str(bad) in message and f"[{section}] {key}" in message and f"(got {shown})" in message


def test_an_integer_is_still_a_fine_float(tmp_path: Path):
    conf = tmp_path / "c.toml"
    conf.write_text("[stt]\nbeam = 8\n[button]\nmax_press_s = 20\n", encoding="utf-8")
    settings = load_settings(conf)
    assert settings.stt.beam == 8.0 and settings.button.max_press_s == 20.0


def test_a_huge_bad_value_is_shown_short(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(f'[tts]\nrate = "{"x" * 50_000}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tts\] rate") as info:
        load_settings(bad)
    assert len(str(info.value)) < 400


def test_cli_names_a_device_config_without_a_traceback(cli_env: dict[str, str]):
    proc = subprocess.run(
        [*earpiece_cmd(), "nlu", "hello", "--config", "/dev/zero"],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("earpiece: error: /dev/zero: is not a regular file")
    assert "Traceback" not in proc.stderr
