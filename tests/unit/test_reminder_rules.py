"""Reminder rules without the model: what answers 'what time?', what a correction takes back."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from earpiece.companion import reminders


def _turn(text: str, lang: str) -> SimpleNamespace:
    return SimpleNamespace(u=SimpleNamespace(text=text), lang=lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("오후 세 시에 해 줘", "ko"), ("세 시에 부탁해", "ko"), ("8", "ko"), ("아침 여덟 시요", "ko"),
     ("내일 아침", "ko"), ("음 한 일곱 시쯤?", "ko"), ("at 3 please", "en"),
     ("let's say 3pm", "en"), ("um 5 o'clock I guess", "en"), ("7:30", "en"),
     ("tomorrow morning", "en"), ("make it 8", "en"), ("every day at 8", "en"),
     ("in an hour", "en")],
)  # fmt: skip
def test_a_time_answers_what_time(text, lang):
    assert reminders.is_time_answer(_turn(text, lang))


@pytest.mark.parametrize(
    ("text", "lang"),
    [("오늘 날씨 진짜 좋다", "ko"), ("아 배고프다", "ko"), ("내일 엄마 병원 가", "ko"),
     ("고마워", "ko"), ("my sister is visiting on Sunday", "en"), ("ugh I'm so hungry", "en"),
     ("tomorrow I have a big exam", "en"), ("remind me to call mom at 5", "en")],
)  # fmt: skip
def test_another_line_does_not_answer_what_time(text, lang):
    assert not reminders.is_time_answer(_turn(text, lang))


@pytest.mark.parametrize(
    ("text", "lang", "kept"),
    [
        ("열 시 말고 열한 시로", "ko", "열한 시로"),
        ("아니 내일 말고 모레", "ko", "모레"),
        ("not 10, make it 11", "en", "make it 11"),
        ("not at 10am but 11am", "en", "but 11am"),
        ("move it to Friday instead of Thursday", "en", "move it to Friday instead of"),
    ],
)
def test_a_correction_drops_the_time_it_takes_back(text, lang, kept):
    assert " ".join(reminders.new_part(text, lang).replace(",", " ").split()) == kept


@pytest.mark.parametrize(
    ("text", "lang", "every"),
    [
        ("평일에만 울리게 바꿔 줘", "ko", "weekday"),
        ("그 알림 격일로 해 줘", "ko", "days"),
        ("주말엔 그 알림 안 울려도 돼", "ko", "weekday"),
        ("switch it to weekends", "en", "weekend"),
        ("make that daily", "en", "day"),
        ("turn it off on weekdays", "en", "weekend"),
    ],
)
def test_a_new_rule_asked_of_a_reminder_is_read(text, lang, every):
    from earpiece.companion.route import rule_change

    rule = rule_change(text, lang)
    assert rule is not None and rule.every == every


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("remind me to stretch every other day at 7", "en"),
        ("매일 일곱 시에 물 마시라고 알려 줘", "ko"),
        ("주말엔 푹 쉬어야지", "ko"),
        ("I only go to the gym on weekends", "en"),
    ],
)
def test_a_new_request_or_a_habit_told_is_no_rule_change(text, lang):
    from earpiece.companion.route import rule_change

    assert rule_change(text, lang) is None


def test_a_reminder_let_go_is_told_from_a_line_about_oneself():
    from earpiece.companion.checkin import lets_the_last_go

    assert lets_the_last_go("I don't need that anymore")
    assert lets_the_last_go("그거 이제 필요 없어요")
    assert not lets_the_last_go("I don't need anything anymore")
    assert not lets_the_last_go("나 이제 필요 없는 사람이야")


def test_a_clocks_minutes_with_mada_are_a_daily_time_not_every_n_minutes():
    from earpiece.nlu.timeparse import find_repeat

    daily = find_repeat("매일 저녁 9시 15분마다 약 먹으라고 알려 줘", "ko")
    assert daily is not None and daily[0].every == "day"
    weekdays = find_repeat("평일 아침 7시 20분마다 셔틀버스 온다고 알려 줘", "ko")
    assert weekdays is not None and weekdays[0].every == "weekday"
    minutes = find_repeat("30분마다 스트레칭하라고 알려 줘", "ko")
    assert minutes is not None and minutes[0].every == "minutes"
