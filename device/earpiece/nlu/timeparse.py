"""Resolve the first Korean or English time expression in a text to a future, aware datetime.

Longer than most modules: one grammar of time in two languages. The Korean and the English
rules, what their matches mean and how a meaning becomes a moment share the small types at
the top and are read side by side when a phrase is misread; recurrence (`Repeat`,
`find_repeat`) is read with the same helpers (`_ko`, `_en`, `_number`, the weekday names).
"""

import calendar
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from earpiece.nlu.numbers import (
    EN_NUMBER,
    EN_ORDINAL,
    EN_UNIT_WORD,
    KO_NATIVE,
    KO_NUMBER,
    KO_SINO,
    parse_english_number,
    parse_english_ordinal,
    parse_korean_number,
)


@dataclass(frozen=True)
class Clock:
    """A time of day as said, before am/pm is settled.

    >>> Clock(7, 30)  # "일곱 시 삼십 분", "seven thirty"
    Clock(hour=7, minute=30, meridiem=None)
    """

    hour: int
    """0-24; 24 is the midnight at the end of the day."""
    minute: int = 0
    """0-59."""
    meridiem: str | None = None
    """"am", "pm", "exact" (noon, midnight), or None when the speaker did not say."""


@dataclass(frozen=True)
class DayOffset:
    """A day counted from today: 0 today, 1 tomorrow (내일), 2 the day after (모레)."""

    days: int


@dataclass(frozen=True)
class Weekday:
    """A day of the week (0 Monday) as said: 금요일, "next monday", 다음 주 월요일."""

    weekday: int
    week: int | None = None
    """Calendar weeks from this one (다음 주 = 1), or None for the next such day."""
    skip_today: bool = False
    """True for English "next friday": never today."""
    week_on: bool = False
    """"Friday week": a week after the coming such day (never today's)."""


@dataclass(frozen=True)
class MonthDay:
    """A date without a year: 3월 5일, "march 5th"."""

    month: int
    day: int


@dataclass(frozen=True)
class DayOfMonth:
    """A day of the month alone: 13일, "the 13th": this month's, or the next month's once past."""

    day: int
    months: int | None = None
    """Months from this one when said (이번 달 0, 다음 달 1), else None: the next such day."""


Day = DayOffset | Weekday | MonthDay | DayOfMonth


@dataclass(frozen=True)
class Found:
    """One time phrase in a text: what kind it is, where it is, and what it means."""

    kind: str
    """"offset" (a timedelta), "day" (a Day), "part" (a part of day name) or "clock" (a Clock)."""
    start: int
    end: int
    value: object


@dataclass(frozen=True)
class _Rule:
    kind: str
    pattern: re.Pattern[str]
    meaning: Callable[[re.Match[str]], object | None]


PART_DEFAULT_HOUR = {
    "dawn": 5,
    "morning": 8,
    "noon": 12,
    "day": 13,
    "afternoon": 15,
    "evening": 19,
    "night": 21,
}
"""The hour meant by a part of day said without a clock time ("내일 아침", "this evening")."""
BARE_TWELVE_MIDNIGHT_FROM = 18
"""From this hour on, a bare 'twelve' may be the coming midnight; before it, it is noon."""
DAY_DEFAULT_HOUR = 9
"""The hour meant by a day said without any time ("내일", "tomorrow")."""
MAX_CHARS = 2000
"""Characters read from the start of a text: speech is far shorter, and garbage stays cheap."""


def resolve_when(text: str, lang: str, now: datetime, *, morning: bool = False) -> datetime | None:
    """The first time expression in text resolved against now (aware datetime), or None.

    `morning`: an hour said without am/pm or a part of day is a morning hour (a wake-up call).
    """
    try:
        return _resolve(find_time_phrases(text, lang), now, morning)
    except OverflowError:  # a now within days of datetime.max
        return None


def normalize_text(text: str) -> str:
    """The text as parsed: its first MAX_CHARS characters, NFC, control characters as spaces."""
    if not isinstance(text, str):
        return ""
    return _CONTROL.sub(" ", unicodedata.normalize("NFC", text[:MAX_CHARS]))[:MAX_CHARS]


def time_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where the time phrases are, as (start, end) offsets into normalize_text(text)."""
    return [(f.start, f.end) for f in find_time_phrases(text, lang)]


def find_time_phrases(text: str, lang: str) -> list[Found]:
    """Every time phrase in text, in order, with offsets into normalize_text(text)."""
    rules = _RULES.get(lang[:2].lower() if isinstance(lang, str) else "", ())
    clean = normalize_text(text)
    found = (f for rule in rules for f in _matches(rule, clean))
    return sorted(found, key=lambda f: (f.start, -f.end))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _matches(rule: _Rule, text: str) -> Iterator[Found]:
    for match in rule.pattern.finditer(text):
        value = rule.meaning(match)
        if value is not None:
            yield Found(rule.kind, match.start(), match.end(), value)


# --- resolution ---------------------------------------------------------------------------


def _resolve(found: list[Found], now: datetime, morning: bool = False) -> datetime | None:
    first: dict[str, Found] = {}
    for phrase in found:
        first.setdefault(phrase.kind, phrase)
    offset = first.pop("offset", None)
    ahead = offset and all(offset.start <= f.start for f in first.values())
    if offset and ahead and isinstance(offset.value, timedelta):
        return _after(now, offset.value)
    values = {kind: f.value for kind, f in first.items()}
    said_clock, day, part = values.get("clock"), values.get("day"), values.get("part")
    clock = said_clock if isinstance(said_clock, Clock) else None
    if morning and clock is not None and clock.meridiem is None and "part" not in values:
        clock = Clock(clock.hour % 12, clock.minute, "am") if 1 <= clock.hour <= 12 else clock
    day = day if isinstance(day, DayOffset | Weekday | MonthDay | DayOfMonth) else None
    return _absolute(day, part if isinstance(part, str) else None, clock, now)


def _after(now: datetime, delta: timedelta) -> datetime | None:
    if delta <= timedelta(0):
        return None
    if now.tzinfo is None:
        return now + delta
    return (now.astimezone(UTC) + delta).astimezone(now.tzinfo)


def _absolute(
    day: Day | None, part: str | None, clock: Clock | None, now: datetime
) -> datetime | None:
    if day in (None, DayOffset(0)):
        if clock is None and part is None:
            return None  # "오늘" alone names no time
        return _next_bare(_hours(clock, part), clock.minute if clock else 0, now)
    minute = clock.minute if clock else 0
    hour = _hours(clock, part)[0]
    times = (_at(d, hour, minute, now) for d in _dates(day, now.date()))
    return next((t for t in times if t > now), None)


def _hours(clock: Clock | None, part: str | None) -> list[int]:
    """Candidate 24-hour hours (24 or more spill into the next day), most likely first."""
    if clock is None:
        return [PART_DEFAULT_HOUR.get(part or "", DAY_DEFAULT_HOUR)]
    hour = clock.hour
    if clock.meridiem == "exact" or hour == 0 or hour > 12:
        return [hour]
    if clock.meridiem:
        return [hour % 12 + (12 if clock.meridiem == "pm" else 0)]
    if part:
        return [_hour_in_part(hour, part)]
    return [hour + 12, hour] if hour <= 6 else [hour, hour + 12]


def _hour_in_part(hour: int, part: str) -> int:
    """A 1-12 o'clock hour read inside a part of day: 밤 12시 is midnight, 밤 1시 is 1 am."""
    if part in ("dawn", "morning"):
        return hour % 12
    if part in ("noon", "day"):
        return hour if hour >= 11 else hour + 12
    if part == "night" and (hour == 12 or hour <= 4):
        return hour + 24 if hour <= 4 else 24
    return hour % 12 + 12


