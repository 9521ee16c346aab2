"""doctor's board checks: a 32-bit userland, memory against the device's peak, throttling,
the service's state, and the Bluetooth earpiece. Inputs are the texts the tools print."""

from __future__ import annotations

import shutil
from pathlib import Path

from earpiece import doctor
from earpiece.config import load_settings
from earpiece.doctor import Status


def test_throttle_bits_are_read():
    assert doctor.throttle_problems("throttled=0x0") == []
    assert doctor.throttle_problems("throttled=0x50000") == [
        "under-voltage has occurred",
        "throttling has occurred",
    ]
    assert "under-voltage now" in doctor.throttle_problems("throttled=0x1")
    assert doctor.throttle_problems("garbage") == []


def test_memory_against_the_device_peak():
    settings = load_settings(None)
    pi4_1gb = doctor.memory_check(settings, {"MemTotal": 906, "SwapTotal": 100})
    assert pi4_1gb.status is Status.WARN and "swap" in pi4_1gb.detail
    zero = doctor.memory_check(settings, {"MemTotal": 427, "SwapTotal": 100})
    assert zero.status is Status.FAIL and zero.fix
    pi5 = doctor.memory_check(settings, {"MemTotal": 3965, "SwapTotal": 512})
    assert pi5.status is Status.PASS
    assert doctor.memory_check(settings, {}).status is Status.WARN


def test_meminfo_reads_mib(tmp_path: Path):
    path = tmp_path / "meminfo"
    path.write_text("MemTotal: 1894264 kB\nSwapTotal: 102396 kB\nHugePages_Total: 0\n")
    assert doctor.meminfo(path) == {"MemTotal": 1849, "SwapTotal": 99}


def test_bluetooth_not_configured_passes(tmp_path: Path):
    conf = tmp_path / "asound.conf"
    conf.write_text("pcm.!default { type asym }\n")
    check = doctor.bluetooth_check(load_settings(None), conf)
    assert check.status is Status.PASS and "no Bluetooth" in check.detail


def test_bluetooth_configured_is_checked(tmp_path: Path):
    conf = tmp_path / "asound.conf"
    text = Path(__file__).resolve().parents[2] / "firmware_config/asound-bluetooth.conf"
    conf.write_text(text.read_text().replace("EARPIECE_BT_MAC", "00:11:22:33:44:55"))
    check = doctor.bluetooth_check(load_settings(None), conf)
    assert "00:11:22:33:44:55" in check.detail
    if shutil.which("bluetoothctl") is None:
        assert check.status is Status.FAIL and "apt-get install bluez" in check.fix
    else:  # no such device paired here
        assert check.status is Status.FAIL and "bluetooth-pair.sh 00:11:22:33:44:55" in check.fix


def test_bluetoothctl_info_is_read():
    text = (
        "Device 00:11:22:33:44:55 (public)\n\tName: X\n\tPaired: yes\n\tTrusted: no\n"
        "\tConnected: yes\n"
    )
    assert doctor.bluetooth_info(text) == {"Paired": True, "Trusted": False, "Connected": True}


def test_service_states(monkeypatch):
    def state(**found: str):
        monkeypatch.setattr(doctor.board, "service_state", lambda: found)
        return doctor.service_check(load_settings(None))

    assert state().status is Status.PASS
    assert state(LoadState="not-found").status is Status.PASS
    dead = state(
        LoadState="loaded",
        ActiveState="failed",
        SubState="failed",
        NRestarts="20",
        Result="start-limit-hit",
    )
    assert dead.status is Status.FAIL and "journalctl -u earpiece" in dead.fix
    loop = state(
        LoadState="loaded",
        ActiveState="activating",
        SubState="auto-restart",
        NRestarts="4",
        Result="exit-code",
    )
    assert loop.status is Status.WARN
    waiting = state(
        LoadState="loaded",
        ActiveState="active",
        SubState="running",
        NRestarts="0",
        Result="success",
        StatusText="waiting: no microphone found",
    )
    assert waiting.status is Status.WARN and "connect" in waiting.fix
    up = state(
        LoadState="loaded",
        ActiveState="active",
        SubState="running",
        NRestarts="0",
        Result="success",
        StatusText="listening",
    )
    assert up.status is Status.PASS


def test_python_check_names_the_userland():
    check = doctor.python_check(load_settings(None))
    assert "-bit Python" in check.detail
