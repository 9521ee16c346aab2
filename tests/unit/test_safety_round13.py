"""Round 13 (issue 19): an overdose already taken said with 'all that was left' of a risky
medicine ('우울증 약 … 전부 삼켰어'), 'a load of' insulin ('잔뜩 놨어'), or 'way more than I'm
meant to'; a cut 'again' with no body part named ('또 그어버렸어'). The everyday forms stay
calm: leftover cold medicine finished, pills taken on purpose at a time, cake. The lines are this
file's own."""

from __future__ import annotations

import pytest

from earpiece.nlu import safety
from earpiece.nlu.safety.patterns import overdose_taken, self_harm
from tests.unit.safety_lines import training_lines

TAKEN = [
    "항우울제 남은 거 전부 털어 넣었어",
    "어제 받은 인슐린 왕창 놨어 일부러",
    "I took way more of my sleeping tablets than I'm supposed to",
]
NOT_TAKEN = [
    "감기약 남은 거 다 먹었어 이제 다 나았나 봐",
    "I took my pills on purpose at 8 so I'd remember",
    "I ate way more cake than I'm supposed to",
    "과자 잔뜩 먹었어",
]
CUT = ["한동안 참았는데 어젯밤에 또 그어버렸어"]
NOT_CUT = ["공책에 선을 또 그었어"]


def test_these_lines_are_not_training_lines():
    assert not {t.lower() for t in TAKEN + NOT_TAKEN + CUT + NOT_CUT} & training_lines()


@pytest.mark.parametrize("line", TAKEN)
def test_an_overdose_taken_in_these_words_is_one(line: str):
    assert overdose_taken(line) and safety.rules(line) is not None


@pytest.mark.parametrize("line", NOT_TAKEN)
def test_the_everyday_forms_are_not_an_overdose(line: str):
    assert not overdose_taken(line)


@pytest.mark.parametrize("line", CUT)
def test_a_cut_again_is_self_harm(line: str):
    assert self_harm(line)


@pytest.mark.parametrize("line", NOT_CUT)
def test_a_line_drawn_again_is_not(line: str):
    assert not self_harm(line)