def _next_bare(hours: list[int], minute: int, now: datetime) -> datetime | None:
    """The soonest future candidate, except that 1-6 o'clock means pm while that is ahead."""
    today = now.date()
    if hours == [12, 24] and now.hour < BARE_TWELVE_MIDNIGHT_FROM:
        hours = [12]  # '열두 시 반에 점심 약속' said at two: tomorrow's noon, not tonight's 0:30
    if len(hours) == 2 and hours[0] > hours[1]:
        afternoon = _at(today, hours[0], minute, now)
        if afternoon > now:
            return afternoon
    times = (_at(today + timedelta(days=k), h, minute, now) for k in range(3) for h in hours)
    return min((t for t in times if t > now), default=None)


def _at(day: date, hour: int, minute: int, now: datetime) -> datetime:
    moment = time(hour % 24, minute)
    return datetime.combine(day + timedelta(days=hour // 24), moment, tzinfo=now.tzinfo)


def _dates(day: Day, today: date) -> Iterable[date]:
    """Dates the day could mean, earliest first; the caller takes the first still ahead."""
    if isinstance(day, DayOffset):
        return [today + timedelta(days=day.days)]
    if isinstance(day, Weekday):
        return _weekday_dates(day, today)
    if isinstance(day, DayOfMonth):
        return _day_of_month_dates(day, today)
    return _month_day_dates(day, today)


def _days_in(year: int, month: int) -> int:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (following - timedelta(days=1)).day


def _day_of_month_dates(day: DayOfMonth, today: date) -> Iterator[date]:
    """This month's day, then the next months' (a month without a 31st is passed over)."""
    year, month = today.year, today.month
    for _ in range(day.months or 0):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for _ in range(14 if day.months is None else 1):
        if day.day <= _days_in(year, month):
            yield date(year, month, day.day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weekday_dates(day: Weekday, today: date) -> list[date]:
    if day.week is not None:
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=day.week)
        first = monday + timedelta(days=day.weekday)
    else:
        ahead = (day.weekday - today.weekday()) % 7
        first = today + timedelta(days=ahead or (7 if day.skip_today else 0))
        if day.week_on:
            return [first + timedelta(weeks=1)]
    return [first, first + timedelta(weeks=1)]


def _month_day_dates(day: MonthDay, today: date) -> Iterator[date]:
    for year in range(today.year, today.year + 9):  # 9 years always holds a 29 February
        try:
            yield date(year, day.month, day.day)
        except ValueError:
            continue


# --- meanings of matches ------------------------------------------------------------------


def _clock(hour: int | None, minute: int | None = 0, meridiem: str | None = None) -> Clock | None:
    """A Clock if hour and minute make a time of day, else None."""
    if hour is None or minute is None or not 0 <= minute <= 59:
        return None
    if not 0 <= hour <= 24 or (hour == 24 and minute):
        return None
    return Clock(hour, minute, meridiem)


def _month_day(month: int | None, day: int | None) -> MonthDay | None:
    try:
        date(2000, month or 0, day or 0)  # a leap year, so 2월 29일 passes
    except ValueError:
        return None
    return MonthDay(month or 0, day or 0)


def _day_of_month(day: int | None, months: int | None = None) -> DayOfMonth | None:
    return DayOfMonth(day, months) if day is not None and 1 <= day <= 31 else None


def _delta(unit: str, amount: float) -> timedelta:
    return timedelta(**{_UNIT_NAMES[unit]: amount})


_UNIT_NAMES = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _number(text: str | None, lang: str) -> int | None:
    if text is None:
        return None
    return parse_korean_number(text) if lang == "ko" else parse_english_number(text)


# --- Korean -------------------------------------------------------------------------------

_S = r"\s{0,3}"
_KO_PARTICLES = r"(?:에는|에요|에|엔|쯤에|쯤|경에|경|까지|부터|은|는|도|날|이야|야|예요|이에요)"
_KO_PARTICLE = rf"(?:{_KO_PARTICLES}|\s{{1,2}}{_KO_PARTICLES}(?![가-힣]))?"
"""A particle ending the time word ('내일은', '세 시에', '세시에약'); after a space, never the
start of the next word ('내일 은행' keeps its 은행, '모레 도서관' its 도서관)."""
_KO_LATER = r"(?:뒤|후|있다가|있다|이따가|이따|지나서|지나고)(?:에)?"
_KO_NATIVE_DAYS = {"하루": 1, "이틀": 2, "사흘": 3, "나흘": 4, "닷새": 5, "엿새": 6, "열흘": 10}
_KO_DAY_WORDS = {"오늘": 0, "내일": 1, "낼": 1, "모레": 2, "글피": 3}
KO_WEEKDAYS = "월화수목금토일"
"""Monday first, as datetime.weekday(): the one home of the Korean day names."""
_KO_WEEKDAYS = KO_WEEKDAYS
_KO_WEEK_WORDS = {"이번": 0, "다음": 1, "담": 1, "다다음": 2}
_KO_PARTS = {
    "새벽": "dawn",
    "아침": "morning",
    "오전": "morning",
    "점심": "noon",
    "낮": "day",
    "오후": "afternoon",
    "저녁": "evening",
    "밤": "night",
    "한밤중": "night",
}
_KO_MONTH_NAMES = {"유": 6, "시": 10}  # 유월, 시월
_KO_MONTH_WORDS: dict[str, int | None] = {"이번": None, "다음": 1, "담": 1, "다다음": 2}
"""이번 달 N일 is the next N일: once passed, the reply names next month's date."""
_KO_DAY_NUMBER = (
    r"(?:(?<!\d)\d{1,2}\s{0,2}|(?<![가-힣])(?:[이삼]?십[일이삼사오육칠팔구]?|[삼육칠팔구]))"
)
"""A day of the month before 일 alone: digits, or a Sino-Korean word (십삼일, 삼일); not 이 일
('this work'), 오일 (oil) or 사일, which are more often other words."""


def _ko_hours_later(m: re.Match[str]) -> timedelta | None:
    hours = 0.5 if m["h"] == "반" else _number(m["h"], "ko")
    minutes = _number(m["m"], "ko") if m["m"] else 0
    if hours is None or minutes is None:
        return None
    return timedelta(hours=hours, minutes=minutes + (30 if m["half"] else 0))


def _ko_later(unit: str) -> Callable[[re.Match[str]], timedelta | None]:
    def meaning(m: re.Match[str]) -> timedelta | None:
        amount = _KO_NATIVE_DAYS.get(m["n"]) or _number(m["n"], "ko")
        return None if amount is None else _delta(unit, amount)

    return meaning


def _ko_day_word(m: re.Match[str]) -> DayOffset:
    word = re.sub(r"\s", "", m["w"])
    return DayOffset(2 if word == "내일모레" else _KO_DAY_WORDS[word])


def _ko_weekday(m: re.Match[str]) -> Weekday:
    week = _KO_WEEK_WORDS.get(re.sub(r"\s|주", "", m["wk"] or ""))
    return Weekday(_KO_WEEKDAYS.index(m["wd"]), week)


def _ko_date(m: re.Match[str]) -> MonthDay | None:
    month = _KO_MONTH_NAMES.get(m["mo"]) or _number(m["mo"], "ko")
    return _month_day(month, _number(m["d"], "ko"))


def _ko_clock(m: re.Match[str]) -> Clock | None:
    minute = 30 if m["half"] else _number(m["m"], "ko") if m["m"] else 0
    return _clock(_number(m["h"], "ko"), minute)


def _ko(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


_MEAL_AFTER = rf"(?!{_S}(?:먹|식사|밥|준비|약속|메뉴))"  # 점심 먹기 is a thing to do, not a time

_KO_RULES = (
    _Rule(
        "offset",
        _ko(
            rf"(?P<h>{KO_NATIVE}|반){_S}시간(?:{_S}(?P<half>반))?(?:{_S}(?P<m>{KO_SINO}){_S}분)?"
            rf"{_S}{_KO_LATER}"
        ),
        _ko_hours_later,
    ),
    _Rule("offset", _ko(rf"(?P<n>{KO_SINO}){_S}분{_S}{_KO_LATER}"), _ko_later("m")),
    _Rule("offset", _ko(rf"(?P<n>{KO_SINO}){_S}일{_S}{_KO_LATER}"), _ko_later("d")),
    _Rule(
        "offset",
        _ko(rf"(?<![가-힣])(?P<n>{'|'.join(_KO_NATIVE_DAYS)}){_S}{_KO_LATER}"),
        _ko_later("d"),
    ),
    _Rule("offset", _ko(rf"(?P<n>{KO_NUMBER}){_S}주(?:일)?{_S}{_KO_LATER}"), _ko_later("w")),
    _Rule(
        "day",
        _ko(rf"(?P<w>내일{_S}모레|오늘|내일|모레|글피|(?<![가-힣])낼(?![가-힣])){_KO_PARTICLE}"),
        _ko_day_word,
    ),
    _Rule(
        "day",
        _ko(
            rf"(?:(?P<wk>다다음{_S}주|다음{_S}주|담주|이번{_S}주|이번){_S})?"
            rf"(?P<wd>[{_KO_WEEKDAYS}])요일{_KO_PARTICLE}"
        ),
        _ko_weekday,
    ),
    _Rule(
        "day",
        _ko(rf"(?:다음{_S}주|담주)(?!{_S}[{_KO_WEEKDAYS}]요일)(?:에)?"),
        lambda m: Weekday(0, 1),
    ),
    _Rule(
        "day",
        _ko(
            rf"(?P<mo>{KO_SINO}|(?<![가-힣\d])[유시]){_S}월{_S}(?P<d>{KO_SINO}){_S}일"
            rf"(?!{_S}{_KO_LATER}){_KO_PARTICLE}"
        ),
        _ko_date,
    ),
    _Rule(
        "day",
        _ko(
            rf"(?:(?P<mo>이번|다음|담|다다음){_S}달{_S})?"
            rf"(?<![월\d])(?<!월\s)(?P<d>{_KO_DAY_NUMBER})일(?!요일|{_S}(?:{_KO_LATER}|동안|간|째|이나|씩))"
            r"(?:에는|에|엔|쯤에|쯤|날|까지|부터|이야|야|이래요|이래|이라던데|이라는데|이라고|이라네"
            r"|이에요|이고|인데)?(?![가-힣])"
        ),
        lambda m: _day_of_month(_number(m["d"].strip(), "ko"), _KO_MONTH_WORDS.get(m["mo"] or "")),
    ),
    _Rule(
        "part",
        _ko(
            rf"(?P<p>한밤중|새벽|아침|오전|점심|낮(?=[\s에]|$)|오후|저녁|밤(?![새늦]))"
            rf"{_MEAL_AFTER}{_KO_PARTICLE}"
        ),
        lambda m: _KO_PARTS[m["p"]],
    ),
    _Rule(
        "clock",
        _ko(
            rf"(?P<h>{KO_NUMBER}){_S}시(?![간작계])"
            rf"(?:{_S}(?:(?P<m>{KO_SINO}){_S}분|(?P<half>반)|정각))?{_KO_PARTICLE}"
        ),
        _ko_clock,
    ),
    _Rule(
        "clock",
        _ko(
            r"(?<![\d:])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s{0,2}(?P<mer>[aApP])\.?\s{0,2}[mM](?![a-zA-Z])\.?"
            rf"{_KO_PARTICLE}"
        ),
        lambda m: _en_clock(m),
    ),
    _Rule(
        "clock",
        _ko(rf"(?P<w>정오|자정){_KO_PARTICLE}"),
        lambda m: Clock(12 if m["w"] == "정오" else 24, 0, "exact"),
    ),
)


# --- English ------------------------------------------------------------------------------

_S1 = r"\s{1,3}"
_EN_UNIT = r"(?P<u>min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?)\b"
_EN_HALF = rf"{_S1}and{_S1}a{_S1}half"
_MERIDIEM = r"(?P<mer>[ap])\.?\s{0,2}m\b\.?"
_EN_MINUTE = rf"(?P<m>\d{{2}}|oh{_S1}{EN_UNIT_WORD}|o{_S1}{EN_UNIT_WORD}|{EN_NUMBER})"
_EN_MINUTE_SEP = rf"(?::|\.(?=\d{{2}}(?!\d))|{_S1})"
"""Between hour and minute: '8:15', '8.15' (two digits only: '8.5 km' is no time), '8 15'."""
_NOT_DURATION = r"(?!\s{0,3}(?:min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?|seconds?|secs?)\b)"
_EN_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_EN_MONTH = rf"(?P<mon>{'|'.join(_EN_MONTHS)}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_EN_WEEKDAY = rf"(?P<wd>{'|'.join(_EN_WEEKDAYS)})"
_EN_PARTS = {
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "night",
    "tonight": "night",
    "lunch": "noon",
    "lunchtime": "noon",
    "noontime": "noon",
}


def _en_amount(text: str) -> int | None:
    return 1 if text.lower() in ("a", "an") else _number(text, "en")


def _en_later(m: re.Match[str]) -> timedelta | None:
    amount = _en_amount(m["a"])
    extra = _number(m["m"], "en") if m["m"] else 0
    if amount is None or extra is None:
        return None
    half = 0.5 if m["half1"] or m["half2"] else 0
    return _delta(m["u"][0].lower(), amount + half) + timedelta(minutes=extra)


def _en_clock(m: re.Match[str]) -> Clock | None:
    said_minute = m.groupdict().get("m")
    minute = _number(re.sub(r"(?i)^oh?\s+", "", said_minute), "en") if said_minute else 0
    return _clock(_number(m["h"], "en"), minute, _en_meridiem(m))


def _en_meridiem(m: re.Match[str]) -> str | None:
    said = m.groupdict().get("mer")
    return None if not said else "am" if said.lower() == "a" else "pm"


def _en_past_to(m: re.Match[str]) -> Clock | None:
    hour = _number(m["h"], "en")
    word = (m["q"] or "").lower()
    minutes = 30 if word == "half" else 15 if word.endswith("quarter") else _number(m["mm"], "en")
    if hour is None or minutes is None or not 0 < minutes < 60:
        return None
    if m["mm"] and not m["mw"] and minutes % 5:
        return None  # "free 7 to 8pm" is a span; "ten to eight" is a time, "7 to 8" is not
    if m["rel"].lower() == "past":
        return _clock(hour, minutes, _en_meridiem(m))
    return _clock((hour - 1) or 12, 60 - minutes, _en_meridiem(m))


def _en_weekday(m: re.Match[str]) -> Weekday:
    weekday = _EN_WEEKDAYS.index(m["wd"].lower())
    modifier = (m.groupdict().get("mod") or "").lower()
    if m.groupdict().get("nw"):
        return Weekday(weekday, 1)
    return Weekday(weekday, skip_today=modifier == "next")


def _en_date(m: re.Match[str]) -> MonthDay | None:
    month = next(i for i, name in enumerate(_EN_MONTHS, 1) if name[:3] == m["mon"][:3].lower())
    day = parse_english_ordinal(m["d"])
    return _month_day(month, day if day is not None else _number(m["d"], "en"))


def _en(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_EN_LATER_AMOUNT = (
    rf"(?P<a>{EN_NUMBER}|an?)(?P<half1>{_EN_HALF})?{_S1}{_EN_UNIT}(?P<half2>{_EN_HALF})?"
)
_EN_EXTRA_MINUTES = rf"(?:{_S1}and{_S1}(?P<m>{EN_NUMBER}){_S1}min(?:ute)?s?\b)?"
_EN_DAY_OF_MONTH = rf"(?P<d>{EN_ORDINAL}|{EN_NUMBER})"
_EN_ON_THE = rf"\b(?:on{_S1})?(?:the{_S1})?"

_EN_ABOUT = r"(?:(?:like|about|around|roughly|maybe|just|approximately|say)\s{1,3})?"
"""Hedges between 'in' and the amount: 'in like half an hour', 'in about 20 minutes'."""

_EN_HEDGE = r"(?:(?:about|around|like|maybe|roughly|approximately)\s{1,3}){0,2}"
"""Hedges before a clock time: 'at like 7ish', 'say around 6'."""

_EN_RULES = (
    _Rule(
        "offset",
        _en(rf"\b(?:in|after|within){_S1}{_EN_ABOUT}{_EN_LATER_AMOUNT}{_EN_EXTRA_MINUTES}"),
        _en_later,
    ),
    _Rule(
        "offset",
        _en(rf"\b{_EN_LATER_AMOUNT}{_EN_EXTRA_MINUTES}{_S1}(?:from{_S1}(?:now|today)|later)\b"),
        _en_later,
    ),
    _Rule(
        "offset",
        _en(rf"\b(?:in|after|within){_S1}{_EN_ABOUT}half{_S1}an?{_S1}hour\b"),
        lambda m: timedelta(minutes=30),
    ),
    _Rule("day", _en(rf"\b(?:the{_S1})?day{_S1}after{_S1}tomorrow\b"), lambda m: DayOffset(2)),
    _Rule("day", _en(r"\b(?:tomorrow|tmrw|tmr)\b"), lambda m: DayOffset(1)),
    _Rule("day", _en(r"\b(?:today|tonight)\b"), lambda m: DayOffset(0)),
    _Rule(
        "day",
        _en(rf"\b(?:(?:on|by|for){_S1})?{_EN_WEEKDAY}{_S1}week\b"),
        lambda m: Weekday(_EN_WEEKDAYS.index(m["wd"].lower()), week_on=True),
    ),
    _Rule(
        "day",
        _en(
            rf"\b(?:(?:on|by|until|for){_S1})?(?:(?P<mod>this{_S1}coming|coming|next|this){_S1})?"
            rf"{_EN_WEEKDAY}(?P<nw>{_S1}(?:of{_S1})?next{_S1}week)?\b"
        ),
        _en_weekday,
    ),
    _Rule(
        "day",
        _en(rf"\bnext{_S1}week(?:{_S1}on)?{_S1}{_EN_WEEKDAY}\b"),
        lambda m: Weekday(_EN_WEEKDAYS.index(m["wd"].lower()), 1),
    ),
    _Rule("day", _en(rf"\bnext{_S1}week\b"), lambda m: Weekday(0, 1)),
    _Rule("day", _en(rf"{_EN_ON_THE}{_EN_MONTH}{_S1}(?:the{_S1})?{_EN_DAY_OF_MONTH}"), _en_date),
    _Rule("day", _en(rf"{_EN_ON_THE}{_EN_DAY_OF_MONTH}{_S1}of{_S1}{_EN_MONTH}"), _en_date),
    _Rule(
        "day",
        _en(
            rf"\b(?:on{_S1}the{_S1}(?P<d>{EN_ORDINAL})|(?:on{_S1})?the{_S1}(?P<dd>\d{{1,2}}(?:st|nd|rd|th)))"
            rf"\b(?!{_S1}(?:of|time|thing|floor|day|week|one|place)\b)"
        ),
        lambda m: _day_of_month(parse_english_ordinal(m["d"] or m["dd"])),
    ),
    _Rule(
        "part",
        _en(
            rf"\b(?:(?:in|during){_S1}the{_S1}|this{_S1}|at{_S1}|early{_S1}|late{_S1})?"
            rf"(?P<p>morning|afternoon|evening|night|tonight|lunch(?:{_S}time)?|noontime)s?\b"
        ),
        lambda m: _EN_PARTS[re.sub(r"\s", "", m["p"].lower())],
    ),
    _Rule(
        "clock",
        _en(
            rf"\b(?:at|by|around|for|until|till|before){_S1}{_EN_HEDGE}"
            rf"(?P<h>{EN_NUMBER})(?:{_EN_MINUTE_SEP}{_EN_MINUTE})?(?:{_S}o'?{_S}clock\b)?"
            rf"(?:{_S}{_MERIDIEM})?(?:-?ish\b|{_S1}sharp\b|{_S1}on{_S1}the{_S1}dot\b)?{_NOT_DURATION}"
        ),
        _en_clock,
    ),
    _Rule(
        "clock",
        _en(
            rf"(?P<h>{EN_NUMBER})(?:{_EN_MINUTE_SEP}{_EN_MINUTE})?{_S}{_MERIDIEM}"
            rf"(?:{_S1}sharp\b|{_S1}on{_S1}the{_S1}dot\b)?"
        ),
        _en_clock,
    ),
    _Rule("clock", _en(r"(?<![\w:])(?P<h>\d{1,2}):(?P<m>\d{2})(?![\d:])"), _en_clock),
    _Rule("clock", _en(rf"(?P<h>{EN_NUMBER}){_S}o'?{_S}clock\b(?:{_S}{_MERIDIEM})?"), _en_clock),
    _Rule(
        "clock",
        _en(
            rf"\b(?:at{_S1})?(?:(?P<q>half|(?:a{_S1})?quarter)|(?P<mm>{EN_NUMBER})(?P<mw>{_S1}minutes?)?)"
            rf"{_S1}(?P<rel>past|to){_S1}(?P<h>{EN_NUMBER})(?:{_S}{_MERIDIEM})?"
        ),
        _en_past_to,
    ),
    _Rule(
        "clock",
        _en(r"\b(?:(?:at|by|around)\s{1,3})?(?P<w>noon|midday|midnight)\b"),
        lambda m: Clock(24 if m["w"].lower() == "midnight" else 12, 0, "exact"),
    ),
)

_HOLIDAYS = {
    "en": (
        (r"(?<!happy\s)\bnew\s{1,3}year'?s?\s{1,3}eve\b", 12, 31),
        (
            r"(?<!happy\s)\bnew\s{1,3}year'?s?(?:\s{1,3}day)?\b"
            r"(?!\s{1,3}(?:resolution|party|card|plan))",
            1,
            1,
        ),
        (r"\bchristmas\s{1,3}eve\b|\bxmas\s{1,3}eve\b", 12, 24),
        (
            r"(?<!merry\s)\bchristmas(?:\s{1,3}day)?\b"
            r"(?!\s{1,3}(?:eve|tree|card|present|gift|party|lights))|\bxmas\b(?!\s{1,3}eve)",
            12,
            25,
        ),
        (r"\bvalentine'?s(?:\s{1,3}day)?\b", 2, 14),
        (r"\bhalloween\b", 10, 31),
    ),
    "ko": (
        (r"(?:새해\s?첫날|신정|1월\s?1일날)" + _KO_PARTICLE, 1, 1),
        (r"(?:크리스마스|성탄절)\s?이브" + _KO_PARTICLE, 12, 24),
        (
            r"(?<!메리\s)(?<!메리)(?:크리스마스|성탄절)(?!\s?이브|\s?트리|\s?카드|\s?선물)"
            + _KO_PARTICLE,
            12,
            25,
        ),
        (r"(?:섣달\s?그믐|연말\s?마지막\s?날|한\s?해\s?마지막\s?날)" + _KO_PARTICLE, 12, 31),
        (r"어린이날" + _KO_PARTICLE, 5, 5),
        (r"광복절" + _KO_PARTICLE, 8, 15),
    ),
}
"""Days of the year named by a holiday on a fixed date (New Year's Day, 크리스마스); lunar ones
(설날, 추석) move every year and are not read."""


def _holiday_rules(lang: str) -> tuple[_Rule, ...]:
    make = _ko if lang == "ko" else _en
    return tuple(
        _Rule("day", make(pattern), _fixed_day(month, day))
        for pattern, month, day in _HOLIDAYS[lang]
    )


def _fixed_day(month: int, day: int) -> Callable[[re.Match[str]], MonthDay]:
    return lambda m: MonthDay(month, day)


_RULES: dict[str, tuple[_Rule, ...]] = {
    "ko": _KO_RULES + _holiday_rules("ko"),
    "en": _EN_RULES + _holiday_rules("en"),
}


# --- recurrence ---------------------------------------------------------------------------

REPEAT_EVERY = ("day", "weekday", "weekend", "week", "hours", "minutes", "month", "days")
"""What a recurring reminder repeats on: every day, Monday-Friday, Saturday and Sunday, one day
a week, every N hours, every N minutes, one day a month, every N days."""
MAX_REPEAT_DAYS = 30
"""The longest 'every N days' taken as such (2-30; 'every other day' is 2)."""
LAST_DAY = 31
"""A monthly day past a month's end ('매달 31일', '말일', 'the last day') falls on that month's
last day (the 30th, Feb 28/29); the rule keeps 31, so the next month is the 31st again."""
MIN_REPEAT_MINUTES = 5
"""The shortest 'every N minutes' taken as such (5-59; an hour or more is said in hours)."""
MAX_REPEAT_HOURS = 12
"""The longest 'every N hours' taken as such (longer is said as a daily or weekly time)."""


@dataclass(frozen=True)
class Repeat:
    """How a reminder recurs, as said: "매일", "weekdays", "every Monday", "두 시간마다".

    The time of day is the reminder's due time; only the rule of which days lives here.
    """

    every: str
    """One of REPEAT_EVERY."""
    weekday: int | None = None
    """For "week": the day (0 Monday), or None to take the first occurrence's day."""
    hours: int = 0
    """For "hours": 1 to MAX_REPEAT_HOURS."""
    minutes: int = 0
    """For "minutes": MIN_REPEAT_MINUTES to 59."""
    twice: bool = False
    """"아침저녁으로", "twice a day": a morning and an evening reminder, each every day."""
    days: int = 0
    """For "days": 2 to MAX_REPEAT_DAYS ('이틀에 한 번', 'every other day' is 2)."""
    monthday: int = 0
    """For "month": the day of the month (1-31, see LAST_DAY), or 0 to take the first
    occurrence's day."""
    also: int | None = None
    """For "week": a second day said in the same request ('화요일하고 목요일', 'Tuesdays and
    Thursdays'); the request is then two weekly reminders, one per day."""

    def to_body(self) -> dict[str, object]:
        """The stored form (a reminder body's optional "repeat" field)."""
        body: dict[str, object] = {"every": self.every}
        if self.every == "week" and self.weekday is not None:
            body["weekday"] = self.weekday
        if self.every == "hours":
            body["hours"] = self.hours
        if self.every == "minutes":
            body["minutes"] = self.minutes
        if self.every == "days":
            body["days"] = self.days
        if self.every == "month" and self.monthday:
            body["day"] = self.monthday
        return body

    @classmethod
    def from_body(cls, body: object) -> "Repeat | None":
        """The rule a stored "repeat" field holds, or None when absent or not a rule we know
        (a body from another version or a damaged sync message is then a one-off reminder)."""
        if not isinstance(body, dict) or body.get("every") not in REPEAT_EVERY:
            return None
        every = str(body["every"])
        weekday = body.get("weekday")
        hours, minutes = body.get("hours", 0), body.get("minutes", 0)
        if every == "week" and not (
            weekday is None or (isinstance(weekday, int) and 0 <= weekday <= 6)
        ):
            return None
        if every == "hours" and not (isinstance(hours, int) and 1 <= hours <= MAX_REPEAT_HOURS):
            return None
        if every == "minutes" and not (
            isinstance(minutes, int) and MIN_REPEAT_MINUTES <= minutes <= 59
        ):
            return None
        days, monthday = body.get("days", 0), body.get("day", 0)
        if every == "days" and not (isinstance(days, int) and 2 <= days <= MAX_REPEAT_DAYS):
            return None
        if every == "month" and not (isinstance(monthday, int) and 1 <= monthday <= LAST_DAY):
            return None
        return cls(
            every,
            weekday if every == "week" else None,
            hours if every == "hours" else 0,
            minutes=minutes if every == "minutes" else 0,
            days=days if every == "days" else 0,
            monthday=monthday if every == "month" else 0,
        )

    @property
    def step(self) -> timedelta | None:
        """The interval of an every-N-hours or -minutes rule, None for a daily kind."""
        if self.every == "hours":
            return timedelta(hours=self.hours)
        if self.every == "minutes":
            return timedelta(minutes=self.minutes)
        return None

    @property
    def interval(self) -> timedelta | None:
        """The fixed gap between occurrences: every N hours, minutes or days; None otherwise."""
        if self.every == "days":
            return timedelta(days=self.days)
        return self.step

    def _in_month(self, like: datetime, year: int, month: int) -> datetime:
        """The rule's day in that month at like's time of day (past the end: the last day)."""
        day = min(self.monthday or like.day, calendar.monthrange(year, month)[1])
        return like.replace(year=year, month=month, day=day)

    def _month_on(self, like: datetime, after: datetime, strictly: bool) -> datetime:
        """The first monthly occurrence at (or, strictly, after) `after`, at like's time."""
        year, month = after.year, after.month
        for _ in range(2):
            moment = self._in_month(like, year, month)
            if moment > after or (moment == after and not strictly):
                return moment
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return moment

    def fits(self, moment: datetime) -> bool:
        """Whether the rule allows this moment's day."""
        if self.every == "weekday":
            return moment.weekday() < 5
        if self.every == "weekend":
            return moment.weekday() >= 5
        if self.every == "week" and self.weekday is not None:
            return moment.weekday() == self.weekday
        return True

    def first(self, start: datetime) -> datetime:
        """The first occurrence at or after start, at start's time of day."""
        if self.every == "month":
            return self._month_on(start, start, strictly=False)
        moment = start
        for _ in range(7):
            if self.fits(moment):
                return moment
            moment = _wall_add(moment, timedelta(days=1))
        return moment

    def next_after(self, due: datetime, after: datetime) -> datetime:
        """The first occurrence later than `after`, counting on from `due` (never `due` itself
        when that is not later): a reminder missed for days comes back once, at its next time."""
        if due > after:
            return due
        if self.every == "month":
            return self._month_on(due, after, strictly=True)
        step = self.interval
        if step is not None:
            skipped = (after - due) // step + 1
            return _wall_add(due, step * skipped)
        days = max((after.date() - due.date()).days, 0)
        moment = _wall_add(due, timedelta(days=days))
        while moment <= after or not self.fits(moment):
            moment = _wall_add(moment, timedelta(days=1))
        return moment


def _wall_add(moment: datetime, delta: timedelta) -> datetime:
    """moment + delta on the wall clock of moment's own offset (a daily time stays that time)."""
    return moment + delta


def find_repeat(text: str, lang: str) -> tuple[Repeat, list[tuple[int, int]]] | None:
    """The recurrence a text asks for and where it is said, or None for a one-off."""
    clean = normalize_text(text)
    rules = _KO_REPEAT if lang[:2].lower() == "ko" else _EN_REPEAT
    for pattern, meaning in rules:
        match = pattern.search(clean)
        if match:
            repeat = meaning(match)
            if repeat is not None:
                return repeat, [match.span()]
    return None


def _weekly(m: re.Match[str], names: tuple[str, ...] | str) -> Repeat:
    said = m.groupdict().get("wd") or m.groupdict().get("wds")
    if not said:
        return Repeat("week")
    if isinstance(names, str):
        return Repeat("week", names.index(said))
    return Repeat("week", names.index(said.lower()))


def _every_hours(n: int | None) -> Repeat | None:
    return Repeat("hours", hours=n) if n is not None and 1 <= n <= MAX_REPEAT_HOURS else None


def _every_minutes(n: int | None) -> Repeat | None:
    if n is None or not MIN_REPEAT_MINUTES <= n <= 59:
        return None
    return Repeat("minutes", minutes=n)


def _every_days(n: int | None) -> Repeat | None:
    return Repeat("days", days=n) if n is not None and 2 <= n <= MAX_REPEAT_DAYS else None


def _monthly(said: str | None, lang: str) -> Repeat | None:
    """'매달 25일', 'every month on the 1st', '말일', 'the last day': the day, or 0 for the first
    occurrence's day when none is said."""
    if not said:
        return Repeat("month")
    if re.search(r"말일|마지막|last", said, re.I):
        return Repeat("month", monthday=LAST_DAY)
    day = parse_english_ordinal(said) if lang == "en" else None
    day = day if day is not None else _number(said.strip(), lang)
    return Repeat("month", monthday=day) if day is not None and 1 <= day <= LAST_DAY else None


def _two_days(a: str, b: str, names: tuple[str, ...] | str) -> Repeat | None:
    first, second = (names.index(d.lower()) for d in (a, b))
    return Repeat("week", first, also=second) if first != second else Repeat("week", first)


_KO_MONTHDAY = rf"(?:(?P<d>{_KO_DAY_NUMBER}){_S}일|(?P<last>말일|마지막{_S}날))"
_EN_MONTHDAY = rf"{EN_ORDINAL}|last{_S1}day"
_EN_DAYS_OR = "|".join(_EN_WEEKDAYS)

_RepeatRule = tuple[re.Pattern[str], Callable[[re.Match[str]], Repeat | None]]
_KO_REPEAT: tuple[_RepeatRule, ...] = (
    (
        _ko(rf"(?:매달|매월|달마다|한{_S}달에{_S}한{_S}번(?:씩)?){_S}(?:{_KO_MONTHDAY}(?:마다)?)?"),
        lambda m: _monthly(m["d"] or m["last"], "ko"),
    ),
    (
        _ko(
            rf"격일(?:로|마다|에)?|하루{_S}걸러(?:서)?|(?P<n>{'|'.join(_KO_NATIVE_DAYS)})"
            rf"(?:에{_S}한{_S}번(?:씩|꼴로)?|마다)"
        ),
        lambda m: _every_days(_KO_NATIVE_DAYS[m["n"]] if m["n"] else 2),
    ),
    (
        # two days only as a habit (매주, 마다): '화요일하고 목요일에' alone is this week's
        _ko(
            rf"(?P<every>매주{_S})?(?P<a>[{_KO_WEEKDAYS}])요일{_S}(?:이랑|하고|과|와|랑|,|및){_S}"
            rf"(?P<b>[{_KO_WEEKDAYS}])요일(?P<each>{_S}마다)?"
        ),
        lambda m: _two_days(m["a"], m["b"], _KO_WEEKDAYS) if m["every"] or m["each"] else None,
    ),
    (
        _ko(
            r"아침\s?(?:이랑|하고|과|,)?\s?(?:저녁|밤)(?:으로|마다|에|에는)?|하루(?:에)?\s?(?:두|2)\s?번(?:씩)?"
        ),
        lambda m: Repeat("day", twice=True),
    ),
    (
        _ko(rf"(?P<n>{KO_NATIVE}){_S}시간(?:{_S}마다|에{_S}한{_S}번(?:씩)?)"),
        lambda m: _every_hours(_number(m["n"], "ko")),
    ),
    (_ko(r"한\s?시간마다|매\s?시간"), lambda m: Repeat("hours", hours=1)),
    (
        # not a clock's minutes ('8시 40분마다' is every day at 8:40, not every 40 minutes)
        _ko(rf"(?<!시)(?<!시\s)(?P<n>{KO_SINO}){_S}분(?:{_S}마다|에{_S}한{_S}번(?:씩)?)"),
        lambda m: _every_minutes(_number(m["n"], "ko")),
    ),
    (_ko(r"주말(?:마다|에는|엔|에)?|토요일이랑\s?일요일(?:마다)?"), lambda m: Repeat("weekend")),
    (
        _ko(
            r"평일(?:마다|에는|에|엔|은|날)?|주중(?:마다|에는|에)?|월요일부터\s?금요일까지|월\s?[~-]\s?금"
        ),
        lambda m: Repeat("weekday"),
    ),
    (
        _ko(
            rf"매주\s?(?:(?P<wd>[{_KO_WEEKDAYS}])요일(?:마다|에|날|은)?)?|(?P<wd2>[{_KO_WEEKDAYS}])요일마다"
        ),
        lambda m: _weekly_ko(m),
    ),
    (
        _ko(
            r"매일(?:\s?매일)?(?:같이)?|날마다|하루도\s?빠짐없이|(?:아침|저녁|밤|새벽|점심)\s?마다"
            r"|(?<=[시반분])\s?마다"
        ),
        lambda m: Repeat("day"),
    ),
)
_EN_REPEAT: tuple[_RepeatRule, ...] = (
    (
        _en(
            rf"\b(?:every|each){_S1}month\b(?:{_S1}on{_S1}the{_S1}(?P<d>{_EN_MONTHDAY}))?"
            rf"|\bmonthly\b(?:{_S1}on{_S1}the{_S1}(?P<d2>{_EN_MONTHDAY}))?"
            rf"|\b(?:on{_S1})?the{_S1}(?P<d3>{_EN_MONTHDAY}){_S1}(?:day{_S1})?of{_S1}"
            rf"(?:every|each){_S1}month\b"
        ),
        lambda m: _monthly(m["d"] or m["d2"] or m["d3"], "en"),
    ),
    (
        _en(
            rf"\bevery{_S1}(?:other|second|2nd){_S1}day\b|\bon{_S1}alternate{_S1}days\b"
            rf"|\bevery{_S1}(?P<n>{EN_NUMBER}){_S1}days\b"
        ),
        lambda m: _every_days(_number(m["n"], "en") if m["n"] else 2),
    ),
    (
        # two days as a habit: plural ('Tuesdays and Thursdays') or 'every'
        _en(
            rf"\b(?:every|each){_S1}(?P<a>{_EN_DAYS_OR}){_S}(?:,|and|&|,{_S}and){_S}"
            rf"(?P<b>{_EN_DAYS_OR})s?\b"
            rf"|\b(?P<a2>{_EN_DAYS_OR})s{_S}(?:,|and|&|,{_S}and){_S}(?P<b2>{_EN_DAYS_OR})s\b"
        ),
        lambda m: _two_days(m["a"] or m["a2"], m["b"] or m["b2"], _EN_WEEKDAYS),
    ),
    (
        _en(
            rf"\btwice{_S1}(?:a|per|each){_S1}day\b|\b(?:two{_S1}times|2{_S1}times){_S1}a{_S1}day\b"
            rf"|\b(?:every{_S1}|each{_S1})?morning{_S1}and{_S1}(?:evening|night)\b"
        ),
        lambda m: Repeat("day", twice=True),
    ),
    (
        _en(rf"\bevery{_S1}(?P<n>{EN_NUMBER}){_S1}hours?\b"),
        lambda m: _every_hours(_number(m["n"], "en")),
    ),
    (_en(r"\b(?:every|each)\s{1,3}hour\b|\bhourly\b"), lambda m: Repeat("hours", hours=1)),
    (
        _en(rf"\bevery{_S1}(?P<n>{EN_NUMBER}){_S1}min(?:ute)?s?\b"),
        lambda m: _every_minutes(_number(m["n"], "en")),
    ),
    (
        _en(rf"\b(?:every{_S1}weekend|(?:on{_S1})?weekends|saturdays{_S1}and{_S1}sundays)\b"),
        lambda m: Repeat("weekend"),
    ),
    (
        _en(
            rf"\b(?:on{_S1})?(?:every{_S1})?week{_S}days?\b(?<!\bweekday\b)|\bevery{_S1}weekday\b"
            rf"|\b(?:on{_S1})?weekday{_S1}(?:mornings|evenings|nights)\b"
            rf"|\bmonday{_S1}(?:to|through|thru|till|until){_S1}friday\b"
        ),
        lambda m: Repeat("weekday"),
    ),
    (
        _en(
            rf"\b(?:every|each){_S1}(?:single{_S1})?{_EN_WEEKDAY}\b|\b(?:on{_S1})?(?P<wds>{'|'.join(_EN_WEEKDAYS)})"
            rf"(?:s\b|{_S1}(?=(?:mornings|afternoons|evenings|nights)\b))"
            rf"|\b(?:every|each){_S1}week\b|\bweekly\b|\bonce{_S1}a{_S1}week\b"
        ),
        lambda m: _weekly(m, _EN_WEEKDAYS),
    ),
    (
        _en(
            rf"\b(?:every{_S}day|everyday|daily|each{_S1}day|every{_S1}single{_S1}day"
            rf"|(?:every|each){_S1}(?:morning|evening|night|afternoon))\b"
        ),
        lambda m: Repeat("day"),
    ),
)


def _weekly_ko(m: re.Match[str]) -> Repeat:
    said = m["wd"] or m["wd2"]
    return Repeat("week", _KO_WEEKDAYS.index(said) if said else None)


# --- a move by an amount ------------------------------------------------------------------

_KO_SHIFT = _ko(
    rf"(?:(?P<h>{KO_NATIVE}){_S}시간(?P<half>{_S}반)?|(?P<hh>반){_S}시간|(?P<m>{KO_SINO}){_S}분"
    rf"|(?P<d>{'|'.join(_KO_NATIVE_DAYS)}))"
    rf"{_S}(?:만|정도|쯤)?{_S}(?:더{_S})?"
    r"(?P<dir>미뤄|미루|늦춰|뒤로|당겨|앞당겨|앞으로|(?:늦게|일찍|빨리)(?=\s{0,3}(?:해|바꿔|맞춰|옮겨)))"
)
_EN_SHIFT = _en(
    rf"\b(?:(?P<a>{EN_NUMBER}|an?)(?P<half>{_EN_HALF})?{_S1}(?P<u>hours?|hrs?|minutes?|mins?|days?)"
    rf"|(?P<hh>half{_S1}an?{_S1}hour))"
    rf"{_S1}(?P<dir>later|earlier|back|forward|sooner)\b"
    rf"|\b(?:push|move|bump|put|set)\s{{1,3}}(?:it|that|[\w' ]{{1,30}}?(?:one|reminder|alarm))"
    rf"{_S1}(?P<dir2>back|forward|later|earlier){_S1}(?:by{_S1})?"
    rf"(?:(?P<a2>{EN_NUMBER}|an?)(?P<half2>{_EN_HALF})?{_S1}(?P<u2>hours?|hrs?|minutes?|mins?|days?)"
    rf"|(?P<hh2>half{_S1}an?{_S1}hour))"
)


def find_shift(text: str, lang: str) -> timedelta | None:
    """A move by an amount from the time set ('한 시간 미뤄 줘', '30분 당겨', 'push it back an
    hour', 'make it half an hour earlier'): later positive, earlier negative; None if not said."""
    clean = normalize_text(text)
    if lang[:2].lower() == "ko":
        m = _KO_SHIFT.search(clean)
        if not m:
            return None
        if m["d"]:
            delta = timedelta(days=_KO_NATIVE_DAYS[m["d"]])
        elif m["hh"]:
            delta = timedelta(minutes=30)
        elif m["h"]:
            hours = _number(m["h"], "ko")
            if hours is None:
                return None
            delta = timedelta(hours=hours, minutes=30 if m["half"] else 0)
        else:
            minutes = _number(m["m"], "ko")
            if minutes is None:
                return None
            delta = timedelta(minutes=minutes)
        earlier = m["dir"] in ("당겨", "앞당겨", "앞으로", "일찍", "빨리")  # the rest: later
        return -delta if earlier else delta
    m = _EN_SHIFT.search(clean)
    if not m:
        return None
    said_dir = (m["dir"] or m["dir2"]).lower()
    if m["hh"] or m["hh2"]:
        delta = timedelta(minutes=30)
    else:
        amount = _en_amount(m["a"] or m["a2"])
        if amount is None:
            return None
        half = 0.5 if (m["half"] or m["half2"]) else 0
        delta = _delta((m["u"] or m["u2"])[0].lower(), amount + half)
    return -delta if said_dir in ("earlier", "forward", "sooner") else delta


_KO_LEAD = _ko(
    rf"(?:(?P<h>{KO_NATIVE}){_S}시간(?P<half>{_S}반)?|(?P<hh>반){_S}시간|(?P<m>{KO_SINO}){_S}분)"
    rf"{_S}(?:정도|쯤)?{_S}(?:전|먼저|일찍)(?:에|쯤)?"
)
_EN_LEAD = _en(
    rf"\b(?:(?P<a>{EN_NUMBER}|an?)(?P<half>{_EN_HALF})?{_S1}(?P<u>hours?|hrs?|minutes?|mins?)"
    rf"|(?P<hh>half{_S1}an?{_S1}hour))"
    rf"{_S1}(?:before(?:hand)?|ahead(?:{_S1}of{_S1}time)?|early|prior)\b"
)


def find_lead(text: str, lang: str) -> tuple[timedelta, tuple[int, int]] | None:
    """How long before an event a reminder is asked for ('한 시간 전에', '30분 전', 'half an hour
    before', '20 minutes ahead') and where it is said; None if not said."""
    clean = normalize_text(text)
    if lang[:2].lower() == "ko":
        m = _KO_LEAD.search(clean)
        if not m:
            return None
        if m["hh"]:
            return timedelta(minutes=30), m.span()
        amount = _number(m["h"] or m["m"], "ko")
        if amount is None:
            return None
        half = 30 if m["half"] else 0
        delta = timedelta(hours=amount, minutes=half) if m["h"] else timedelta(minutes=amount)
        return delta, m.span()
    m = _EN_LEAD.search(clean)
    if not m:
        return None
    if m["hh"]:
        return timedelta(minutes=30), m.span()
    amount = _en_amount(m["a"])
    if amount is None:
        return None
    return _delta(m["u"][0].lower(), amount + (0.5 if m["half"] else 0)), m.span()


def on_day(
    text: str, lang: str, day: date, now: datetime, before: datetime | None = None
) -> datetime | None:
    """The time of day said in text ('아홉 시 반에', 'that morning at 9', 'at noon') on a day named
    elsewhere; a bare hour is the latest of its am/pm readings not after `before` (the event the
    reminder is for), else read as a time alone is. None when text says no time of day."""
    found = find_time_phrases(text, lang)
    clocks = [f.value for f in found if f.kind == "clock" and isinstance(f.value, Clock)]
    parts = [f.value for f in found if f.kind == "part" and isinstance(f.value, str)]
    clock, part = (clocks[0] if clocks else None), (parts[0] if parts else None)
    if clock is None and part is None:
        return None
    hours = _hours(clock, part)
    minute = clock.minute if clock else 0
    if before is not None and clock is not None and clock.meridiem is None and part is None:
        fits = [h for h in sorted(set(hours)) if _at(day, h, minute, now) <= before]
        hours = [fits[-1]] if fits else hours
    return _at(day, hours[0], minute, now)
