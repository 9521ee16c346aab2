"""The microphone stream is reopened after the device drops, and reported dead when it stays gone.

Real PortAudio and ALSA, on ALSA's `null` PCM (no sound hardware needed), in a child
process whose ALSA configuration is the test's own. A drop is the stream stopping under
the microphone (`abort()`), which is what PortAudio does when a device goes away.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# slow: real audio devices reopened in subprocesses
pytestmark = [pytest.mark.integration, pytest.mark.slow]

NULL_DEVICE = """pcm.!default {
    type null
    hint { show on description "Earpiece test null device" }
}
"""

SCRIPT = """
import sys, time
from earpiece.hardware.microphone import SoundDeviceMicrophone
mic = SoundDeviceMicrophone(None, stall_s=0.4, dead_s=1.2)
got = []
mic.start(lambda frame: got.append(1))
time.sleep(0.5)
before = len(got)
if sys.argv[1] == "gone":
    mic.device = "no such device"  # it does not come back
mic._stream.abort()  # the device drops: the stream delivers nothing more
time.sleep(2.5)
print(before, mic.reopens, len(got) - before, mic.alive())
mic.close()
"""


def run(tmp_path: Path, how: str, env: dict[str, str]) -> list[str]:
    (tmp_path / ".asoundrc").write_text(NULL_DEVICE)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, how],
        capture_output=True,
        text=True,
        env={**env, "HOME": str(tmp_path)},
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.split()


def test_a_dropped_microphone_is_reopened(tmp_path: Path, cli_env: dict[str, str]):
    before, reopens, after, alive = run(tmp_path, "back", cli_env)
    assert int(before) > 0
    assert int(reopens) >= 1 and int(after) > 0  # frames flow again
    assert alive == "True"


def test_a_microphone_that_stays_gone_is_dead(tmp_path: Path, cli_env: dict[str, str]):
    before, reopens, _, alive = run(tmp_path, "gone", cli_env)
    assert int(before) > 0
    assert (reopens, alive) == ("0", "False")  # never reopened; the watchdog stops on this
