"""`earpiece run` under systemd without audio devices exits with a clear error, not text mode."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration


def test_run_under_systemd_without_audio_devices_fails_clearly(
    cli_env: dict[str, str], tmp_path: Path
):
    from earpiece.runtime.hardware import default_available

    if default_available("input") and default_available("output"):
        pytest.skip("this machine has audio devices")
    env = {**cli_env, "NOTIFY_SOCKET": str(tmp_path / "notify"), "GPIOZERO_PIN_FACTORY": "mock"}
    proc = subprocess.run([*earpiece_cmd(), "run"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    assert proc.returncode == 1  # Restart=on-failure tries again, e.g. once a headset is in
    assert "no microphone or earpiece found" in proc.stderr
    assert "earpiece doctor" in proc.stderr
    assert "Traceback" not in proc.stderr
