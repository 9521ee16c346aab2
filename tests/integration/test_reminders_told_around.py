"""Reminders read with what is told around them (issue 20 item 4): a task told before a request
that names none, a habit the request follows, a rule said after the request, a cancel whose
topic is in another sentence or is a weekday, and 'what did you say?' after a reminder was told,
said again with its date."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.conftest import SEOUL, FakeClock
from tests.integration.test_reminders_as_said import friday, rows

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("부산 사는 삼촌한테 안부 전화해야 하는데, 저녁 여덟 시에 알려 줘요",
         [("2026-11-27T20:00+09:00", "부산 사는 삼촌한테 안부 전화하기", None)]),
        ("세탁소에서 양복 찾아야 되거든. 다섯 시에 알려 줘",
         [("2026-11-27T17:00+09:00", "세탁소에서 양복 찾기", None)]),
        ("I need to call the pharmacy before it closes, remind me at 4.",
         [("2026-11-27T16:00+09:00", "call the pharmacy before it closes", None)]),
        ("Remind me every weekday at seven a.m. to feed the fish before work",
         [("2026-11-30T07:00+09:00", "feed the fish before work", "weekday")]),
        ("I stretch my calves every other day. Can you remind me, starting tomorrow at nine?",
         [("2026-11-28T09:00+09:00", "stretch my calves", "days")]),
        ("이틀에 한 번 베란다 화분에 물 줘요. 내일부터 아침 열 시에 알려 주세요",
         [("2026-11-28T10:00+09:00", "베란다 화분에 물 주기", "days")]),
        ("엄마 약 타러 가야 돼서 그러는데 세 시 반에 알려 줘",
         [("2026-11-27T15:30+09:00", "엄마 약 타러 가기", None)]),
        ("Gotta return the library books tomorrow, remind me at 10 am",
         [("2026-11-28T10:00+09:00", "return the library books", None)]),
        ("Remind me at 6 p.m. to start dinner and make it every weekday",
         [("2026-11-27T18:00+09:00", "start dinner", "weekday")]),
    ],
)  # fmt: skip
def test_a_task_or_habit_told_before_the_request_is_the_reminders(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == expected


def test_a_task_told_before_the_request_survives_a_move(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("부산 사는 삼촌한테 안부 전화해야 하는데, 저녁 여덟 시에 알려 줘요")
    clock.advance(minutes=1)
    companion.respond("아, 여덟 시 말고 일곱 시 반으로 해 주세요. 삼촌이 일찍 주무세요")
    assert rows(companion) == [("2026-11-27T19:30+09:00", "부산 사는 삼촌한테 안부 전화하기", None)]


def test_a_rule_said_after_a_new_request_is_its_own_not_another_reminders(make_companion):
    """'… and make that every Friday' in the same breath as a request with its own task makes
    that request weekly; the reminder set before is left as it was."""
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("Remind me every Monday at three to call the plumber.")
    clock.advance(minutes=5)
    companion.respond(
        "Choir practice at the church today. Remind me at four fifteen to head out, "
        "and make that every Friday."
    )
    assert rows(companion) == [
        ("2026-11-27T16:15+09:00", "head out for Choir practice at the church", "week"),
        ("2026-11-30T15:00+09:00", "call the plumber", "week"),
    ]


def test_a_cancel_that_names_no_reminder_takes_the_topic_told_before_it(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    for line in ("매달 10일에 아파트 관리비 내라고 알려 주세요",
                 "매일 아침 일곱 시에 혈압약 먹으라고 알려 주세요",
                 "매주 수요일 저녁 여섯 시에 헬스장 가라고 알려 주세요"):  # fmt: skip
        companion.respond(line)
        clock.advance(minutes=1)
    companion.respond("관리비는 이제 카드 자동납부로 돌렸어요. 그 알림은 지워 주세요")
    assert [r[1] for r in rows(companion, "cancelled")] == ["아파트 관리비 내기"]
    assert [r[1] for r in rows(companion)] == ["혈압약 먹기", "헬스장 가기"]


def test_a_cancel_of_the_weekday_reminder_finds_the_one_on_that_weekday(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("Remind me every Thursday at four to drive Tom to swim practice.")
    companion.respond("Remind me tomorrow at noon to call the bank.")
    clock.advance(days=6)  # Thursday: the day of the weekly one, which is due later today
    companion.respond(
        "Tom's dad phoned. The pool is closed for repairs, so no more practice. "
        "Please cancel the Thursday reminder."
    )
    assert [r[1] for r in rows(companion, "cancelled")] == ["drive Tom to swim practice"]


def test_a_recurring_reminder_overdue_at_start_is_cancelled_in_the_store(make_companion):
    """'kill the walking reminder' after the hourly one was missed and moved on: the store has
    it cancelled, not merely skipped to its next hour."""
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("Remind me every hour to get up and walk")
    clock.advance(hours=2, minutes=25)
    assert companion.missed_reminders()
    companion.respond("Okay, kill the walking reminder, I'm going out for lunch")
    assert rows(companion) == []
    assert [r[1] for r in rows(companion, "cancelled")] == ["get up and walk"]


@pytest.mark.parametrize(
    ("request_line", "again", "said"),
    [
        ("앞으로 평일엔 새벽 다섯 시에 깨워 줘", "어? 뭐라고? 다시", ("깨우기", "11월 30일")),
        ("Remind me on Monday at 5 a.m. to put the bins out.", "Sorry, what was that?",
         ("put the bins out", "November 30")),
    ],
)  # fmt: skip
def test_what_did_you_say_after_a_reminder_was_told_says_it_again_with_its_date(
    make_companion, request_line, again, said
):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond(request_line)
    clock.now = datetime(2026, 11, 30, 5, 3, tzinfo=SEOUL)  # Monday, the device just started
    later = make_companion(clock=FakeClock(clock.now))
    assert later.missed_reminders()
    reply = later.respond(again)
    assert reply.understood.intent == "repeat"
    assert all(word in reply.text for word in said), reply.text


def test_what_did_you_say_with_no_reminder_told_since_repeats_the_last_reply(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    first = companion.respond("Remind me tomorrow at 8 a.m. to water the ferns.")
    clock.advance(minutes=1)
    assert companion.respond("Sorry, what was that?").text == first.text


def test_a_cancel_said_without_a_cancel_word_finds_its_topic_in_the_line(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("Remind me every Wednesday at 6 to take out the recycling.")
    companion.respond("Remind me every day at 9 pm to take my pills.")
    companion.respond("The building does recycling for us now. That reminder can go.")
    assert [r[1] for r in rows(companion, "cancelled")] == ["take out the recycling"]
    assert [r[1] for r in rows(companion)] == ["take my pills"]


def test_a_cancel_after_its_reason_in_one_sentence_is_a_cancel(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("Remind me every Wednesday at 6 to take out the recycling.")
    companion.respond("Remind me every day at 9 pm to take my pills.")
    reply = companion.respond("The city picks up recycling now, so delete the recycling one.")
    assert reply.understood.intent == "cancel_reminder"
    assert [r[1] for r in rows(companion)] == ["take my pills"]


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("너무 피곤한데 여덟 시에 알려 줘", "알림"),
        ("오늘 회의가 길었어. 아홉 시에 알려 줘", "알림"),  # a day told, no task in it
        ("I'm so tired. Remind me at 6.", "your reminder"),
    ],
)
def test_a_feeling_or_news_before_a_request_is_not_its_task(make_companion, line, what):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert [r[1] for r in rows(companion)] == [what]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Remind me every hour on the hour to stretch my back. I keep forgetting.",
         [("2026-11-27T15:00+09:00", "stretch my back", "hours")]),
        ("한 시간마다 정각에 물 마시라고 알려 줘",
         [("2026-11-27T15:00+09:00", "물 마시기", "hours")]),
    ],
)  # fmt: skip
def test_every_hour_on_the_hour_starts_at_the_next_full_hour(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == expected


def test_stop_the_named_reminder_cancels_it_and_stop_alone_cancels_nothing(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("Remind me every hour to drink water.")
    companion.respond("Remind me at 6 pm to call the vet.")
    clock.advance(minutes=20)
    assert companion.respond(
        "Stop talking for a minute, my phone is ringing"
    ).understood.intent == ("stop")
    assert len(rows(companion)) == 2
    companion.respond("Stop the water reminder, it's driving me nuts. I've got a bottle now.")
    assert [r[1] for r in rows(companion)] == ["call the vet"]


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        ("평일에는 신문 알림 필요 없어요. 주말에만 울리게 해 주세요.",
         ("2026-11-28T07:00+09:00", "신문 가져오기", "weekend")),
        ("The paper reminder isn't needed on weekdays. Make it weekends only.",
         ("2026-11-28T07:00+09:00", "bring in the paper", "weekend")),
    ],
)  # fmt: skip
def test_a_rule_change_names_its_reminder_in_the_sentence_that_says_reminder(
    make_companion, named, expected
):
    """The rule is asked in one sentence, the reminder named in another ('신문 알림'): that one
    changes, not the one set last."""
    clock = friday()
    companion = make_companion(clock=clock)
    lang_ko = "신문" in named
    companion.respond("매일 아침 일곱 시에 신문 가져오라고 알려 주세요" if lang_ko
                      else "Remind me every day at 7 am to bring in the paper.")  # fmt: skip
    companion.respond("매일 저녁 아홉 시에 혈압약 먹으라고 알려 주세요" if lang_ko
                      else "Remind me every day at 9 pm to take my pills.")  # fmt: skip
    clock.advance(minutes=2)
    companion.respond(named)
    assert expected in rows(companion)
    assert len(rows(companion)) == 2


@pytest.mark.parametrize(
    ("request_line", "move", "expected"),
    [
        ("다섯 시 회의 십 분 전에 알려 줘",
         "회의가 여섯 시로 밀렸어. 알림도 여섯 시 십 분 전으로 바꿔 줘.",
         ("2026-11-27T17:50+09:00", "회의", None)),
        ("Remind me 15 minutes before my 5 pm call.",
         "The call got pushed to 6. Move the reminder to 15 minutes before that.",
         ("2026-11-27T17:45+09:00", "call", None)),
        ("다섯 시 회의 십 분 전에 알려 줘",  # the clock right before the lead is the event's
         "아 다섯 시 회의 여섯 시로 밀렸어. 알림도 여섯 시 십 분 전으로 바꿔 줘.",
         ("2026-11-27T17:50+09:00", "회의", None)),
        ("Remind me at 8 pm to leave for the train station.",  # the time the change asks
         "Mom's train is late, she gets in at ten now. Can you move the station reminder to nine?",
         ("2026-11-27T21:00+09:00", "leave for the train station", None)),
    ],
)  # fmt: skip
def test_a_move_said_as_a_lead_before_the_events_new_time(
    make_companion, request_line, move, expected
):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond(request_line)
    clock.advance(minutes=3)
    companion.respond(move)
    assert rows(companion) == [expected]


@pytest.mark.parametrize(
    ("cancel", "kept"),
    [
        ("His teacher retired, so no more piano. Please cancel the piano reminder.",
         "call the dentist"),
        ("No more piano lessons. That reminder can go.", "call the dentist"),
        ("Cancel the gym reminder.", None),  # named by nothing said: nothing cancelled
    ],
)  # fmt: skip
def test_a_cancel_names_the_reminder_by_what_its_request_told(make_companion, cancel, kept):
    """'the piano reminder' for 'pick him up', asked with 'my grandson has piano on Tuesdays':
    the request's own words name it, though its task does not."""
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond(
        "My grandson has piano on Tuesdays. Remind me every Tuesday at 3 to pick him up."
    )
    companion.respond("Remind me tomorrow at 9 am to call the dentist.")
    clock.advance(minutes=2)
    companion.respond(cancel)
    left = [r[1] for r in rows(companion)]
    assert left == ([kept] if kept else ["call the dentist", "pick him up"])
