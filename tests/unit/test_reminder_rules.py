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
