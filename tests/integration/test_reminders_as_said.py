"""Reminders as people say them (issue 20): recurrence, corrections and moves in place, cancel
exactly one, relative dates, honest lists, and a question's answer only when it is a time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from earpiece.store import export
from tests.conftest import SEOUL, FakeClock

pytestmark = pytest.mark.integration


def rows(companion, status: str = "pending") -> list[tuple[str, str, str | None]]:
    """(due, what, repeat rule) of the reminders in one status, soonest first."""
    found = companion.store.rows("reminders", f"status = '{status}'")
    return sorted((b["due_at"], b["what"], (b.get("repeat") or {}).get("every"))
                  for _, b in found)  # fmt: skip


def friday() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))  # a Friday


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("매일 여덟 시에 약 먹으라고 알려줘", [("2026-11-27T20:00+09:00", "약 먹기", "day")]),
        ("평일 아침 일곱 시 반에 출근 준비하라고 알려줘",
         [("2026-11-30T07:30+09:00", "출근 준비하기", "weekday")]),
        ("매주 월요일에 분리수거하라고 알려줘",
         [("2026-11-30T09:00+09:00", "분리수거하기", "week")]),
        ("아침저녁으로 약 먹으라고 알려줘", [("2026-11-27T20:00+09:00", "약 먹기", "day"),
                                      ("2026-11-28T08:00+09:00", "약 먹기", "day")]),
        ("매일 저녁 아홉 시에 혈압약 먹으라고 알려 주시게",
         [("2026-11-27T21:00+09:00", "혈압약 먹기", "day")]),
        ("두 시간마다 물 마시라고 알려줘", [("2026-11-27T16:10+09:00", "물 마시기", "hours")]),
        ("remind me to take my pills every day at 8",
         [("2026-11-27T20:00+09:00", "take my pills", "day")]),
        ("remind me to leave for work weekdays at 7:30am",
         [("2026-11-30T07:30+09:00", "leave for work", "weekday")]),
        ("remind me to take out the recycling every Monday",
         [("2026-11-30T09:00+09:00", "take out the recycling", "week")]),
        ("remind me to take my pills twice a day",
         [("2026-11-27T20:00+09:00", "take my pills", "day"),
          ("2026-11-28T08:00+09:00", "take my pills", "day")]),
        ("remind me to take my meds morning and night",
         [("2026-11-27T20:00+09:00", "take my meds", "day"),
          ("2026-11-28T08:00+09:00", "take my meds", "day")]),
        ("remind me to drink water every 2 hours",
         [("2026-11-27T16:10+09:00", "drink water", "hours")]),
        ("주말마다 대청소하라고 알려줘", [("2026-11-28T09:00+09:00", "대청소하기", "weekend")]),
        ("remind me to stand up every 30 minutes",
         [("2026-11-27T14:40+09:00", "stand up", "minutes")]),
        ("다음 달 13일에 카드값 내라고 알려줘", [("2026-12-13T09:00+09:00", "카드값 내기", None)]),
        ("엄마 면회 다음 주 목요일 오후 두 시야 알려 줘",
         [("2026-12-03T14:00+09:00", "엄마 면회", None)]),
        ("13일 점심에 병원 가라고 알려줘", [("2026-12-13T12:00+09:00", "병원 가기", None)]),
        ("remind me to go to the clinic on the 13th at noon",
         [("2026-12-13T12:00+09:00", "go to the clinic", None)]),
        ("remind me to call mom tomorrow at 8.00pm",
         [("2026-11-28T20:00+09:00", "call mom", None)]),
        ("remind me to call mom tomorrow, 8 o'clock pm",
         [("2026-11-28T20:00+09:00", "call mom", None)]),
    ],
)  # fmt: skip
def test_reminders_recur_and_land_on_the_day_said(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == sorted(expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("매달 25일에 카드값 내라고 알려줘", [("2026-12-25T09:00+09:00", "카드값 내기", "month")]),
        # the 31st in a 30-day month is its last day (the rule keeps 31: December's is the 31st)
        ("매달 말일에 월세 내라고 알려줘", [("2026-11-30T09:00+09:00", "월세 내기", "month")]),
        ("remind me to pay rent on the 1st of every month",
         [("2026-12-01T09:00+09:00", "pay rent", "month")]),
        ("이틀에 한 번 저녁 여덟 시에 화분에 물 주라고 알려줘",
         [("2026-11-27T20:00+09:00", "화분에 물 주기", "days")]),
        ("remind me every other day at 7pm to water the plants",
         [("2026-11-27T19:00+09:00", "water the plants", "days")]),
        ("매주 화요일하고 목요일 저녁 일곱 시에 요가 가라고 알려줘",
         [("2026-12-01T19:00+09:00", "요가 가기", "week"),
          ("2026-12-03T19:00+09:00", "요가 가기", "week")]),
        ("remind me to go to the gym Tuesdays and Thursdays at 6pm",
         [("2026-12-01T18:00+09:00", "go to the gym", "week"),
          ("2026-12-03T18:00+09:00", "go to the gym", "week")]),
        ("remind me Friday week to call the bank",
         [("2026-12-04T09:00+09:00", "call the bank", None)]),
        # one task at two times: one reminder per time, each with the task
        ("아침 아홉 시랑 밤 아홉 시에 약 먹으라고 알려줘",
         [("2026-11-27T21:00+09:00", "약 먹기", None),
          ("2026-11-28T09:00+09:00", "약 먹기", None)]),
        ("매일 아침 여덟 시하고 저녁 여섯 시에 약 먹으라고 알려줘",
         [("2026-11-27T18:00+09:00", "약 먹기", "day"),
          ("2026-11-28T08:00+09:00", "약 먹기", "day")]),
        ("remind me to stretch at 4 and at 6",
         [("2026-11-27T16:00+09:00", "stretch", None),
          ("2026-11-27T18:00+09:00", "stretch", None)]),
        # two days said once: one reminder on each coming day, at the time said
        ("화요일하고 목요일에 저녁 일곱 시에 요가 가라고 알려줘",
         [("2026-12-01T19:00+09:00", "요가 가기", None),
          ("2026-12-03T19:00+09:00", "요가 가기", None)]),
        ("remind me to call the clinic on Tuesday and Thursday at 6pm",
         [("2026-12-01T18:00+09:00", "call the clinic", None),
          ("2026-12-03T18:00+09:00", "call the clinic", None)]),
        ("remind me at 8am and 6pm to take my pills",
         [("2026-11-27T18:00+09:00", "take my pills", None),
          ("2026-11-28T08:00+09:00", "take my pills", None)]),
    ],
)  # fmt: skip
def test_monthly_every_other_day_two_weekdays_and_friday_week(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == sorted(expected)


def test_a_monthly_rule_is_said_in_words_and_fires_on_the_months_last_day(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    reply = companion.respond("remind me to back up my photos on the 31st of every month")
    assert "on the last day of every month" in reply.text  # how the 31st behaves
    assert rows(companion) == [("2026-11-30T09:00+09:00", "back up my photos", "month")]
    companion.respond("remind me every other day at 7pm to water the plants")
    listed = companion.respond("what are my reminders").text
    assert "last day of every month" in listed and "every other day at 7:00 PM" in listed
    clock.advance(days=3)  # Nov 30, 14:10: the photos reminder was due at 9
    told = companion.due_reminders()
    assert any("back up my photos" in t for t in told)
    assert ("2026-12-31T09:00+09:00", "back up my photos", "month") in rows(companion)


def test_every_other_day_without_a_time_asks_and_keeps_the_rule(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("이틀에 한 번 화분에 물 주라고 알려줘")
    assert companion.state["pending"]["kind"] == "reminder_time"
    companion.respond("저녁 여덟 시")
    assert rows(companion) == [("2026-11-27T20:00+09:00", "화분에 물 주기", "days")]
    companion.respond("remind me to pay rent every month")  # the day is the first one's
    assert ("2026-11-28T09:00+09:00", "pay rent", "month") in rows(companion)


def test_korean_list_names_the_monthly_day(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("매달 25일에 카드값 내라고 알려줘")
    assert "매달 25일" in companion.respond("내 알림 뭐 있어?").text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # a morning task, or a weekday routine at five to eight: the morning's hour, said at 14:10
        ("평일 일곱 시 반에 출근 준비하라고 알려줘",
         [("2026-11-30T07:30+09:00", "출근 준비하기", "weekday")]),
        ("매일 일곱 시에 혈당 재라고 알려줘", [("2026-11-28T07:00+09:00", "혈당 재기", "day")]),
        ("일곱 시마다 혈당 재라고 해 줘", [("2026-11-28T07:00+09:00", "혈당 재기", "day")]),
        ("remind me weekdays at 6:45 to leave for work",
         [("2026-11-30T06:45+09:00", "leave for work", "weekday")]),
        ("remind me every weekday at 7 to check my blood sugar",
         [("2026-11-30T07:00+09:00", "check my blood sugar", "weekday")]),
        ("remind me on Monday mornings to put the bins out",
         [("2026-11-30T08:00+09:00", "put the bins out", "week")]),
        # what is left once the time is taken out is the task, without its particle or hedge
        ("매일 아침마다 혈당 재기 알려 줘", [("2026-11-28T08:00+09:00", "혈당 재기", "day")]),
        ("remind me to call mom, say around 6", [("2026-11-27T18:00+09:00", "call mom", None)]),
        ("remind me to call grandma at like 7ish",
         [("2026-11-27T19:00+09:00", "call grandma", None)]),
        ("remind me at 8 pm sharp to call Jane", [("2026-11-27T20:00+09:00", "call Jane", None)]),
        ("remind me a week from today to follow up",
         [("2026-12-04T14:10+09:00", "follow up", None)]),
        # a bare twelve said in the afternoon is tomorrow's noon, not tonight's midnight
        ("열두 시 반에 점심 약속 있다고 알려줘",
         [("2026-11-28T12:30+09:00", "점심 약속 있다", None)]),
        # the evening stays the evening
        ("매일 일곱 시에 저녁 약 먹으라고 알려줘", [("2026-11-27T19:00+09:00", "약 먹기", "day")]),
        ("remind me weekdays at 6 to start dinner",
         [("2026-11-27T18:00+09:00", "start dinner", "weekday")]),
    ],
)  # fmt: skip
def test_a_bare_hour_is_read_by_the_task_and_the_task_is_clean(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == sorted(expected)


def test_a_recurring_reminder_comes_back_once_and_is_never_lost_or_doubled(
    make_companion, tmp_path
):
    clock, state = friday(), tmp_path / "s"
    first = make_companion(state, clock)
    reply = first.respond("remind me to take my pills every day at 8")
    assert "every day at 8:00 PM" in reply.text
    (put,) = [e for e in first.store.events() if e.type == "reminders.put"]
    assert put.body["repeat"] == {"every": "day"}  # what sync carries
    (exported,) = export.document(first.store)["reminders"]
    assert exported["repeat"] == {"every": "day"}
    assert "every day at 8:00 PM" in first.respond("what are my reminders").text
    clock.advance(hours=5, minutes=51)  # 20:01
    told = first.due_reminders()
    assert len(told) == 1 and "take my pills" in told[0]
    assert rows(first) == [("2026-11-28T20:00+09:00", "take my pills", "day")]
    assert first.due_reminders() == []
    first.store.close()
    clock.advance(days=3)  # off for three evenings
    second = make_companion(state, clock)
    missed = second.missed_reminders()
    assert len(missed) == 1 and "take my pills (today at 8:00 PM)" in missed[0]
    assert second.missed_reminders() == []  # told once
    assert rows(second) == [("2026-12-01T20:00+09:00", "take my pills", "day")]
    listed = second.respond("what are my reminders").text
    assert "every day at 8:00 PM" in listed and "missed" in listed
    second.store.close()
    third = make_companion(state, clock)  # another restart: nothing doubled, nothing told again
    assert third.missed_reminders() == []
    assert rows(third) == [("2026-12-01T20:00+09:00", "take my pills", "day")]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["열 시에 엄마한테 전화하라고 알려줘", "열 시 말고 열한 시로"],
         [("2026-11-27T23:00+09:00", "엄마한테 전화하기", None)]),
        (["내일 세 시에 은행 가라고 알려줘", "아니 내일 말고 모레"],
         [("2026-11-29T15:00+09:00", "은행 가기", None)]),
        (["remind me to call the bank tomorrow at 10am", "not 10, make it 11"],
         [("2026-11-28T11:00+09:00", "call the bank", None)]),
        (["remind me to pay rent tomorrow at 9am", "move it to Friday"],
         [("2026-12-04T09:00+09:00", "pay rent", None)]),
        (["매일 여덟 시에 약 먹으라고 알려줘", "아홉 시로 바꿔 줘"],
         [("2026-11-27T21:00+09:00", "약 먹기", "day")]),
        (["열 시에 엄마한테 전화하라고 알려줘", "아니 열한 시", "아니 열두 시로"],
         [("2026-11-28T00:00+09:00", "엄마한테 전화하기", None)]),
        (["remind me to call mom at 10am tomorrow", "no, 11", "no wait, at 11:30"],
         [("2026-11-28T11:30+09:00", "call mom", None)]),
        (["remind me to call mom tomorrow at 10am", "sorry I meant 11"],
         [("2026-11-28T11:00+09:00", "call mom", None)]),
        (["remind me to call mom tomorrow at 10am", "no, tomorrow I have to work late"],
         [("2026-11-28T10:00+09:00", "call mom", None)]),
        # a move by an amount, from the time set
        (["모레 두 시에 미용실 가라고 알려 줘", "그거 한 시간 미뤄 줘"],
         [("2026-11-29T15:00+09:00", "미용실 가기", None)]),
        (["모레 두 시에 미용실 가라고 알려 줘", "30분만 당겨 줘"],
         [("2026-11-29T13:30+09:00", "미용실 가기", None)]),
        (["remind me to call the bank tomorrow at 10am", "push it back an hour"],
         [("2026-11-28T11:00+09:00", "call the bank", None)]),
        (["remind me to call the bank tomorrow at 10am", "actually half an hour earlier"],
         [("2026-11-28T09:30+09:00", "call the bank", None)]),
        (["remind me to call the bank tomorrow at 10am", "I came back an hour later"],
         [("2026-11-28T10:00+09:00", "call the bank", None)]),
        # next week alone: the same day and time a week on
        (["내일 세 시에 치과 가라고 알려줘", "다음 주로 미뤄 줘"],
         [("2026-12-05T15:00+09:00", "치과 가기", None)]),
        (["remind me to call the vet on Monday at 4", "move it to next week"],
         [("2026-12-07T16:00+09:00", "call the vet", None)]),
    ],
)  # fmt: skip
def test_a_correction_moves_the_reminder_just_set(make_companion, lines, expected):
    companion = make_companion(clock=friday())
    for line in lines:
        companion.respond(line)
    assert rows(companion) == expected  # moved in place: no junk reminder, the old time gone


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["remind me to see the dentist tomorrow at 10am", "remind me to buy milk at 6pm",
          "move my dentist reminder to 3"],
         [("2026-11-27T18:00+09:00", "buy milk", None),
          ("2026-11-28T15:00+09:00", "see the dentist", None)]),
        (["내일 아침 아홉 시에 치과 가라고 알려줘", "저녁 여섯 시에 우유 사라고 알려줘",
          "치과 알림 열 시로 옮겨 줘"],
         [("2026-11-27T18:00+09:00", "우유 사기", None),
          ("2026-11-28T10:00+09:00", "치과 가기", None)]),
    ],
)  # fmt: skip
def test_a_reminder_named_later_is_the_one_moved(make_companion, lines, expected):
    clock = friday()
    companion = make_companion(clock=clock)
    for line in lines:
        companion.respond(line)
        clock.advance(minutes=30)
    assert rows(companion) == expected


def test_cancel_exactly_the_one_named_and_ask_when_several_fit(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("여덟 시에 약 먹으라고 알려줘")
    companion.respond("내일 세 시에 은행 가라고 알려줘")
    companion.respond("약 알림 취소해")
    assert rows(companion) == [("2026-11-28T15:00+09:00", "은행 가기", None)]
    companion.respond("remind me to call mom at 8pm")
    companion.respond("remind me to water the plants every day at 8am")
    asked = companion.respond("cancel the 8 o'clock one")
    assert "call mom" in asked.text and "water the plants" in asked.text
    assert len(rows(companion)) == 3  # nothing cancelled before the answer
    companion.respond("call mom")
    assert [w for _, w, _ in rows(companion)] == ["water the plants", "은행 가기"]


def test_an_unrelated_line_after_what_time_is_met_as_itself(make_companion):
    companion = make_companion(clock=friday())
    asked = companion.respond("약 먹는 거 매일 알려 줘")
    assert companion.state["pending"]["kind"] == "reminder_time"
    reply = companion.respond("오늘 날씨 진짜 좋다")
    assert (
        rows(companion) == [] and (companion.state["pending"] or {}).get("kind") != "reminder_time"
    )
    assert reply.text != asked.text
    companion.respond("remind me to take my pills every day")
    companion.respond("my sister is visiting on Sunday")
    assert rows(companion) == []
    companion.respond("remind me to take my pills every day")
    companion.respond("at 8am")
    assert rows(companion) == [("2026-11-28T08:00+09:00", "take my pills", "day")]
    companion.respond("약 먹는 거 매일 알려 줘")
    companion.respond("저녁 아홉 시")
    assert ("2026-11-27T21:00+09:00", "약 먹기", "day") in rows(companion)


def test_the_list_names_every_reminder_to_come_and_the_missed_ones(make_companion, tmp_path: Path):
    clock = friday()
    companion = make_companion(tmp_path / "s", clock)
    for line in ("remind me to call mom at 8pm", "remind me to water the plants tomorrow at 9am",
                 "wake me up every day at 7", "remind me to stretch in 20 minutes"):  # fmt: skip
        companion.respond(line)
    listed = companion.respond("what are my reminders").text
    for what in ("call mom", "water the plants", "every day at 7:00 AM", "stretch"):
        assert what in listed
    companion.store.close()
    clock.advance(hours=1)  # off past 'stretch'
    restarted = make_companion(tmp_path / "s", clock)
    assert len(restarted.missed_reminders()) == 1
    listed = restarted.respond("what are my reminders").text
    assert "call mom" in listed and "stretch" in listed and "missed" in listed


def test_the_device_marks_a_recurring_reminder_told_by_moving_it_on(make_companion):
    """The runtime's path: nothing is moved until the announcement was said."""
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("평일 아침 일곱 시 반에 출근 준비하라고 알려줘")
    clock.advance(days=2, hours=17, minutes=21)  # Monday 07:31
    (told,) = companion.reminders_to_tell()
    assert "출근 준비하기" in told.text
    assert rows(companion) == [("2026-11-30T07:30+09:00", "출근 준비하기", "weekday")]
    companion.reminders_told(told)
    assert rows(companion) == [("2026-12-01T07:30+09:00", "출근 준비하기", "weekday")]
    assert companion.reminders_to_tell() == []
    clock.advance(days=4)  # Friday 07:31, while nothing was told: Saturday is never a time
    (told,) = companion.reminders_to_tell()
    companion.reminders_told(told)
    assert rows(companion) == [("2026-12-07T07:30+09:00", "출근 준비하기", "weekday")]


