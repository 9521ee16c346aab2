"""`earpiece run` under systemd: waits for its audio devices, then serves; the watchdog is real.

systemd is stood in for by an AF_UNIX datagram socket at $NOTIFY_SOCKET, read as systemd
reads it. The audio devices are ALSA's: none at first (an empty ALSA config), then a `null`
PCM as the default device appears, as a USB headset or a Bluetooth earpiece would.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

# slow: the service started and stopped
pytestmark = [pytest.mark.integration, pytest.mark.slow]

NULL_DEVICE = """pcm.!default {
    type null
    hint { show on description "Earpiece test null device" }
}
"""


def messages(sock: socket.socket, until: str, timeout: float) -> list[str]:
    """Notify messages received until one containing `until` (or the timeout)."""
    got: list[str] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        sock.settimeout(max(0.1, end - time.monotonic()))
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            break
        if until in got[-1]:
            break
    return got


def test_run_waits_for_audio_devices_then_serves(cli_env: dict[str, str], tmp_path: Path):
    from earpiece.hardware.audio_devices import default_available

    if default_available("input") and default_available("output"):
        pytest.skip("this machine has audio devices")
    home = tmp_path / "home"
    home.mkdir()
    notify = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    env = {
        **cli_env,
        "NOTIFY_SOCKET": str(notify),
        "WATCHDOG_USEC": "30000000",
        "GPIOZERO_PIN_FACTORY": "mock",
        "HOME": str(home),
    }
    env.pop("ALSA_CONFIG_PATH", None)
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = messages(sock, "READY=1", 60)
        assert any(m.startswith("READY=1\nSTATUS=waiting: no microphone") for m in first), first
        time.sleep(4)  # still there after a look or two: waiting, not dead
        assert proc.poll() is None, proc.communicate()[1][-2000:]
        (home / ".asoundrc").write_text(NULL_DEVICE)  # a headset is plugged in
        served = messages(sock, "STATUS=listening", 180)
        assert "READY=1\nSTATUS=listening" in served, served
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        sock.close()
    assert proc.returncode == 0, stderr[-2000:]
    assert "waiting for it" in stderr and "audio devices found; starting" in stderr
    assert "Traceback" not in stderr


def test_sigterm_while_waiting_stops_cleanly(cli_env: dict[str, str], tmp_path: Path):
    from earpiece.hardware.audio_devices import default_available

    if default_available("input") and default_available("output"):
        pytest.skip("this machine has audio devices")
    notify = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(notify))
    env = {**cli_env, "NOTIFY_SOCKET": str(notify), "HOME": str(tmp_path)}
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert any("waiting" in m for m in messages(sock, "READY=1", 60))
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
        last = messages(sock, "STOPPING=1", 5)
    finally:
        if proc.poll() is None:
            proc.kill()
        sock.close()
    assert proc.returncode == 0, stderr[-2000:]
    assert "STOPPING=1" in last
