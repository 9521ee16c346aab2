"""Reminders as people tell them, without the model: a lead before an event ('한 시간 전에',
'an hour before'), a time read on a day told elsewhere, what a request tells around itself, the
event as a task, a name for a pronoun. The lines are this file's own."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from earpiece.companion import reminders
from earpiece.nlu.timeparse import find_lead, on_day, resolve_when
from tests.conftest import SEOUL

NOW = datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("text", "lang", "lead"),
    [
        ("두 시간 전에 알려 줘", "ko", timedelta(hours=2)),
        ("십오 분 전에 말해 줘", "ko", timedelta(minutes=15)),
        ("한 시간 반 전쯤 알려 주세요", "ko", timedelta(hours=1, minutes=30)),
        ("remind me two hours before", "en", timedelta(hours=2)),
        ("half an hour ahead of time", "en", timedelta(minutes=30)),
        ("ping me 45 minutes early", "en", timedelta(minutes=45)),
    ],
)
def test_a_lead_before_the_event_is_read(text, lang, lead):
    found = find_lead(text, lang)
    assert found is not None and found[0] == lead


@pytest.mark.parametrize(
    ("text", "lang"),
    [("두 시간 뒤에 알려 줘", "ko"), ("밥 먹었어", "ko"),
     ("remind me in two hours", "en"), ("I left an hour ago", "en")],
)  # fmt: skip
def test_no_lead_where_none_is_said(text, lang):
    assert find_lead(text, lang) is None


EVENT = datetime(2026, 12, 3, 10, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("text", "lang", "before", "hour", "minute"),
    [
        ("여덟 시 반에 알려 줘", "ko", EVENT, 8, 30),
        ("그날 저녁에", "ko", None, 19, 0),
        ("at 6:45 that morning", "en", EVENT, 6, 45),
        ("at 3", "en", datetime(2026, 12, 3, 19, 0, tzinfo=SEOUL), 15, 0),
        ("at 3", "en", EVENT, 3, 0),
        ("at noon", "en", None, 12, 0),
    ],
)
def test_a_time_is_read_on_a_day_told_elsewhere(text, lang, before, hour, minute):
    at = on_day(text, lang, date(2026, 12, 3), NOW, before=before)
    assert at == datetime(2026, 12, 3, hour, minute, tzinfo=SEOUL)


def test_no_time_of_day_said_is_none():
    assert on_day("remind me then", "en", date(2026, 12, 3), NOW) is None


@pytest.mark.parametrize(
    ("text", "lang", "told"),
    [
        ("토요일 두 시에 결혼식 있어. 한 시에 알려줘.", "ko", "토요일 두 시에 결혼식 있어."),
        ("The movers come at 8. Remind me at 7.", "en", "The movers come at 8."),
        ("내일 세 시에 은행 가라고 알려줘", "ko", ""),
        ("remind me to call Sam at 5", "en", ""),
    ],
)
def test_what_a_request_tells_around_itself(text, lang, told):
    assert reminders.told_around(text, lang).strip() == told


@pytest.mark.parametrize(
    ("story", "lang", "what"),
    [
        ("토요일 두 시에 결혼식이 있어.", "ko", "결혼식"),
        ("치과 예약이 금요일 오후 세 시예요.", "ko", "치과 예약"),
        ("매주 수요일 저녁 일곱 시에 합창 연습 가야 하", "ko", "합창 연습"),
        ("The movers come Monday at 8, so I need to be up.", "en", "The movers come"),
        ("my passport renewal is due on the 9th at noon", "en", "my passport renewal is due"),
    ],
)
def test_the_event_told_is_the_task(story, lang, what):
    assert reminders._event_what(story, lang) == what


@pytest.mark.parametrize(
    ("what", "story", "named"),
    [
        ("pick her up", "Nadia lands Sunday at 6 PM.", "pick Nadia up"),
        ("call him", "On Friday, Omar has surgery at 9.", "call Omar"),
        ("water the garden", "Omar is away Friday.", "water the garden"),
        ("text her", "my sister lands at 6", "text her"),
    ],
)
def test_a_name_told_stands_for_the_pronoun(what, story, named):
    assert reminders._named_for_pronoun(what, story) == named


DEC = datetime(2026, 12, 20, 10, 0, tzinfo=SEOUL)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("새해 첫날 아침 아홉 시에", "ko", datetime(2027, 1, 1, 9, 0, tzinfo=SEOUL)),
        ("성탄절 저녁 일곱 시", "ko", datetime(2026, 12, 25, 19, 0, tzinfo=SEOUL)),
        ("크리스마스 이브 밤 열 시 반에", "ko", datetime(2026, 12, 24, 22, 30, tzinfo=SEOUL)),
        ("on New Year's Eve at 11 pm", "en", datetime(2026, 12, 31, 23, 0, tzinfo=SEOUL)),
        ("new year's day at quarter to ten", "en", datetime(2027, 1, 1, 9, 45, tzinfo=SEOUL)),
        ("christmas morning", "en", datetime(2026, 12, 25, 8, 0, tzinfo=SEOUL)),
    ],
)
def test_a_holiday_on_a_fixed_date_is_a_day(text, lang, expected):
    assert resolve_when(text, lang, DEC) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Happy New Year!", "en"), ("Merry Christmas", "en"), ("메리 크리스마스", "ko"),
     ("크리스마스 트리 예쁘다", "ko"), ("my new year resolution", "en")],
)  # fmt: skip
def test_a_greeting_or_a_thing_named_for_a_holiday_is_no_day(text, lang):
    assert resolve_when(text, lang, DEC) is None
