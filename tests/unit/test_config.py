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
        capture_output=True, text=True, env=cli_env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "[nlu] threshhold" in proc.stderr and str(bad) in proc.stderr
    assert "Traceback" not in proc.stderr
