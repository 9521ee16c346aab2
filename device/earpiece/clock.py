"""The companion's sense of now: timezone-aware, and settable in tests."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ClockError(Exception):
    """The configured time zone is not one this system knows."""


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
    return datetime.now(zone(name)).astimezone(zone(name))


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
