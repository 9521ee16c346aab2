"""`earpiece doctor` against a good setup and broken ones: PASS/WARN/FAIL, a fix, no harm done."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from earpiece import doctor
from earpiece.config import load_settings
from earpiece.doctor import Status
from tests.conftest import ROOT, earpiece_cmd

# slow: the full doctor loads every model, per test
pytestmark = [pytest.mark.integration, pytest.mark.slow]

NLU_DIR = ROOT / "models" / "nlu"


def run_doctor(env: dict[str, str], *args: str) -> tuple[int, list[dict], str]:
    proc = subprocess.run(
        [*earpiece_cmd(), "doctor", "--json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    return proc.returncode, [json.loads(line) for line in proc.stdout.splitlines()], proc.stderr


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {row["check"]: row for row in rows}


def make_state(state: Path) -> None:
    from earpiece.store.database import Change, Store

    store = Store.open(state)
    store.commit([Change("facts.put", "fact:1", {"text": "I love jazz"})])
    store.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def write_config(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_good_setup_passes_and_every_warning_has_a_fix(cli_env: dict[str, str], tmp_path: Path):
    state = tmp_path / "state"
    make_state(state)
    before = snapshot(state)
    code, rows, stderr = run_doctor(cli_env)
    checks = by_name(rows)
    assert code == 0, rows
    assert "Traceback" not in stderr
    for name in (
        "config",
        "python",
        "packages",
        "NLU model",
        "speech model",
        "speech output",
        "GPIO",
        "state",
        "clock",
        "sync",
    ):
        assert name in checks, name
    assert {"microphone", "earpiece"} <= checks.keys() or "audio" in checks
    for row in rows:
        assert row["status"] in ("PASS", "WARN"), row
        assert row["status"] == "PASS" or row["fix"], row  # every non-PASS says what to do
    assert "sha256 matches" in checks["NLU model"]["detail"]
    assert "loads, language ko" in checks["speech model"]["detail"]
    assert "integrity ok, 1 events" in checks["state"]["detail"]
    assert "onnxruntime" in checks["packages"]["detail"]
    assert checks["sync"] == {
        "check": "sync",
        "status": "PASS",
        "fix": "",
        "detail": "not configured: everything stays on this device",
    }
    assert snapshot(state) == before  # read-only: no -wal, no -shm, nothing moved


def test_broken_setup_fails_with_fixes_and_touches_nothing(cli_env: dict[str, str], tmp_path: Path):
    models = tmp_path / "nlu"
    models.mkdir()
    for name in ("earpiece-nlu.int8.onnx", "manifest.json"):
        shutil.copy(NLU_DIR / name, models / name)
    model = models / "earpiece-nlu.int8.onnx"
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    model.write_bytes(bytes(data))
    state = tmp_path / "state"
    state.mkdir()
    (state / "earpiece.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    before = snapshot(state)
    config = write_config(
        tmp_path / "broken.toml",
        f"""
