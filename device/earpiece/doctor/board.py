"""The doctor's checks of the board and the service: systemd's view of earpiece.service,
memory against the device's peak, power (throttling), and the Bluetooth earpiece."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from earpiece.config import Settings
from earpiece.doctor.check import Check, Status

SERVICE = "earpiece.service"
RUN_PEAK_MIB = 760
"""Peak RSS of `earpiece run` with the Korean Vosk model, rounded up from the measurements in
docs/raspberry-pi.md (footprint)."""


def _run(cmd: list[str], timeout: float = 10) -> subprocess.CompletedProcess[str] | None:
    """A command's result, or None when it is not installed."""
    if shutil.which(cmd[0]) is None:
        return None
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None


def service_state() -> dict[str, str]:
    """`systemctl show earpiece.service` as a dict ({} without systemd)."""
    fields = "LoadState,ActiveState,SubState,NRestarts,Result,StatusText"
    proc = _run(["systemctl", "show", SERVICE, "--no-pager", "-p", fields])
    if proc is None or proc.returncode != 0:
        return {}
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def service_running() -> bool:
    """Whether the earpiece service is up (then the doctor runs light beside it)."""
    return service_state().get("ActiveState") in ("active", "activating", "reloading")


def service_check(_: Settings) -> Check:
    name = "service"
    state = service_state()
    if not state or state.get("LoadState") in (None, "not-found"):
        return Check(
            name,
            Status.PASS,
            f"{SERVICE} is not installed here (deploy/install.sh installs it on the device)",
        )
    active, sub = state.get("ActiveState", "?"), state.get("SubState", "?")
    restarts = int(state.get("NRestarts", "0") or 0)
    detail = f"{SERVICE}: {active} ({sub}), {restarts} restarts, result {state.get('Result')}"
    if state.get("StatusText"):
        detail += f", status: {state['StatusText']}"
    logs = "`journalctl -u earpiece -b` says why"
    if active == "failed":
        return Check(
            name,
            Status.FAIL,
            detail,
            f"{logs}; fix it, then `sudo systemctl "
            "reset-failed earpiece && sudo systemctl start earpiece`",
        )
    if restarts >= 3 or sub == "auto-restart":
        return Check(name, Status.WARN, detail, f"it keeps restarting: {logs}")
    if active == "active" and state.get("StatusText", "").startswith("waiting"):
        return Check(
            name,
            Status.WARN,
            detail,
            "connect the microphone and earpiece (or pair "
            "the Bluetooth earpiece: docs/bluetooth.md)",
        )
    if active != "active":
        return Check(name, Status.WARN, detail, "`sudo systemctl start earpiece`")
    return Check(name, Status.PASS, detail)


def meminfo(path: Path = Path("/proc/meminfo")) -> dict[str, int]:
    """/proc/meminfo in MiB ({} when unreadable)."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        key, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            found[key] = int(value.split()[0]) // 1024
    return found


def memory_check(_: Settings, info: dict[str, int] | None = None) -> Check:
    """RAM and swap against the device's peak (RUN_PEAK_MIB), as the board profiles expect."""
    info = meminfo() if info is None else info
    if "MemTotal" not in info:
        return Check("memory", Status.WARN, "cannot read /proc/meminfo", "is /proc mounted?")
    ram, swap = info["MemTotal"], info.get("SwapTotal", 0)
    detail = f"{ram} MiB RAM, {swap} MiB swap; `earpiece run` peaks at ~{RUN_PEAK_MIB} MiB"
    if ram + swap < RUN_PEAK_MIB:
        return Check(
            "memory",
            Status.FAIL,
            detail,
            "not enough even with swap: a Pi 4/5 with "
            "2 GB+, or more swap (`sudo dphys-swapfile`, CONF_SWAPSIZE) and a smaller "
            "model (docs/raspberry-pi.md)",
        )
    if ram < RUN_PEAK_MIB + 200:  # the OS, journald and a doctor need room too
        return Check(
            "memory",
            Status.WARN,
            detail + ": it fits only with swap (slow first turns)",
            "a board with 2 GB+ for Korean (docs/raspberry-pi.md, what fits "
            "where); keep `earpiece doctor --light` beside the service",
        )
    return Check("memory", Status.PASS, detail)


