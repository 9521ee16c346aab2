"""Time expressions in Korean and English resolve to the right future moment, or to None."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from earpiece.nlu.numbers import (
    parse_english_number,
    parse_english_ordinal,
    parse_korean_number,
)
from earpiece.nlu.timeparse import (
    MAX_CHARS,
    DayOfMonth,
    Repeat,
    find_repeat,
    find_time_phrases,
    resolve_when,
    time_spans,
)

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL)  # a Friday afternoon


def at(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SEOUL)


KOREAN = [
    # relative, digits and words
    ("30분 뒤", at(11, 27, 14, 40)),
    ("30분 후", at(11, 27, 14, 40)),
    ("30분 있다가", at(11, 27, 14, 40)),
    ("30분 이따가", at(11, 27, 14, 40)),
    ("삼십 분 뒤", at(11, 27, 14, 40)),
    ("삼십분 후에", at(11, 27, 14, 40)),
    ("오 분 뒤에", at(11, 27, 14, 15)),
    ("한 시간 반 뒤", at(11, 27, 15, 40)),
    ("한시간반뒤", at(11, 27, 15, 40)),
    ("1시간 반 뒤", at(11, 27, 15, 40)),
    ("1시간 30분 뒤", at(11, 27, 15, 40)),
    ("두 시간 후", at(11, 27, 16, 10)),
    ("2시간 후", at(11, 27, 16, 10)),
    ("열두 시간 뒤", at(11, 28, 2, 10)),
    ("이틀 뒤", at(11, 29, 14, 10)),
    ("3일 후", at(11, 30, 14, 10)),
    ("일주일 뒤", at(12, 4, 14, 10)),
    ("2주 후", at(12, 11, 14, 10)),
    # days, parts of day and clock times
    ("내일 아침 7시", at(11, 28, 7)),
    ("내일 아침 일곱 시에", at(11, 28, 7)),
    ("내일아침일곱시", at(11, 28, 7)),
    ("낼 아침 7시", at(11, 28, 7)),
    ("오늘 밤 10시", at(11, 27, 22)),
    ("오늘 밤 열 시", at(11, 27, 22)),
    ("오늘밤 10시", at(11, 27, 22)),
    ("저녁 여섯 시", at(11, 27, 18)),
    ("저녁 6시", at(11, 27, 18)),
    ("오후 3시 15분", at(11, 27, 15, 15)),
    ("오후 세 시 십오 분", at(11, 27, 15, 15)),
    ("오후세시", at(11, 27, 15)),
    ("오전 9시 반", at(11, 28, 9, 30)),
    ("오전 아홉 시 반", at(11, 28, 9, 30)),
    ("모레 오후 두 시", at(11, 29, 14)),
    ("모레 오후 2시", at(11, 29, 14)),
    ("금요일 오후 다섯 시", at(11, 27, 17)),
    ("금요일 오후 5시", at(11, 27, 17)),
    ("다음 주 월요일 아침 8시", at(11, 30, 8)),
    ("다음 주 월요일 아침 여덟 시", at(11, 30, 8)),
    ("다음주 수요일", at(12, 2, 9)),
    ("이번 주 토요일", at(11, 28, 9)),
    ("목요일", at(12, 3, 9)),
    ("다음 주", at(11, 30, 9)),
    ("3월 5일 오후 2시", at(3, 5, 14, year=2027)),
    ("삼월 오일 오후 두 시", at(3, 5, 14, year=2027)),
    ("12월 25일", at(12, 25, 9)),
    ("시월 삼일", at(10, 3, 9, year=2027)),
    ("정오", at(11, 28, 12)),
    ("정오에", at(11, 28, 12)),
    ("자정", at(11, 28, 0)),
    ("밤 12시", at(11, 28, 0)),
    ("밤 열두 시", at(11, 28, 0)),
    ("밤 1시", at(11, 28, 1)),
    ("새벽 다섯 시", at(11, 28, 5)),
    ("새벽 2시", at(11, 28, 2)),
    ("점심 12시", at(11, 28, 12)),
    ("낮 2시", at(11, 28, 14)),
    ("내일 저녁", at(11, 28, 19)),
    ("저녁", at(11, 27, 19)),
    ("오후", at(11, 27, 15)),
    ("밤", at(11, 27, 21)),
    ("아침", at(11, 28, 8)),
    ("새벽", at(11, 28, 5)),
    ("내일", at(11, 28, 9)),
    ("모레", at(11, 29, 9)),
    # bare hours: the next such time, pm for 1-6 while it is still ahead
    ("7시", at(11, 27, 19)),
    ("일곱 시", at(11, 27, 19)),
    ("3시", at(11, 27, 15)),
    ("세 시", at(11, 27, 15)),
    ("2시", at(11, 28, 2)),
    ("다섯 시 반", at(11, 27, 17, 30)),
    ("일곱 시 삼십 분", at(11, 27, 19, 30)),
    ("7시 30분", at(11, 27, 19, 30)),
    ("9시 정각", at(11, 27, 21)),
    ("18시", at(11, 27, 18)),
    ("내일 7시", at(11, 28, 7)),
    ("내일 세 시", at(11, 28, 15)),
    # embedded in a request
    ("내일 아침 7시에 깨워줘", at(11, 28, 7)),
    ("빨래 꺼내라고 30분 뒤에 알려줘", at(11, 27, 14, 40)),
]

ENGLISH = [
    ("in 20 minutes", at(11, 27, 14, 30)),
    ("in twenty minutes", at(11, 27, 14, 30)),
    ("in 5 mins", at(11, 27, 14, 15)),
    ("in an hour", at(11, 27, 15, 10)),
    ("in one hour", at(11, 27, 15, 10)),
    ("in half an hour", at(11, 27, 14, 40)),
    ("in two and a half hours", at(11, 27, 16, 40)),
    ("in 2 and a half hours", at(11, 27, 16, 40)),
    ("in an hour and a half", at(11, 27, 15, 40)),
    ("in 1 hour and 30 minutes", at(11, 27, 15, 40)),
    ("twenty minutes from now", at(11, 27, 14, 30)),
    ("in 3 days", at(11, 30, 14, 10)),
    ("in a week", at(12, 4, 14, 10)),
    ("at 5 pm", at(11, 27, 17)),
    ("at five p m", at(11, 27, 17)),
    ("at 5 p.m.", at(11, 27, 17)),
    ("5pm", at(11, 27, 17)),
    ("five PM", at(11, 27, 17)),
    ("at 5:30", at(11, 27, 17, 30)),
    ("at five thirty", at(11, 27, 17, 30)),
    ("at seven thirty", at(11, 27, 19, 30)),
    ("at 7:30", at(11, 27, 19, 30)),
    ("at seven thirty five", at(11, 27, 19, 35)),
    ("at seven oh five", at(11, 27, 19, 5)),
    ("at 17:45", at(11, 27, 17, 45)),
    ("at 9 o'clock", at(11, 27, 21)),
    ("half past seven", at(11, 27, 19, 30)),
    ("quarter to five", at(11, 27, 16, 45)),
    ("at noon", at(11, 28, 12)),
    ("at midnight", at(11, 28, 0)),
    ("tomorrow morning at 7", at(11, 28, 7)),
    ("tomorrow morning at seven", at(11, 28, 7)),
    ("tomorrow at 7 am", at(11, 28, 7)),
    ("tomorrow at seven a m", at(11, 28, 7)),
    ("tomorrow at 7", at(11, 28, 7)),
    ("tomorrow night", at(11, 28, 21)),
    ("tonight at 10", at(11, 27, 22)),
    ("tonight at ten", at(11, 27, 22)),
    ("tonight", at(11, 27, 21)),
    ("this evening", at(11, 27, 19)),
    ("at 9 in the evening", at(11, 27, 21)),
    ("at 5 pm on friday", at(11, 27, 17)),
    ("at five pm on Friday", at(11, 27, 17)),
    ("on friday at 5", at(11, 27, 17)),
    ("on friday at five", at(11, 27, 17)),
    ("next monday at 8 am", at(11, 30, 8)),
    ("next monday at eight a m", at(11, 30, 8)),
    ("friday next week", at(12, 4, 9)),
    ("next week", at(11, 30, 9)),
    ("on wednesday", at(12, 2, 9)),
    ("on march 5th at 2 pm", at(3, 5, 14, year=2027)),
    ("on march fifth at two p m", at(3, 5, 14, year=2027)),
    ("the fifth of march", at(3, 5, 9, year=2027)),
    ("december 25", at(12, 25, 9)),
    ("on Dec 31st at 11 pm", at(12, 31, 23)),
    ("the day after tomorrow at 2", at(11, 29, 14)),
    ("the day after tomorrow at two", at(11, 29, 14)),
    ("at 7", at(11, 27, 19)),
    ("at seven", at(11, 27, 19)),
    ("at 3", at(11, 27, 15)),
    ("at 2", at(11, 28, 2)),
    ("tomorrow", at(11, 28, 9)),
    ("remind me to call mom at five", at(11, 27, 17)),
    ("Wake me up at 7, please!", at(11, 27, 19)),
]


@pytest.mark.parametrize(("text", "expected"), KOREAN)
def test_korean(text: str, expected: datetime) -> None:
    assert resolve_when(text, "ko", NOW) == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: datetime) -> None:
    assert resolve_when(text, "en", NOW) == expected


ROLL_FORWARD = [
    # (now, lang, text, expected)
    (at(11, 27, 20), "ko", "7시", at(11, 28, 7)),
    (at(11, 27, 6), "ko", "7시", at(11, 27, 7)),
    (at(11, 27, 20), "ko", "3시", at(11, 28, 3)),
    (at(11, 27, 1), "ko", "3시", at(11, 27, 15)),
    (at(11, 27, 23), "ko", "6시에 깨워줘", at(11, 28, 6)),
    (at(11, 27, 20), "en", "at 7", at(11, 28, 7)),
    (at(11, 27, 20), "en", "at seven thirty", at(11, 28, 7, 30)),
    (at(11, 27, 18), "ko", "금요일 오후 다섯 시", at(12, 4, 17)),
    (at(11, 27, 18), "en", "at 5 pm on friday", at(12, 4, 17)),
    (at(11, 27, 18), "en", "on friday at 5", at(12, 4, 17)),
    (at(11, 27, 18), "en", "next friday", at(12, 4, 9)),
    (at(11, 23, 10), "en", "next friday", at(11, 27, 9)),
    (at(11, 23, 10), "ko", "다음 주 금요일", at(12, 4, 9)),
    (at(11, 27, 18), "ko", "저녁 여섯 시", at(11, 28, 18)),
    (at(11, 27, 22, 30), "en", "tonight at 10", at(11, 28, 22)),
    (at(11, 27, 20), "en", "this evening", at(11, 28, 19)),
    (at(11, 27, 11), "ko", "정오", at(11, 27, 12)),
    (at(11, 27, 11), "en", "at noon", at(11, 27, 12)),
    (at(3, 5, 15), "ko", "3월 5일 오후 2시", at(3, 5, 14, year=2027)),
    (at(3, 5, 13), "en", "on march 5th at 2 pm", at(3, 5, 14)),
    (at(3, 1, 9), "ko", "2월 29일", at(2, 29, 9, year=2028)),
    (at(12, 31, 23, 50), "en", "in 20 minutes", at(1, 1, 0, 10, year=2027)),
]


@pytest.mark.parametrize(("now", "lang", "text", "expected"), ROLL_FORWARD)
def test_rolls_forward_to_the_future(
    now: datetime, lang: str, text: str, expected: datetime
) -> None:
    resolved = resolve_when(text, lang, now)
    assert resolved == expected
    assert resolved > now


EVERY_EXPRESSION = [(t, "ko") for t, _ in KOREAN] + [(t, "en") for t, _ in ENGLISH]


@pytest.mark.parametrize(("text", "lang"), EVERY_EXPRESSION)
def test_result_is_future_and_keeps_the_zone(text: str, lang: str) -> None:
    resolved = resolve_when(text, lang, NOW)
    assert resolved is not None
    assert resolved > NOW
    assert resolved.tzinfo is NOW.tzinfo


def test_relative_time_counts_real_hours_across_a_dst_change() -> None:
    new_york = ZoneInfo("America/New_York")
    now = datetime(2026, 11, 1, 0, 30, tzinfo=new_york)  # clocks go back at 2:00
    resolved = resolve_when("in 2 hours", "en", now)
    assert resolved is not None
    assert resolved.tzinfo is new_york
    assert resolved.astimezone(UTC) - now.astimezone(UTC) == timedelta(hours=2)
    assert resolved.utcoffset() == timedelta(hours=-5)


def test_naive_now_gives_naive_answers() -> None:
    now = NOW.replace(tzinfo=None)
    assert resolve_when("in 20 minutes", "en", now) == now + timedelta(minutes=20)
    assert resolve_when("내일 아침 7시", "ko", now) == datetime(2026, 11, 28, 7)


def test_the_end_of_time_gives_none() -> None:
    end = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert resolve_when("in 2 hours", "en", end) is None
    assert resolve_when("tomorrow", "en", end) is None
    assert resolve_when("3월 5일", "ko", end) is None


def test_language_tags_are_read_by_their_prefix() -> None:
    assert resolve_when("내일 아침 7시", "ko-KR", NOW) == at(11, 28, 7)
    assert resolve_when("at 5 pm", "EN", NOW) == at(11, 27, 17)


NOT_A_TIME = [
    ("", "ko"),
    ("", "en"),
    ("   ", "ko"),
    ("안녕", "ko"),
    ("지금 몇 시야", "ko"),
    ("오늘", "ko"),
    ("오늘 기분 어때", "ko"),
    ("다시 말해줘", "ko"),
    ("이 시간에 뭐 해", "ko"),
    ("99시", "ko"),
    ("25시 61분", "ko"),
    ("2월 30일", "ko"),
    ("0분 뒤", "ko"),
    ("점심 먹으라고 알려줘", "ko"),
    ("hello there", "en"),
    ("what time is it", "en"),
    ("today", "en"),
    ("call 5 people", "en"),
    ("at 99", "en"),
    ("at 25:61", "en"),
    ("february 30th", "en"),
    ("in 0 minutes", "en"),
    ("set a timer for 20 minutes", "en"),
    ("내일 아침 7시", "fr"),
    ("tomorrow", "ko"),
    ("😀😀😀 🕖 ⏰", "en"),
    ("😀😀😀 🕖 ⏰", "ko"),
    ("\x00\x01\x02\x1b[31m\x7f\u200b\ufeff", "en"),
    ("\x00\x01\x02\x1b[31m\x7f\u200b\ufeff", "ko"),
    ("ㅋㅋㅋ ☃ Ωμέγα ١٢٣ العربية 漢字 かな", "ko"),
    ("ㅋㅋㅋ ☃ Ωμέγα ١٢٣ العربية 漢字 かな", "en"),
    ("\U0010ffff\ud7a3\uac00" * 50, "ko"),
]


@pytest.mark.parametrize(("text", "lang"), NOT_A_TIME)
def test_no_time_gives_none(text: str, lang: str) -> None:
    assert resolve_when(text, lang, NOW) is None


@pytest.mark.parametrize("text", [None, 42, b"at 5 pm"])
def test_non_text_gives_none(text: object) -> None:
    assert resolve_when(text, "en", NOW) is None  # type: ignore[arg-type]


def test_control_characters_between_words_do_not_hide_a_time() -> None:
    assert resolve_when("내일\t아침\n7시", "ko", NOW) == at(11, 28, 7)
    assert resolve_when("at\u00a05\x00pm", "en", NOW) == at(11, 27, 17)


def test_decomposed_hangul_is_read_like_composed() -> None:
    import unicodedata

    assert resolve_when(unicodedata.normalize("NFD", "내일 아침 7시"), "ko", NOW) == at(11, 28, 7)


HUNDRED_KB = 100_000
LARGE_TEXTS = [
    "1" * HUNDRED_KB,
    "일" * HUNDRED_KB,
    " " * HUNDRED_KB,
    "at " * (HUNDRED_KB // 3),
    "1:" * (HUNDRED_KB // 2),
    "일곱 시 " * (HUNDRED_KB // 5),
    "한 시간 반 " * (HUNDRED_KB // 7),
    "in 1 and a half " * (HUNDRED_KB // 16),
    "twenty " * (HUNDRED_KB // 7),
    "😀\u200b\x00" * (HUNDRED_KB // 3),
    "".join(chr(0x20 + (i * 7919) % 0x3000) for i in range(HUNDRED_KB)),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("text", LARGE_TEXTS, ids=range(len(LARGE_TEXTS)))
def test_100_kb_of_garbage_returns(text: str, lang: str) -> None:
    resolved = resolve_when(text, lang, NOW)
    assert resolved is None or resolved > NOW


def test_only_the_start_of_a_huge_text_is_read() -> None:
    padding = "x" * HUNDRED_KB
    assert resolve_when("at 5 pm " + padding, "en", NOW) == at(11, 27, 17)
    assert resolve_when(padding + " at 5 pm", "en", NOW) is None
    assert all(end <= MAX_CHARS for _, end in time_spans("내일 " * HUNDRED_KB, "ko"))


def test_first_expression_wins() -> None:
    assert resolve_when("30분 뒤, 아니 내일 아침 7시", "ko", NOW) == at(11, 27, 14, 40)
    assert resolve_when("tomorrow at 7, no, in 20 minutes", "en", NOW) == at(11, 28, 7)


def test_time_spans_cover_the_time_words() -> None:
    text = "내일 아침 7시에 빨래 꺼내라고 알려줘"
    covered = "".join(text[start:end] for start, end in time_spans(text, "ko"))
    assert covered.replace(" ", "") == "내일아침7시에"
    phrase = find_time_phrases("remind me at 5 pm on friday", "en")
    assert [f.kind for f in phrase] == ["clock", "clock", "day"]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("일곱", 7), ("열두", 12), ("스물다섯", 25), ("한", 1), ("세", 3), ("네", 4),
        ("삼십", 30), ("십오", 15), ("이십일", 21), ("백이십", 120), ("영", 0), ("12", 12),
        ("이사", None), ("십백", None), ("", None), ("시", None),
    ],
)  # fmt: skip
def test_korean_numbers(words: str, value: int | None) -> None:
    assert parse_korean_number(words) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("five", 5), ("Twenty-Five", 25), ("thirty five", 35), ("thirteen", 13),
        ("one hundred and two", 102), ("a hundred", 100), ("7", 7), ("seven-ish", None),
        ("", None),
    ],
)  # fmt: skip
def test_english_numbers(words: str, value: int | None) -> None:
    assert parse_english_number(words) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [("5th", 5), ("1st", 1), ("fifth", 5), ("twenty-first", 21), ("thirtieth", 30), ("5", None)],
)
def test_english_ordinals(words: str, value: int | None) -> None:
    assert parse_english_ordinal(words) == value


# --- issue 20: times to the minute, days of the month, recurrence ---------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("13일 점심에 병원", "ko", at(12, 13, 12)),  # the 13th has passed this month: next month's
        ("십삼일 점심", "ko", at(12, 13, 12)),
        ("십일일에", "ko", at(12, 11, 9)),
        ("이십구일", "ko", at(11, 29, 9)),
        ("30일에", "ko", at(11, 30, 9)),  # still ahead this month
        ("27일 오후 3시", "ko", at(11, 27, 15)),  # today, later
        ("31일", "ko", at(12, 31, 9)),  # November has no 31st
        ("on the 13th at noon", "en", at(12, 13, 12)),
        ("the 30th at 8pm", "en", at(11, 30, 20)),
        ("on the first", "en", at(12, 1, 9)),
        ("8.00pm", "en", at(11, 27, 20)),
        ("8 o'clock pm", "en", at(11, 27, 20)),
        ("she's free 7 to 8pm", "en", at(11, 27, 20)),  # a span, not 7 minutes to 8
        ("ten to eight", "en", at(11, 27, 19, 50)),
        ("1 minute to 8pm", "en", at(11, 27, 19, 59)),  # said with 'minute': it is a time
    ],
)
def test_days_of_the_month_and_times_to_the_minute(text, lang, expected):
    assert resolve_when(text, lang, NOW) == expected


@pytest.mark.parametrize(
    "text", ["삼일절", "3일 동안", "일요일", "생일", "매일", "백일", "이 일 끝나면", "오일 교환"]
)
def test_words_with_il_are_not_a_day_of_the_month(text):
    assert all(f.kind != "day" or text == "일요일" for f in find_time_phrases(text, "ko"))
    if text != "일요일":
        assert resolve_when(text, "ko", NOW) is None


@pytest.mark.parametrize("text", ["the first thing tomorrow", "the 3rd of march"])
def test_an_ordinal_is_a_day_of_the_month_only_as_a_date(text):
    found = [f.value for f in find_time_phrases(text, "en") if f.kind == "day"]
    assert not any(isinstance(v, DayOfMonth) for v in found)


@pytest.mark.parametrize(
    ("text", "lang", "repeat"),
    [
        ("매일 여덟 시에 약 먹으라고", "ko", Repeat("day")),
        ("날마다 아침에", "ko", Repeat("day")),
        ("평일 일곱 시 반", "ko", Repeat("weekday")),
        ("매주 월요일", "ko", Repeat("week", 0)),
        ("금요일마다", "ko", Repeat("week", 4)),
        ("아침저녁으로 약 먹으라고", "ko", Repeat("day", twice=True)),
        ("하루에 두 번", "ko", Repeat("day", twice=True)),
        ("두 시간마다 물", "ko", Repeat("hours", hours=2)),
        ("every day at 8", "en", Repeat("day")),
        ("daily", "en", Repeat("day")),
        ("weekdays at 7:30", "en", Repeat("weekday")),
        ("every weekday", "en", Repeat("weekday")),
        ("every Monday", "en", Repeat("week", 0)),
        ("on thursdays", "en", Repeat("week", 3)),
        ("twice a day", "en", Repeat("day", twice=True)),
        ("every 2 hours", "en", Repeat("hours", hours=2)),
        ("every hour", "en", Repeat("hours", hours=1)),
    ],
)
def test_recurrence_as_people_say_it(text, lang, repeat):
    found = find_repeat(text, lang)
    assert found is not None and found[0] == repeat


@pytest.mark.parametrize(
    ("text", "lang"),
    [("내일 여덟 시", "ko"), ("월요일에", "ko"), ("tomorrow at 8", "en"), ("on Monday", "en"),
     ("every 30 hours", "en"), ("a weekday meeting", "en")],
)  # fmt: skip
def test_a_one_off_has_no_recurrence(text, lang):
    assert find_repeat(text, lang) is None


def test_the_next_occurrence_is_after_now_once_however_long_it_was_off():
    due = at(11, 20, 8)  # a Friday, 08:00
    now = at(11, 27, 14, 10)  # a week later
    assert Repeat("day").next_after(due, now) == at(11, 28, 8)
    assert Repeat("weekday").next_after(due, now) == at(11, 30, 8)  # Saturday is skipped
    assert Repeat("week", 4).next_after(due, now) == at(12, 4, 8)
    assert Repeat("hours", hours=2).next_after(due, now) == at(11, 27, 16)
    assert Repeat("day").next_after(at(11, 28, 8), now) == at(11, 28, 8)  # still ahead: kept
    assert Repeat("weekday").first(at(11, 28, 7, 30)) == at(11, 30, 7, 30)


@pytest.mark.parametrize(
    "body",
    [None, "daily", {"every": "month"}, {"every": "week", "weekday": 9},
     {"every": "hours", "hours": 0}, {"every": "hours", "hours": "2"}],
)  # fmt: skip
def test_an_unknown_repeat_body_is_a_one_off(body):
    assert Repeat.from_body(body) is None


def test_a_repeat_body_round_trips():
    for repeat in (Repeat("day"), Repeat("weekday"), Repeat("week", 2), Repeat("hours", hours=3)):
        assert Repeat.from_body(repeat.to_body()) == repeat


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("다음 달 3일 오후 두 시", at(12, 3, 14)),
        ("다음달 27일", at(12, 27, 9)),  # next month even though the 27th is today
        ("이번 달 30일에", at(11, 30, 9)),
        ("엄마 면회 다음 주 목요일 오후 두 시야", at(12, 3, 14)),
        ("13일이야", at(12, 13, 9)),
    ],
)
def test_korean_months_ahead_and_a_time_said_as_it_is(text, expected):
    assert resolve_when(text, "ko", NOW) == expected


@pytest.mark.parametrize(
    ("text", "lang", "repeat"),
    [
        ("주말마다", "ko", Repeat("weekend")),
        ("삼십 분마다", "ko", Repeat("minutes", minutes=30)),
        ("every 30 minutes", "en", Repeat("minutes", minutes=30)),
        ("on weekends", "en", Repeat("weekend")),
    ],
)
def test_weekends_and_minutes_recur(text, lang, repeat):
    found = find_repeat(text, lang)
    assert found is not None and found[0] == repeat
    assert Repeat.from_body(repeat.to_body()) == repeat


def test_every_two_minutes_is_too_often_to_be_a_rule():
    assert find_repeat("every 2 minutes", "en") is None
    assert Repeat("weekend").next_after(at(11, 28, 10), at(11, 29, 11)) == at(12, 5, 10)
    assert Repeat("minutes", minutes=30).next_after(at(11, 27, 14), at(11, 27, 15, 5)) == at(
        11, 27, 15, 30
    )


@pytest.mark.parametrize(
    ("text", "lang", "repeat"),
    [
        ("매달 25일에 카드값", "ko", Repeat("month", monthday=25)),
        ("매월 말일에", "ko", Repeat("month", monthday=31)),
        ("on the 1st of every month", "en", Repeat("month", monthday=1)),
        ("every month on the 31st", "en", Repeat("month", monthday=31)),
        ("monthly", "en", Repeat("month")),
        ("이틀에 한 번 저녁", "ko", Repeat("days", days=2)),
        ("격일로", "ko", Repeat("days", days=2)),
        ("every other day at 7pm", "en", Repeat("days", days=2)),
        ("every 3 days", "en", Repeat("days", days=3)),
        ("매주 화요일하고 목요일 저녁", "ko", Repeat("week", 1, also=3)),
        ("화요일이랑 목요일마다", "ko", Repeat("week", 1, also=3)),
        ("Tuesdays and Thursdays at 6pm", "en", Repeat("week", 1, also=3)),
        ("every Monday and Wednesday", "en", Repeat("week", 0, also=2)),
    ],
)
def test_monthly_every_other_day_and_two_weekdays_recur(text, lang, repeat):
    found = find_repeat(text, lang)
    assert found is not None and found[0] == repeat
    if repeat.every == "month" and not repeat.monthday:
        return  # stored only once its first occurrence has named the day
    stored = Repeat.from_body(repeat.to_body())
    assert stored is not None and stored.every == repeat.every
    assert (stored.monthday, stored.days) == (repeat.monthday, repeat.days)


def test_two_weekdays_said_once_are_not_a_habit():
    # '화요일하고 목요일에' alone is this week's days; only 매주 / 마다 / plural / every recur
    assert find_repeat("화요일하고 목요일에 요가", "ko") is None
    assert find_repeat("on Tuesday and Thursday", "en") is None


def test_a_monthly_day_past_the_months_end_is_its_last_day_and_comes_back():
    rule = Repeat("month", monthday=31)
    assert rule.first(at(11, 27, 9)) == at(11, 30, 9)  # November has 30 days
    assert rule.next_after(at(11, 30, 9), at(11, 30, 9, 1)) == at(12, 31, 9)  # the 31st again
    assert rule.next_after(at(1, 31, 9, year=2027), at(1, 31, 10, year=2027)) == at(
        2, 28, 9, year=2027
    )
    assert Repeat("month", monthday=25).first(at(11, 27, 9)) == at(12, 25, 9)
    # missed for months: comes back once, at the next time
    assert Repeat("month", monthday=1).next_after(at(9, 1, 9), at(11, 27, 14)) == at(12, 1, 9)


def test_every_other_day_steps_two_days():
    rule = Repeat("days", days=2)
    assert rule.next_after(at(11, 27, 20), at(11, 27, 20, 1)) == at(11, 29, 20)
    assert rule.next_after(at(11, 27, 20), at(12, 2, 8)) == at(12, 3, 20)


def test_friday_week_is_a_week_after_the_coming_friday():
    thursday = datetime(2026, 12, 3, 10, 0, tzinfo=SEOUL)
    assert resolve_when("remind me Friday week to call the bank", "en", thursday) == at(12, 11, 9)
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=SEOUL)
    assert resolve_when("Friday week", "en", saturday) == at(12, 18, 9)
