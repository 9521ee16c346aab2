"""The button starts under the unit: lgpio gets a writable working directory (issue 22).

lgpio (the real one, from PyPI here; python3-lgpio on a Pi) makes its `.lgd-nfy*` pipe in
the current directory when imported. Under systemd that was `/`, read-only: the unit died.
Here `earpiece run` starts with GPIO from a directory bind-mounted read-only (even root
cannot write it), as the unit's process would without `WorkingDirectory=`. There is no
/dev/gpiochip off a Pi, so it stops later, at the pins; what matters is that it got past
lgpio's import.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, earpiece_cmd

pytestmark = pytest.mark.integration


def run_from_read_only_cwd(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    pytest.importorskip("lgpio", reason="lgpio is in the dev extra (pip install lgpio)")
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is not installed")
    import numpy as np
    import soundfile

    wav = tmp_path / "said.wav"
    soundfile.write(wav, np.zeros(8000, np.int16), 16000)
    cwd = tmp_path / "read-only"
    cwd.mkdir()
    cmd = [*earpiece_cmd(), "run", "--mic-wav", str(wav), "--out", str(tmp_path / "out.wav")]
    script = (
        f"mount --bind {cwd} {cwd} && mount -o remount,bind,ro {cwd} && cd {cwd} && "
        f"! touch probe 2>/dev/null && exec {shlex.join(cmd)}"
    )
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env={**env, "GPIOZERO_PIN_FACTORY": "lgpio"},
        timeout=120,
    )
    if "unshare failed" in proc.stderr or "mount:" in proc.stderr:
        pytest.skip(f"cannot make a read-only directory here: {proc.stderr[:200]}")
    return proc


def test_lgpio_pipes_go_to_the_state_dir_from_a_read_only_cwd(tmp_path, cli_env):
    env = {k: v for k, v in cli_env.items() if k not in ("LG_WD", "RUNTIME_DIRECTORY")}
    proc = run_from_read_only_cwd(tmp_path, env)
    assert ".lgd-nfy" not in proc.stderr, proc.stderr[-1500:]  # lgpio loaded fine
    state = Path(env["EARPIECE_STATE_DIR"])
    assert list(state.glob(".lgd-nfy*")), proc.stderr[-1500:]


def test_the_units_runtime_directory_is_used(tmp_path, cli_env):
    runtime = tmp_path / "run-earpiece"
    runtime.mkdir()
    env = {k: v for k, v in cli_env.items() if k != "LG_WD"}
    proc = run_from_read_only_cwd(tmp_path, {**env, "RUNTIME_DIRECTORY": str(runtime)})
    assert ".lgd-nfy" not in proc.stderr, proc.stderr[-1500:]
    assert list(runtime.glob(".lgd-nfy*"))


def test_the_unit_gives_a_writable_working_directory():
    keys: dict[str, list[str]] = {}
    for line in (ROOT / "deploy/systemd/earpiece.service").read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            keys.setdefault(key, []).append(value)
    assert keys["RuntimeDirectory"] == ["earpiece"]
    assert keys["WorkingDirectory"] == ["/run/earpiece"]  # the runtime dir, the unit's own
    assert "LG_WD=/run/earpiece" in keys["Environment"]