THROTTLE_BITS = {
    0: "under-voltage now",
    1: "ARM frequency capped now",
    2: "throttled now",
    3: "soft temperature limit now",
    16: "under-voltage has occurred",
    17: "ARM frequency capping has occurred",
    18: "throttling has occurred",
    19: "soft temperature limit has occurred",
}


def throttle_problems(text: str) -> list[str]:
    """`vcgencmd get_throttled` ('throttled=0x50005') as sentences.

    >>> throttle_problems("throttled=0x50005")
    ['under-voltage now', 'throttled now', 'under-voltage has occurred', 'throttling has occurred']
    """
    found = re.search(r"throttled=(0x[0-9a-fA-F]+)", text)
    if not found:
        return []
    value = int(found.group(1), 16)
    return [what for bit, what in THROTTLE_BITS.items() if value & (1 << bit)]


def power_check(_: Settings) -> Check:
    proc = _run(["vcgencmd", "get_throttled"])
    if proc is None or proc.returncode != 0:
        return Check("power", Status.PASS, "no vcgencmd (not a Raspberry Pi): not checked")
    problems = throttle_problems(proc.stdout)
    detail = proc.stdout.strip() + (": " + ", ".join(problems) if problems else ": none")
    fix = (
        "use a supply that gives 5 V at full current (Pi 5: 5 A, Pi 4: 3 A) and a short "
        "thick cable; let the board cool (a heatsink or case fan)"
    )
    if any(p.endswith("now") for p in problems):
        return Check("power", Status.FAIL, detail, fix)
    if problems:
        return Check("power", Status.WARN, detail, fix)
    return Check("power", Status.PASS, detail)


BT_PCM = re.compile(r'type\s+bluealsa\s+device\s+"([0-9A-Fa-f:]{17})"')


def bluetooth_info(text: str) -> dict[str, bool]:
    """`bluetoothctl info MAC`'s Paired / Trusted / Connected lines."""
    return {
        key: bool(re.search(rf"^\s*{key}: yes", text, re.M))
        for key in ("Paired", "Trusted", "Connected")
    }


def bluetooth_check(_: Settings, asound: Path = Path("/etc/asound.conf")) -> Check:
    """The Bluetooth earpiece that /etc/asound.conf names (docs/bluetooth.md), if any."""
    name = "bluetooth"
    try:
        found = BT_PCM.search(asound.read_text(errors="replace"))
    except OSError:
        found = None
    if found is None:
        return Check(name, Status.PASS, "no Bluetooth earpiece configured (docs/bluetooth.md)")
    mac = found.group(1)
    info = _run(["bluetoothctl", "info", mac])
    if info is None:
        fix = "`sudo apt-get install bluez bluez-alsa-utils libasound2-plugin-bluez`"
        return Check(name, Status.FAIL, f"{asound} names {mac} but bluetoothctl is missing", fix)
    state = bluetooth_info(info.stdout)
    bluealsa = _run(["systemctl", "is-active", "bluealsa.service"])
    running = bluealsa is not None and bluealsa.stdout.strip() == "active"
    detail = f"{mac}: " + ", ".join(f"{k.lower()} {'yes' if v else 'no'}" for k, v in state.items())
    detail += f", bluealsa {'running' if running else 'not running'}"
    if not state["Paired"]:
        return Check(name, Status.FAIL, detail, f"pair it: `sudo deploy/bluetooth-pair.sh {mac}`")
    if not running:
        return Check(
            name,
            Status.FAIL,
            detail,
            "`sudo systemctl enable --now bluealsa` "
            "(deploy/install.sh --bluetooth sets it up with HFP)",
        )
    if not state["Trusted"]:
        return Check(
            name, Status.WARN, detail, f"`bluetoothctl trust {mac}`, so it reconnects by itself"
        )
    if not state["Connected"]:
        return Check(
            name,
            Status.WARN,
            detail,
            "switch it on and bring it in range: the "
            f"earpiece-bt-connect@{mac}.timer reconnects it within 30 s",
        )
    return Check(name, Status.PASS, detail)
