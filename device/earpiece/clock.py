"""The companion's sense of now: timezone-aware, settable in tests, and honest when unsure.

A Raspberry Pi has no battery clock: after a cold boot offline its time is the
last shutdown's (fake-hwclock) or 1970. `clock_trust()` says whether the system
clock can be believed (kernel NTP status, systemd-timesyncd, chrony, a set RTC);
`observe_remote_time()` lets the sync client hand over the home server's time,
which `now_in()` then uses while the system clock is not trusted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import Enum
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARLIEST_YEAR = 2025
"""A clock reading before this year is never believed (1970, or an old fake-hwclock)."""
TIMESYNCD_FLAG = Path("/run/systemd/timesync/synchronized")
RTC_SINCE_EPOCH = Path("/sys/class/rtc/rtc0/since_epoch")
EVIDENCE_TTL_S = 30.0
"""How long the system's evidence is reused before it is read again."""
STA_UNSYNC = 0x0040
"""adjtimex(2) status bit: the kernel's clock is not synchronised."""


class ClockError(Exception):
    """The configured time zone is not one this system knows."""


class ClockTrust(Enum):
    """Why the companion believes (or does not believe) the time it has."""

    SYNCED = "synced"
    """The system clock is synchronised (kernel NTP status, timesyncd or chrony)."""
    RTC = "rtc"
    """A battery-backed real-time clock is fitted and set."""
    HOST = "host"
    """Not a single-board computer: a laptop, desktop or container keeps its clock itself."""
    REMOTE = "remote"
    """The system clock is unsure, but the home server told us the time."""
    UNTRUSTED = "untrusted"
    """Nothing vouches for the time: do not announce it."""

    @property
    def trusted(self) -> bool:
        return self is not ClockTrust.UNTRUSTED


@dataclass(frozen=True)
class RemoteTime:
    """The home server's time as observed, pinned to this process's monotonic clock."""

    utc: datetime
    monotonic: float
    source: str

    def now(self, monotonic: float) -> datetime:
        """The remote clock's time at a later monotonic reading."""
        from datetime import timedelta

        return self.utc + timedelta(seconds=monotonic - self.monotonic)


@dataclass(frozen=True)
class ClockEvidence:
    """What the system says about its clock; every field can be injected in tests."""

    system_utc: datetime
    kernel_synced: bool | None = None
    """adjtimex(2) STA_UNSYNC clear; None when the call is not available."""
    timesyncd_synced: bool = False
    """/run/systemd/timesync/synchronized exists."""
    chrony_synced: bool | None = None
    """`chronyc tracking` reports a normal leap status; None when chrony is not installed."""
    rtc_utc: datetime | None = None
    """The RTC's time when /dev/rtc0 is fitted, else None."""
    single_board: bool = True
    """A Raspberry Pi (or another board without a battery-backed clock); False on a laptop,
    desktop or container, whose clock its firmware or host keeps across power-offs."""


def judge(evidence: ClockEvidence, remote: RemoteTime | None = None) -> ClockTrust:
    """Whether the time can be announced, from the evidence alone (pure; tests use this)."""
    plausible = evidence.system_utc.year >= EARLIEST_YEAR
    if plausible and (
        evidence.kernel_synced or evidence.timesyncd_synced or evidence.chrony_synced
    ):
        return ClockTrust.SYNCED
    if plausible and evidence.rtc_utc is not None and evidence.rtc_utc.year >= EARLIEST_YEAR:
        return ClockTrust.RTC
    if remote is not None:
        return ClockTrust.REMOTE
    if plausible and not evidence.single_board:
        return ClockTrust.HOST
    return ClockTrust.UNTRUSTED


class _Timex(ctypes.Structure):
    # struct timex from <sys/timex.h>: modes, offset, freq, maxerror, esterror, status, ...
    _fields_ = [
        ("modes", ctypes.c_uint),
        ("offset", ctypes.c_long),
        ("freq", ctypes.c_long),
        ("maxerror", ctypes.c_long),
        ("esterror", ctypes.c_long),
        ("status", ctypes.c_int),
        ("_rest", ctypes.c_byte * 256),  # the remaining fields, never read
    ]


