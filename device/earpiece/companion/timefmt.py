"""Times and dates as the companion says them, in Korean and English."""

from __future__ import annotations

from datetime import datetime

from earpiece.nlu.timeparse import KO_WEEKDAYS

EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
"""Monday first, as datetime.weekday() (the Korean names: timeparse.KO_WEEKDAYS)."""
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def clock(moment: datetime, lang: str) -> str:
    """'오후 3시 15분' / '3:15 PM'."""
    hour12 = moment.hour % 12 or 12
    if lang == "ko":
        half = "오전" if moment.hour < 12 else "오후"
        minutes = f" {moment.minute}분" if moment.minute else ""
        return f"{half} {hour12}시{minutes}"
    return f"{hour12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def date(moment: datetime, lang: str) -> str:
    """'11월 27일 금요일' / 'Friday, November 27'."""
    if lang == "ko":
        return f"{moment.month}월 {moment.day}일 {KO_WEEKDAYS[moment.weekday()]}요일"
    return f"{EN_WEEKDAYS[moment.weekday()]}, {_EN_MONTHS[moment.month - 1]} {moment.day}"


def when(moment: datetime, now: datetime, lang: str) -> str:
    """A moment relative to now: '내일 오전 7시' / 'tomorrow at 7:00 AM' / 'yesterday at 9 AM'."""
    days = (moment.date() - now.date()).days
    if lang == "ko":
        day = {-2: "그저께", -1: "어제", 0: "오늘", 1: "내일", 2: "모레"}.get(
            days, date(moment, lang)
        )
        return f"{day} {clock(moment, lang)}"
    day = {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(days, f"on {date(moment, lang)}")
    return f"{day} at {clock(moment, lang)}"
