"""Changing a reminder as people say it (issue 20 item 4): a new rule changes the one reminder
and never cancels it; an hour said without am/pm is read by the habit; a reminder let go
('필요 없어요', 'I don't need that anymore') is cancelled, not met with the crisis line, while
hopelessness beside it still is."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import SEOUL, FakeClock
from tests.integration.test_reminders_as_said import rows

pytestmark = pytest.mark.integration


def monday(hour: int = 9, minute: int = 30) -> FakeClock:
    return FakeClock(datetime(2026, 12, 7, hour, minute, tzinfo=SEOUL))  # a Monday


@pytest.mark.parametrize(
    ("first", "change", "expected"),
    [
        (
            "매일 아침 여섯 시 반에 스트레칭하라고 알려 줘",
            "주말엔 그 알림 필요 없어. 평일에만 울리게 해 줘.",
            ("2026-12-08T06:30+09:00", "스트레칭하기", "weekday"),
        ),
        (
            "매일 저녁 여덟 시에 베란다 화분 물 주라고 알려 줘",
            "화분 알림은 이틀에 한 번으로 바꿔 줘",
            ("2026-12-07T20:00+09:00", "베란다 화분 물 주기", "days"),
        ),
        (
            "평일 아침 일곱 시에 신문 가져오라고 알려 주세요",
            "그 알림 주말에만 울리게 바꿔 주세요",
            ("2026-12-12T07:00+09:00", "신문 가져오기", "weekend"),
        ),
        (
            "remind me to feed the goldfish every day at 6pm",
            "make it every other day",
            ("2026-12-07T18:00+09:00", "feed the goldfish", "days"),
        ),
        (
            "remind me to check the mailbox on weekdays at 4pm",
            "change that reminder to daily",
            ("2026-12-07T16:00+09:00", "check the mailbox", "day"),
        ),
        (
            "remind me to do my physio exercises every day at 7:30pm",
            "I don't need the physio reminder on weekends",
            ("2026-12-07T19:30+09:00", "do my physio exercises", "weekday"),
        ),
    ],
)
def test_a_new_rule_changes_the_reminder_and_never_cancels_it(
    make_companion, first, change, expected
):
    clock = monday()
    companion = make_companion(clock=clock)
    companion.respond(first)
    clock.advance(minutes=3)
    reply = companion.respond(change)
    assert rows(companion) == [expected]
    assert rows(companion, "cancelled") == []
    assert "109" not in reply.text and "988" not in reply.text


def test_a_rule_change_names_its_reminder_among_several(make_companion):
    companion = make_companion(clock=monday())
    companion.respond("매일 아침 여덟 시에 영양제 먹으라고 알려 줘")
    companion.respond("매일 밤 열 시에 가스 밸브 확인하라고 알려 줘")
    companion.respond("영양제 알림은 평일에만 울리게 바꿔 줘")
    assert rows(companion) == [
        ("2026-12-07T22:00+09:00", "가스 밸브 확인하기", "day"),
        ("2026-12-08T08:00+09:00", "영양제 먹기", "weekday"),
    ]


@pytest.mark.parametrize(
    "line",
    ["붕대는 매일 바꿔야 해", "주말엔 출근 안 해도 돼", "I only work weekdays now"],
)
def test_a_rule_told_about_something_else_changes_no_reminder(make_companion, line):
    clock = monday()
    companion = make_companion(clock=clock)
    companion.respond("매일 저녁 일곱 시에 산책 가라고 알려 줘")
    clock.advance(minutes=5)
    companion.respond(line)
    assert rows(companion) == [("2026-12-07T19:00+09:00", "산책 가기", "day")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a habit at ten or eleven is the morning's, even said after ten in the morning
        ("remind me to stretch on weekends at ten", ("2026-12-12T10:00+09:00", "weekend")),
        ("주말마다 열 시에 세차하라고 알려 줘", ("2026-12-12T10:00+09:00", "weekend")),
        ("매일 열한 시에 우편함 보라고 알려 줘", ("2026-12-07T11:00+09:00", "day")),
        ("remind me to check the mail every day at eleven", ("2026-12-07T11:00+09:00", "day")),
        # the evening said with it keeps it at night
        ("remind me to lock the back door every night at ten", ("2026-12-07T22:00+09:00", "day")),
        ("매일 열 시에 잘 준비하라고 알려 줘", ("2026-12-07T22:00+09:00", "day")),
    ],
)
def test_a_habit_hour_without_am_or_pm_is_read_by_the_habit(make_companion, line, expected):
    companion = make_companion(clock=monday(10, 20))
    companion.respond(line)
    (due, _, every), *_ = rows(companion)
    assert (due, every) == expected


@pytest.mark.parametrize(
    ("line", "due"),
    [
        ("remind me to turn the oven off at ten", "2026-12-07T22:00+09:00"),
        ("열 시에 빨래 걷으라고 알려 줘", "2026-12-07T22:00+09:00"),
    ],
)
def test_a_one_off_hour_said_in_the_evening_is_tonights(make_companion, line, due):
    companion = make_companion(clock=monday(21, 5))
    companion.respond(line)
    assert [r[0] for r in rows(companion)] == [due]


@pytest.mark.parametrize(
    ("first", "drop", "number"),
    [
        ("매일 저녁 일곱 시에 난초에 물 주라고 알려 줘", "난초 알림은 이제 필요 없어", "109"),
        (
            "remind me to refill the bird feeder every day at 8am",
            "I don't need that anymore",
            "988",
        ),
        ("설거지하라고 매일 밤 아홉 시에 알려 줘", "그거 이제 필요 없어요", "109"),
        (
            "remind me to check his drain every day at 8pm",
            "Cancel the drain reminder. He doesn't need it anymore.",
            "988",
        ),
    ],
)
def test_a_reminder_let_go_is_cancelled_without_the_crisis_line(
    make_companion, first, drop, number
):
    companion = make_companion(clock=monday())
    companion.respond(first)
    reply = companion.respond(drop)
    assert number not in reply.text
    assert rows(companion) == []
    assert len(rows(companion, "cancelled")) == 1


@pytest.mark.parametrize(
    ("first", "line", "number"),
    [
        (
            "매일 아침 아홉 시에 약 먹으라고 알려 줘",
            "약 알림 필요 없어. 나도 이제 다 필요 없어",
            "109",
        ),
        ("remind me to take my pills every day at 9am", "I don't need anything anymore", "988"),
        (
            "remind me to water the roses every day at 7pm",
            "Cancel the roses reminder. I won't be here to need it anyway.",
            "988",
        ),
        (
            "remind me to charge the camera every day at 8pm",
            "Cancel the camera reminder, I gave the camera to my nephew and I won't need it",
            "988",
        ),
        ("매일 저녁 일곱 시에 약 먹으라고 알려 줘", "다음 주부터는 약 알림 필요 없을 거야", "109"),
    ],
)
def test_hopelessness_beside_a_reminder_let_go_still_gets_the_line(
    make_companion, first, line, number
):
    companion = make_companion(clock=monday())
    companion.respond(first)
    reply = companion.respond(line)
    assert number in reply.text
    assert len(rows(companion)) == 1


def test_a_number_forgotten_because_it_is_not_needed_asks_to_forget_not_about_a_crisis(
    make_companion,
):
    companion = make_companion(clock=monday())
    companion.respond("The vet clinic's night line is 555-0142.")
    reply = companion.respond("Forget the vet clinic's night line. We won't need it anymore.")
    assert "988" not in reply.text and reply.outcome.value == "confirming"


def test_letting_all_reminders_go_because_one_will_not_need_them_still_gets_the_line(
    make_companion,
):
    companion = make_companion(clock=monday())
    companion.respond("remind me to water the ferns every day at 6pm")
    reply = companion.respond("Cancel all my reminders. I won't need them anymore.")
    assert "988" in reply.text
    assert len(rows(companion)) == 1


def test_a_change_of_a_reminder_is_taken_as_set_reminder(make_companion):
    clock = monday()
    companion = make_companion(clock=clock)
    companion.respond("remind me to call the bank at 4pm tomorrow")
    clock.advance(minutes=1)
    reply = companion.respond("no, make it 5")
    assert reply.intent == "set_reminder"
    assert rows(companion) == [("2026-12-08T17:00+09:00", "call the bank", None)]


def test_make_that_an_hour_with_a_reason_after_it_moves_the_reminder(make_companion):
    clock = monday()
    companion = make_companion(clock=clock)
    companion.respond("On the 12th, 9 am, remind me to collect the dry cleaning.")
    clock.advance(minutes=1)
    companion.respond("Make that 10. The shop opens late on Saturdays.")
    assert rows(companion) == [("2026-12-12T10:00+09:00", "collect the dry cleaning", None)]


def test_make_it_without_a_time_is_no_correction(make_companion):
    clock = monday()
    companion = make_companion(clock=clock)
    companion.respond("remind me to call the bank at 4pm tomorrow")
    clock.advance(minutes=1)
    reply = companion.respond("Tell me a joke. Make it a good one.")
    assert reply.intent == "tell_joke"
    assert rows(companion) == [("2026-12-08T16:00+09:00", "call the bank", None)]
