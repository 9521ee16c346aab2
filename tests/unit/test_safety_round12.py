"""Round 12 (issue 19): a poison named with the wish to drink it ('농약 … 마실란다') is a crisis by
rule (not a question to someone else); 'fallen through the ice' is an emergency; 'after I go' is
a word of leaving for the action guard (a fact asked to be kept for then waits for a check-in);
'remind me to … after I go to work' stays a reminder. The lines are this file's own."""

from __future__ import annotations

import pytest

from earpiece.companion.outcome import Outcome
from earpiece.nlu import safety
from earpiece.nlu.safety import Danger
from earpiece.nlu.safety.guard import _LEAVING_WORD
from tests.unit.safety_lines import training_lines

POISON = ["창고에 제초제 있더라 오늘 밤에 그거 마실 거야", "쥐약 사 왔어 이따 먹을 거다"]
NOT_POISON = ["락스 마실 거야? 그거 청소용이야", "우리 강아지 쥐약 먹을까 봐 걱정이야"]


def test_these_lines_are_not_training_lines():
    assert not {t.lower() for t in POISON + NOT_POISON} & training_lines()


@pytest.mark.parametrize("line", POISON)
def test_a_poison_with_the_wish_to_drink_it_is_a_crisis(line: str):
    assert safety.rules(line) is Danger.CRISIS


@pytest.mark.parametrize("line", NOT_POISON)
def test_a_poison_asked_about_or_feared_for_a_pet_is_not(line: str):
    assert safety.rules(line) is None


def test_fallen_through_the_ice_is_an_emergency():
    assert safety.rules("my brother's fallen through the ice at the lake") is Danger.EMERGENCY


def test_after_i_go_is_a_word_of_leaving_and_after_i_go_to_work_a_reminder(make_companion):
    assert _LEAVING_WORD.search("water my ferns after I go")
    reply = make_companion().respond("remind me to water the plants after I go to work")
    assert reply.intent == "set_reminder" and reply.outcome is not Outcome.ACTED
