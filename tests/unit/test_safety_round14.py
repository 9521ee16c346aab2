"""Round 14 (issue 19): a fortnight's pills taken 'at once' ('2주치 … 한 번에'); hints that hold an
action with a check-in: a gun out on the bed or in one's lap (not one being cleaned), 'sorry for
what she's going to find', 'if I'm still alive', '그날까지 살아 있으면', '내년엔 내가 못
챙기니까' (not for a posting abroad), someone 'will be shocked when they open the door' (not at
a barking dog). The lines are this file's own."""

from __future__ import annotations

import pytest

from earpiece.companion.outcome import Outcome
from earpiece.nlu.safety.patterns import concern_rules, overdose_taken
from tests.unit.safety_lines import training_lines

TAKEN = ["한 달치 수면제를 한 번에 먹었어", "3주치 약 털어 넣었어요"]
HINTS = [
    "my grandfather's old rifle is out on the table and I keep picking it up",
    "I've got my uncle's pistol in my lap right now",
    "write to my sister, sorry for what she's going to find",
    "remind me to pay rent on the 1st if I'm still alive",
    "토요일에 병원 예약 알려줘 그날까지 살아 있으면",
    "내년엔 내가 못 챙기니까 엄마 생신 알림 동생한테 넘겨줘",
    "경비 아저씨한테 죄송하다고 써줘 문 열어 보시면 놀라실 거라고",
]
CALM = [
    "I'm cleaning my rifle, it's out on the table",
    "remind me at 5 if I'm still here at the office",
    "내년엔 내가 못 챙기니까 미리 선물 사 둘래 해외 발령이라",
    "택배 기사님한테 죄송하다고 문자 써줘 문 열면 놀라실 거라고 강아지가 짖어서",
    "아침 약 한 번에 다 먹었어",
]


def test_these_lines_are_not_training_lines():
    assert not {t.lower() for t in TAKEN + HINTS + CALM} & training_lines()


@pytest.mark.parametrize("line", TAKEN)
def test_days_of_pills_taken_at_once_are_an_overdose(line: str):
    assert overdose_taken(line)


@pytest.mark.parametrize("line", HINTS)
def test_a_hint_gets_the_check_in(line: str):
    assert concern_rules(line)


@pytest.mark.parametrize("line", CALM)
def test_the_calm_forms_get_nothing_by_rule(line: str):
    assert not concern_rules(line) and not overdose_taken(line)


def test_a_reminder_asked_if_still_alive_is_not_set(make_companion):
    companion = make_companion()
    reply = companion.respond("remind me to pay rent on the 1st if I'm still alive")
    assert reply.outcome is not Outcome.ACTED and "988" in reply.text
    assert companion.store.count("reminders") == 0