[nlu]
model = "{model}"
[stt]
model = "{tmp_path / "no-such-model"}"
""",
    )
    code, rows, stderr = run_doctor(
        {**cli_env, "EARPIECE_STATE_DIR": str(state)}, "--config", str(config)
    )
    checks = by_name(rows)
    assert code == 1
    assert "Traceback" not in stderr
    assert checks["NLU model"]["status"] == "FAIL"
    assert "does not match the manifest" in checks["NLU model"]["detail"]
    assert "earpiece train" in checks["NLU model"]["fix"]
    assert checks["speech model"]["status"] == "FAIL"
    assert "no-such-model" in checks["speech model"]["detail"]
    assert checks["speech model"]["fix"]
    assert checks["state"]["status"] == "FAIL" and checks["state"]["fix"]
    assert snapshot(state) == before  # the corrupt file is neither moved nor repaired


def test_doctor_table_exit_status(cli_env: dict[str, str], tmp_path: Path):
    config = write_config(tmp_path / "c.toml", "[button]\npin = 18\nled_pin = 18\n")
    proc = subprocess.run(
        [*earpiece_cmd(), "doctor", "--config", str(config)],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=300,
    )
    assert proc.returncode == 1
    assert "FAIL" in proc.stdout and "two different" in proc.stdout


# --- single checks, in-process


def test_state_check_on_a_database_in_use(tmp_path: Path):
    from earpiece.store.database import Change, Store

    store = Store.open(tmp_path / "s")
    store.commit([Change("facts.put", "fact:1", {"text": "x"})])
    try:
        check = doctor.state_check(load_settings(None, tmp_path / "s"))
    finally:
        store.close()
    assert check.status is Status.PASS and "integrity ok" in check.detail


def test_state_dir_that_is_a_file_fails(tmp_path: Path):
    (tmp_path / "f").write_text("not a dir")
    check = doctor.state_check(load_settings(None, tmp_path / "f"))
    assert check.status is Status.FAIL and "not a directory" in check.detail and check.fix


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any directory")
def test_unwritable_state_dir_fails(tmp_path: Path):
    state = tmp_path / "ro"
    make_state(state)
    state.chmod(0o500)
    try:
        check = doctor.state_check(load_settings(None, state))
    finally:
        state.chmod(0o700)
    assert check.status is Status.FAIL and "not writable" in check.detail


def test_missing_state_dir_is_not_created(tmp_path: Path):
    check = doctor.state_check(load_settings(None, tmp_path / "later"))
    assert check.status is Status.WARN and not (tmp_path / "later").exists()


def test_speech_model_language_must_match_stt_lang(tmp_path: Path):
    config = write_config(tmp_path / "c.toml", '[stt]\nlang = "en"\n')
    check = doctor.stt_check(load_settings(config))
    assert check.status is Status.FAIL
    assert "lang = 'en'" in check.detail and "ko" in check.fix


def test_missing_voice_fails_for_the_heard_language_and_warns_for_the_other(tmp_path: Path):
    bad_ko = write_config(tmp_path / "a.toml", '[tts]\nvoice_ko = "xx-nope"\n')
    check = doctor.tts_check(load_settings(bad_ko))
    assert check.status is Status.FAIL and "xx-nope" in check.detail and check.fix
    bad_en = write_config(tmp_path / "b.toml", '[tts]\nvoice_en = "xx-nope"\n')
    assert doctor.tts_check(load_settings(bad_en)).status is Status.WARN


def test_manifest_missing_fails(tmp_path: Path):
    shutil.copy(NLU_DIR / "earpiece-nlu.int8.onnx", tmp_path / "earpiece-nlu.int8.onnx")
    config = write_config(
        tmp_path / "c.toml", f'[nlu]\nmodel = "{tmp_path / "earpiece-nlu.int8.onnx"}"\n'
    )
    check = doctor.nlu_check(load_settings(config))
    assert check.status is Status.FAIL and "manifest" in check.detail


def test_gpio_off_a_pi_uses_mock_factory():
    from earpiece.hardware.controls import on_raspberry_pi

    if on_raspberry_pi():
        pytest.skip("this is a Raspberry Pi")
    check = doctor.gpio_check(load_settings(None))
    assert check.status is Status.PASS and "MockFactory" in check.detail
    assert "GPIO17" in check.detail and "GPIO18" in check.detail


def test_safety_model_missing_fails_with_a_fix(cli_env: dict[str, str], tmp_path: Path):
    """Without models/safety the crisis classifier cannot read by meaning: doctor says so."""
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models" / "nlu", models / "nlu")
    env = {**cli_env, "EARPIECE_MODELS_DIR": str(models)}
    code, rows, _ = run_doctor(env)
    safety = by_name(rows)["safety model"]
    assert code == 1 and safety["status"] == "FAIL"
    assert "crisis" in safety["detail"] and safety["fix"]
    env_ok = {**cli_env, "EARPIECE_MODELS_DIR": str(ROOT / "models")}
    assert by_name(run_doctor(env_ok)[1])["safety model"]["status"] == "PASS"


def test_light_doctor_loads_no_model_and_writes_no_cache(cli_env: dict[str, str], tmp_path: Path):
    """Beside a running service: no model loaded, nothing written to the cache, small RSS."""
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {**cli_env, "XDG_CACHE_HOME": str(cache)}
    code, rows, stderr = run_doctor(env, "--light")
    assert code == 0, rows
    checks = by_name(rows)
    for name in ("NLU model", "speech model", "safety model"):
        assert "(light: not loaded)" in checks[name]["detail"], checks[name]
    for name in ("service", "memory", "power", "bluetooth"):
        assert checks[name]["status"] in ("PASS", "WARN"), checks[name]
    assert list(cache.rglob("*")) == []  # nothing created
    assert "Traceback" not in stderr
    # Its own peak RSS, through GNU time: a child forked from pytest keeps pytest's high-water
    # mark across exec, so this process's wait4 would report pytest's. The full doctor: ~600.
    gnu_time = shutil.which("time", path="/usr/bin")
    if gnu_time is None:
        pytest.skip("GNU time is not installed (`apt-get install time`; make does it)")
    proc = subprocess.run(
        [gnu_time, "-f", "%M", *earpiece_cmd(), "doctor", "--light", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    peak_mib = int(proc.stderr.strip().splitlines()[-1]) / 1024
    assert peak_mib < 150, f"light doctor peaked at {peak_mib:.0f} MiB"