def test_a_plan_with_malgo_is_not_a_correction(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("모레 세 시에 은행 가라고 알려줘")
    companion.respond("오늘 말고 내일 영화 보러 갈래")
    assert rows(companion) == [("2026-11-29T15:00+09:00", "은행 가기", None)]


def test_unsure_speech_asks_with_the_rule_and_sets_it_on_yes(make_companion):
    from earpiece.companion.outcome import Certainty

    companion = make_companion(clock=friday())
    asked = companion.respond(
        "remind me to take my pills every day at 8", certainty=Certainty.UNSURE
    )
    assert "every day at 8:00 PM" in asked.text and rows(companion) == []
    companion.respond("yes")
    assert rows(companion) == [("2026-11-27T20:00+09:00", "take my pills", "day")]


def test_an_elders_request_in_hage_speech_asks_the_time_and_keeps_the_rule(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("혈압약 먹는 거 잊어버리지 않게 매일 알려 주게")
    assert companion.state["pending"]["kind"] == "reminder_time"
    companion.respond("오늘 날씨 참 좋네")
    assert rows(companion) == []
    companion.respond("혈압약 먹는 거 잊어버리지 않게 매일 알려 주게")
    companion.respond("아침 여덟 시")
    assert rows(companion) == [("2026-11-28T08:00+09:00", "혈압약 먹기", "day")]


def test_cancel_by_day_names_that_days_reminders_only(make_companion):
    companion = make_companion(clock=friday())
    for line in ("remind me to call the bank tomorrow at 3pm",
                 "remind me to water the plants tomorrow at 9am",
                 "remind me to pay rent on Monday at 10am"):  # fmt: skip
        companion.respond(line)
    asked = companion.respond("cancel tomorrow's reminders")
    assert "call the bank" in asked.text and "pay rent" not in asked.text
    assert len(rows(companion)) == 3
    companion.respond("all of them")
    assert rows(companion) == [("2026-11-30T10:00+09:00", "pay rent", None)]
    companion.respond("내일 세 시에 은행 가라고 알려줘")
    companion.respond("remind me to buy milk tomorrow at 6pm")
    companion.respond("내일 은행 알림 취소해")
    assert [w for _, w, _ in rows(companion)] == ["buy milk", "pay rent"]


def test_a_new_alarm_with_make_it_in_it_moves_nothing(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("remind me to call mom at 8pm")
    companion.respond("set an alarm for 6am and make it loud")
    assert ("2026-11-27T20:00+09:00", "call mom", None) in rows(companion)
    assert len(rows(companion)) == 2


def test_the_reminder_named_by_most_of_its_words_is_the_one_moved(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("모레 오후 세 시에 은행 가라고 알려줘")
    companion.respond("내일 열 시에 세탁소 가라고 알려줘")
    companion.respond("매주 월요일 아침 아홉 시에 분리수거하라고 알려줘")
    companion.respond("은행 가는 거 화요일로 옮겨 줘")  # '가는' shares a word with 세탁소 가기
    assert rows(companion) == [("2026-11-28T10:00+09:00", "세탁소 가기", None),
                               ("2026-11-30T09:00+09:00", "분리수거하기", "week"),
                               ("2026-12-01T15:00+09:00", "은행 가기", None)]  # fmt: skip


def test_a_request_asked_as_a_question_asks_the_time(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("물 마시라고 매일 알려 줄 수 있어?")
    assert companion.state["pending"]["kind"] == "reminder_time"
    companion.respond("오늘 점심 진짜 맛있었어")  # not the answer: met as itself
    assert rows(companion) == []
    companion.respond("물 마시라고 매일 알려 줄 수 있어?")
    companion.respond("오후 세 시")
    assert rows(companion) == [("2026-11-27T15:00+09:00", "물 마시기", "day")]


def test_cancel_by_a_word_takes_the_reminder_with_that_word_not_one_containing_it(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("여덟 시에 약 먹으라고 알려줘")
    companion.respond("매일 아침 아홉 시에 혈압약 먹으라고 알려줘")
    companion.respond("약 알림 취소해")
    assert rows(companion) == [("2026-11-28T09:00+09:00", "혈압약 먹기", "day")]
    companion.respond("혈압 알림 취소해")  # no word of its own: a piece of one still names it
    assert rows(companion) == []


def test_delete_the_one_about_is_a_reminder_cancelled_not_a_fact_forgotten(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("my parents live in Daegu")
    companion.respond("remind me every Sunday at 7pm to call my parents")
    companion.respond("remind me to buy milk at 6pm")
    companion.respond("delete the one about my parents")
    assert rows(companion) == [("2026-11-27T18:00+09:00", "buy milk", None)]
    assert any("daegu" in b["text"].lower() for _, b in companion.store.rows("facts"))


# --- as people tell them (issue 20, item 4): the lines are this file's own, in both languages


def due_what(companion, status: str = "pending") -> list[tuple[str, str, str | None]]:
    return rows(companion, status)


@pytest.mark.parametrize(
    ("line", "due", "word", "rule"),
    [
        ("다음 주 화요일 오후 세 시에 세무서 상담 있어. 두 시에 알려줘.",
         "2026-12-01T14:00+09:00", "세무서 상담", None),
        ("월요일 아침 열 시에 구청 민원 예약이 있어요. 삼십 분 전에 알려 주세요.",
         "2026-11-30T09:30+09:00", "구청 민원", None),
        ("보험료가 다음 달 5일에 빠져나가요. 그날 아침에 통장 잔고 확인하라고 알려 주세요.",
         "2026-12-05T08:00+09:00", "통장 잔고", None),
        ("손님들이 일곱 시에 온다니까 여섯 시에 고기 재우라고 알려줘.",
         "2026-11-27T18:00+09:00", "고기 재우기", None),
        ("아이 수영 강습이 평일마다 다섯 시야. 네 시 반에 수영 가방 챙기라고 알려줘.",
         "2026-11-27T16:30+09:00", "수영 가방", "weekday"),
        ("The vet appointment is on December 10 at 4 PM. Remind me an hour before.",
         "2026-12-10T15:00+09:00", "vet appointment", None),
        ("My flight leaves Tuesday at 7 AM. Remind me at 4:30 that morning to call a cab.",
         "2026-12-01T04:30+09:00", "call a cab", None),
        ("The library books are due on the 3rd at 6 PM. Remind me the day before at 10.",
         "2026-12-02T10:00+09:00", "library books", None),
        ("Lena arrives Sunday at 5 PM. Remind me to pick her up at 4:15 that afternoon.",
         "2026-11-29T16:15+09:00", "pick Lena up", None),
        ("I've got a call with the landlord at 6. Remind me fifteen minutes before.",
         "2026-11-27T17:45+09:00", "landlord", None),
    ],
)  # fmt: skip
def test_a_reminder_for_an_event_told_in_the_same_breath(make_companion, line, due, word, rule):
    companion = make_companion(clock=friday())
    companion.respond(line)
    (got,) = rows(companion)
    assert got[0] == due and word in got[1] and got[2] == rule, got


@pytest.mark.parametrize(
    ("told", "asked", "due", "what"),
    [
        ("조카 돌잔치가 12월 12일이야.", "그 전날 저녁 일곱 시에 봉투 준비하라고 알려줘",
         "2026-12-11T19:00+09:00", "봉투 준비하기"),
        ("우리 엄마 칠순이 12월 19일이에요.", "그날 아침 여덟 시에 꽃 찾으러 가라고 알려 주세요",
         "2026-12-19T08:00+09:00", "꽃 찾으러 가기"),
        ("My nephew's recital is on December 9.", "Remind me that morning at 8 to buy flowers.",
         "2026-12-09T08:00+09:00", "buy flowers"),
    ],
)  # fmt: skip
def test_that_day_is_the_day_of_the_line_just_before(make_companion, told, asked, due, what):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond(told)
    clock.advance(minutes=2)
    companion.respond(asked)
    assert [(d, w) for d, w, _ in rows(companion)] == [(due, what)]


def test_that_day_is_not_read_from_a_line_of_hours_ago(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("My nephew's recital is on December 9.")
    clock.advance(hours=3)
    companion.respond("Remind me that morning at 8 to buy flowers.")
    assert [d for d, _, _ in rows(companion) if d.startswith("2026-12-09")] == []


@pytest.mark.parametrize(
    ("line", "due", "what", "rule"),
    [
        ("일요일 새벽 다섯 시에 낚시 가게 깨워 줘", "2026-11-29T05:00+09:00", "낚시 가기", None),
        ("wake me up at 5:30 on Saturday to catch the early bus",
         "2026-11-28T05:30+09:00", "catch the early bus", None),
        ("내일 아침 일곱 시에 깨워 줘", "2026-11-28T07:00+09:00", "깨우기", None),
        ("내일 아침 일곱 시에 깨워 줘 요즘 너무 피곤하네", "2026-11-28T07:00+09:00", "깨우기",
         None),  # what is said after the request is not what the call is for
        ("매주 일요일 오전 열한 시에 성당 가야 하니까 아홉 시에 깨워 줘",
         "2026-11-29T09:00+09:00", "성당", "week"),
    ],
)  # fmt: skip
def test_a_wake_up_call_keeps_what_it_is_for(make_companion, line, due, what, rule):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == [(due, what, rule)]


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [
        ("Remind me every day at 7 AM to feed the fish.", "And at 7 PM as well, same thing.",
         [("2026-11-27T19:00+09:00", "feed the fish", "day"),
          ("2026-11-28T07:00+09:00", "feed the fish", "day")]),
        ("매일 아침 아홉 시에 비타민 먹으라고 알려줘", "밤 아홉 시에도 똑같이 알려줘",
         [("2026-11-27T21:00+09:00", "비타민 먹기", "day"),
          ("2026-11-28T09:00+09:00", "비타민 먹기", "day")]),
        ("Remind me Monday at 9 AM to call the pharmacy.", "And Tuesday at 9 too.",
         [("2026-11-30T09:00+09:00", "call the pharmacy", None),
          ("2026-12-01T09:00+09:00", "call the pharmacy", None)]),
    ],
)  # fmt: skip
def test_the_same_task_again_at_another_time(make_companion, first, again, expected):
    companion = make_companion(clock=friday())
    companion.respond(first)
    companion.respond(again)
    assert rows(companion) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("매일 밤 열한 시에 휴대폰 충전하라고 해 줘. 맨날 잊어버려.",
         [("2026-11-27T23:00+09:00", "휴대폰 충전하기", "day")]),
        ("토요일 오후 두 시에 빨래 걷으라고 해 주세요",
         [("2026-11-28T14:00+09:00", "빨래 걷기", None)]),
    ],
)  # fmt: skip
def test_an_order_to_pass_on_is_a_reminder_not_a_forget(make_companion, line, expected):
    companion = make_companion(clock=friday())
    companion.respond("제 동생 이름은 민호예요")
    reply = companion.respond(line)
    assert reply.intent == "set_reminder"
    assert rows(companion) == expected
    assert any("민호" in b.get("text", "") for _, b in companion.store.rows("facts"))


def test_cancel_both_named_cancels_each_and_leaves_the_rest(make_companion):
    companion = make_companion(clock=friday())
    for line in ("remind me to water the ferns every day at 8am",
                 "remind me to water the ferns every day at 6pm",
                 "remind me to call the plumber tomorrow at 10am"):  # fmt: skip
        companion.respond(line)
    companion.respond("cancel both fern reminders")
    assert rows(companion) == [("2026-11-28T10:00+09:00", "call the plumber", None)]
    assert len(rows(companion, "cancelled")) == 2
    for line in (
        "매일 아침 일곱 시에 화분에 물 주라고 알려줘",
        "매일 저녁 일곱 시에 화분에 물 주라고 알려줘",
    ):
        companion.respond(line)
    companion.respond("화분 알림 둘 다 지워 줘")
    assert rows(companion) == [("2026-11-28T10:00+09:00", "call the plumber", None)]


def test_one_of_several_named_still_asks_which(make_companion):
    companion = make_companion(clock=friday())
    for line in ("remind me to water the ferns every day at 8am",
                 "remind me to water the ferns every day at 6pm"):  # fmt: skip
        companion.respond(line)
    companion.respond("cancel the fern reminder")
    assert len(rows(companion)) == 2  # asked which, nothing gone yet


@pytest.mark.parametrize(
    ("first", "fix", "due"),
    [
        ("Remind me Monday at 3 PM that the electrician is coming.", "Sorry, he said 4, not 3.",
         "2026-11-30T16:00+09:00"),
        ("remind me tomorrow at 10am to call the bank", "actually 9:30, not 10",
         "2026-11-28T09:30+09:00"),
    ],
)  # fmt: skip
def test_a_new_time_against_the_old_moves_the_reminder(make_companion, first, fix, due):
    companion = make_companion(clock=friday())
    companion.respond(first)
    companion.respond(fix)
    assert [d for d, _, _ in rows(companion)] == [due]


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("I want to end my life. The meeting is Friday at 5, remind me an hour before.", "988"),
        ("죽고 싶어. 금요일 저녁 다섯 시에 약속 있는데 한 시간 전에 알려줘.", "109"),
    ],
)
def test_a_crisis_told_with_a_reminder_gets_the_line_and_no_reminder(make_companion, line, number):
    companion = make_companion(clock=friday())
    reply = companion.respond(line)
    assert number in reply.text
    assert companion.store.rows("reminders") == []


@pytest.mark.parametrize(
    ("first", "news", "due", "what"),
    [
        ("화요일 오후 두 시에 치과 예약이 있어요. 그날 열두 시 반에 알려 주세요.",
         "치과에서 전화 왔는데 두 시 말고 네 시로 오래요. 그러면 세 시에 알려 주세요.",
         "2026-12-01T15:00+09:00", "치과 예약"),
        ("The school concert is Monday at 2 PM. Remind me at 1:15.",
         "It got moved to 5, so remind me at 4:15 instead.",
         "2026-11-30T16:15+09:00", "school concert"),
        ("The school concert is Monday at 2 PM. Remind me at 1:15.",
         "It got pushed to 6. Remind me half an hour before.",
         "2026-11-30T17:30+09:00", "school concert"),
    ],
)  # fmt: skip
def test_news_that_the_event_moved_moves_its_reminder(make_companion, first, news, due, what):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond(first)
    clock.advance(hours=1)
    companion.respond(news)
    (got,) = rows(companion)
    assert got[0] == due and what in got[1], got


def test_a_new_task_after_news_of_a_change_is_a_new_reminder(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("The school concert is Monday at 2 PM. Remind me at 1:15.")
    companion.respond("Dinner got moved to 8, remind me to book a taxi at 7.")
    assert [d for d, _, _ in rows(companion)] == [
        "2026-11-27T19:00+09:00",
        "2026-11-30T13:15+09:00",
    ]


@pytest.mark.parametrize(
    ("line", "due", "what", "rule"),
    [
        ("다섯 시 반 회의 십오 분 전에 알려 줘.", "2026-11-27T17:15+09:00", "회의", None),
        ("remind me 15 minutes before my 4pm call with the bank",
         "2026-11-27T15:45+09:00", "call with the bank", None),
        ("Jonah's recital is Saturday at 4. Remind me at 2:30 so I can pick up flowers.",
         "2026-11-28T14:30+09:00", "Jonah's recital, pick up flowers", None),
        ("I've got the physio Monday at half past eleven. Remind me Monday morning at ten.",
         "2026-11-30T10:00+09:00", "the physio", None),
        ("딸 피아노 학원이 평일마다 다섯 시야. 네 시 반에 데려다주라고 알려줘.",
         "2026-11-27T16:30+09:00", "딸 피아노 학원 데려다주기", "weekday"),
    ],
)  # fmt: skip
def test_a_lead_a_purpose_or_a_bare_verb_is_read_with_the_event(
    make_companion, line, due, what, rule
):
    companion = make_companion(clock=friday())
    companion.respond(line)
    assert rows(companion) == [(due, what, rule)]


def test_news_with_and_too_after_a_reminder_is_not_a_reminder(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("Remind me every day at 7 AM to feed the fish.")
    reply = companion.respond("And tomorrow I have a big exam too.")
    assert reply.intent != "set_reminder"
    assert len(rows(companion)) == 1


def test_a_correction_said_as_hearsay_moves_and_a_link_word_is_not_the_task(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("일요일 저녁 여섯 시에 동창회 있어. 알림 좀 해 줘.")
    companion.respond("아 아니다, 여섯 시 말고 여섯 시 반이래")
    assert rows(companion) == [("2026-11-29T18:30+09:00", "동창회", None)]
    companion.respond("그러면 매일 저녁 아홉 시에 혈압 재라고 알려 주세요.")
    assert ("2026-11-27T21:00+09:00", "혈압 재기", "day") in rows(companion)


@pytest.mark.parametrize(
    ("lines", "due", "what"),
    [
        (("적금 만기가 다음 달 15일이래. 그날 아침에 은행 가라고 알려줘.",),
         "2026-12-15T08:00+09:00", "은행 가기"),
        (("아참, 아까 조카 돌잔치 12일이라고 했죠? 13일이에요.",
          "그날 아침 열 시에 봉투 챙기라고 알려 주세요."), "2026-12-13T10:00+09:00", "봉투 챙기기"),
        (("The book club moved from Tuesday to Thursday at 7 PM. Remind me at 6 that evening.",),
         "2026-12-03T18:00+09:00", "book club"),
    ],
)  # fmt: skip
def test_a_date_told_as_hearsay_or_corrected_is_the_day_meant(make_companion, lines, due, what):
    clock = friday()
    companion = make_companion(clock=clock)
    for line in lines:
        companion.respond(line)
        clock.advance(minutes=2)
    (got,) = rows(companion)
    assert got[0] == due and what in got[1], got


def test_the_reason_told_after_a_cancel_names_no_reminder(make_companion):
    companion = make_companion(clock=friday())
    for line in (
        "Remind me every day at 9 PM to give Mom her insulin.",
        "And every day at 9 AM too. Same thing.",
        "The school play got moved to December 8 at 6 PM. Remind me that morning at 8.",
    ):
        companion.respond(line)
    companion.respond("Cancel both insulin reminders. She's on a pump now, it's automatic.")
    assert rows(companion) == [("2026-12-08T08:00+09:00", "The school play got moved", None)]
    companion.respond("매일 저녁 여덟 시에 화분에 물 주라고 알려줘")
    companion.respond("화분 알림 지워 줘. 이제 내가 알아서 아침 여덟 시에 줄게.")
    assert rows(companion) == [("2026-12-08T08:00+09:00", "The school play got moved", None)]


def test_a_time_in_the_reason_after_a_correction_does_not_move_it(make_companion):
    clock = friday()
    companion = make_companion(clock=clock)
    companion.respond("remind me to book the campsite on december 20 at 9am")
    clock.advance(minutes=2)
    companion.respond("actually make it 8:30, the spots go in like 10 minutes")
    assert rows(companion) == [("2026-12-20T08:30+09:00", "book the campsite", None)]


def test_a_title_with_a_dot_does_not_end_the_request(make_companion):
    companion = make_companion(clock=friday())
    companion.respond("Remind me to call Dr. Patel's office on Monday at ten.")
    assert rows(companion) == [("2026-11-30T10:00+09:00", "call Dr. Patel's office", None)]


@pytest.mark.parametrize(
    ("lines", "due", "what"),
    [
        (("Remind me Saturday at 5 to call Nina before it starts.",
          "The dentist wants me in next Wednesday at two. Remind me at one to head to the dentist.",
          "Actually not one, make it twelve thirty. It's a long drive."),
         "2026-12-02T12:30+09:00", "head to the dentist"),
        (("Lily has her checkup on the 9th at ten thirty. Remind me that morning at nine.",
          "Wait, not nine. Make it eight thirty, we'll hit traffic."),
         "2026-12-09T08:30+09:00", "Lily has her checkup"),
    ],
)  # fmt: skip
def test_a_correction_in_words_moves_the_one_just_set(make_companion, lines, due, what):
    companion = make_companion(clock=friday())
    for line in lines:
        companion.respond(line)
    assert (due, what, None) in rows(companion)
    assert len(rows(companion)) == len(lines) - 1
