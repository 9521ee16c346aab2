"""The companion's sense of now: timezone-aware, and settable in tests."""

from __future__ import annotations

from datetime import datetime, tzinfo
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
    """The current time, aware, in the named zone or the system's."""
    return datetime.now(zone(name)).astimezone(zone(name))