def kernel_synced() -> bool | None:
    """adjtimex(2) with no modes (read only): True when STA_UNSYNC is clear."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        timex = _Timex()
        state = libc.adjtimex(ctypes.byref(timex))
    except (OSError, AttributeError):
        return None
    if state < 0:
        return None
    return not timex.status & STA_UNSYNC and state != 5  # 5 = TIME_ERROR (unsynchronised)


def chrony_synced() -> bool | None:
    """`chronyc -n tracking`: a normal leap status means chrony has a source."""
    chronyc = shutil.which("chronyc")
    if chronyc is None:
        return None
    try:
        out = subprocess.run(
            [chronyc, "-n", "tracking"], capture_output=True, text=True, timeout=2, check=False
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return any(
        line.split(":", 1)[-1].strip() == "Normal"
        for line in out.splitlines()
        if line.startswith("Leap status")
    )


def rtc_time() -> datetime | None:
    """The RTC's time (sysfs since_epoch), when one is fitted and readable."""
    try:
        return datetime.fromtimestamp(int(RTC_SINCE_EPOCH.read_text().strip()), UTC)
    except (OSError, ValueError, OverflowError):
        return None


def single_board() -> bool:
    """True on a Raspberry Pi (its device tree says so): no clock survives a power-off there."""
    model = Path("/proc/device-tree/model")
    try:
        return "Raspberry Pi" in model.read_text(errors="replace")
    except OSError:
        return False


def gather() -> ClockEvidence:
    """The system's evidence now (adjtimex, timesyncd's flag, an RTC, chrony if needed)."""
    kernel = kernel_synced()
    timesyncd = TIMESYNCD_FLAG.exists()
    chrony = None if kernel or timesyncd else chrony_synced()
    return ClockEvidence(datetime.now(UTC), kernel, timesyncd, chrony, rtc_time(), single_board())


class _State:
    """The process's remote time and a short-lived cache of the system's evidence."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.remote: RemoteTime | None = None
        self.evidence: ClockEvidence | None = None
        self.read_at = 0.0


_state = _State()


def observe_remote_time(when: datetime, source: str) -> None:
    """Remember the home server's time (the sync client calls this); kept in memory only.

    A time before EARLIEST_YEAR or without a zone is refused with ValueError.
    """
    if when.tzinfo is None:
        raise ValueError(f"remote time from {source} has no time zone: {when.isoformat()}")
    if when.year < EARLIEST_YEAR:
        raise ValueError(f"remote time from {source} is implausible: {when.isoformat()}")
    with _state.lock:
        _state.remote = RemoteTime(when.astimezone(UTC), time.monotonic(), source)


def forget_remote_time() -> None:
    """Drop the remote time (tests, or when the sync configuration goes away)."""
    with _state.lock:
        _state.remote = None


def _evidence() -> ClockEvidence:
    with _state.lock:
        fresh = time.monotonic() - _state.read_at < EVIDENCE_TTL_S
        if _state.evidence is not None and fresh:
            cached = _state.evidence
            return ClockEvidence(
                datetime.now(UTC),
                cached.kernel_synced,
                cached.timesyncd_synced,
                cached.chrony_synced,
                cached.rtc_utc,
                cached.single_board,
            )
    evidence = gather()
    with _state.lock:
        _state.evidence, _state.read_at = evidence, time.monotonic()
    return evidence


def clock_trust() -> ClockTrust:
    """Whether this device's time can be announced now."""
    return judge(_evidence(), _state.remote)


def clock_is_trusted() -> bool:
    """True when the time can be announced (the companion asks this before saying it).

    A clock set by $EARPIECE_NOW is trusted: someone set it on purpose (tests, demos).
    """
    return fixed_start() is not None or clock_trust().trusted


def now_utc() -> datetime:
    """The best time there is: the system's, or the home server's when only that is trusted."""
    remote = _state.remote
    if remote is not None and judge(_evidence(), remote) is ClockTrust.REMOTE:
        return remote.now(time.monotonic())
    return datetime.now(UTC)


def zone(name: str) -> tzinfo | None:
    """The named IANA zone; an empty name means the system's local zone (None)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ClockError(f"unknown time zone {name!r} (use an IANA name like Asia/Seoul)") from None


def now_in(name: str = "") -> datetime:
    """The current time, aware, in the named zone or the system's ($EARPIECE_NOW moves it)."""
    start = fixed_start()
    if start is not None:
        moment = start + timedelta(seconds=time.monotonic() - _STARTED)
        return moment.astimezone(zone(name)) if name else moment  # no zone: keep the offset
    return now_utc().astimezone(zone(name))


NOW_ENV = "EARPIECE_NOW"
"""ISO 8601 time with offset (2026-12-01T07:52:00+09:00): the clock starts there and runs on."""
_STARTED = time.monotonic()


def fixed_start() -> datetime | None:
    """The moment $EARPIECE_NOW sets, or None when it is unset; a bad value is a ClockError."""
    said = os.environ.get(NOW_ENV, "").strip()
    if not said:
        return None
    try:
        moment = datetime.fromisoformat(said)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ClockError(
            f"{NOW_ENV}={said!r} is not an ISO 8601 time with an offset "
            "(e.g. 2026-12-01T07:52:00+09:00); fix or unset it"
        )
    return moment
