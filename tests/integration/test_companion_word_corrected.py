"""A name or word said wrong and set right in passing ('X 말고 Y', 'not Ella, Ellie'): the fact
that holds the old word holds the new one, and a recall answers with it; the same shape with
nothing kept ('우유 말고 두유 마실래') keeps nothing, and a request or a day is left to its own
path. The lines are this file's own (issue 20: Korean corrections)."""

from __future__ import annotations

import pytest

from earpiece.companion.route import corrected_word
from tests.integration.test_companion_week import at


def _facts(companion) -> str:
    return " ".join(b.get("text", "") for _, b in companion.store.rows("facts"))


@pytest.mark.parametrize(
    ("told", "fix", "ask", "old", "new"),
    [
        ("조카가 다니는 유치원은 해님유치원이야", "아 아니다 해님유치원 말고 햇살유치원",
         "조카 유치원 이름 뭐였지?", "해님", "햇살"),
        ("우리 손녀 단짝 이름이 지아래요", "아니에요, 지아 말고 지유래요. 제가 잘못 들었네요",
         "손녀 단짝 이름이 뭐라고 했지요?", "지아", "지유"),
        ("My neighbour's name is Mrs Dawson", "sorry, not Dawson, Dobson",
         "what's my neighbour's name?", "Dawson", "Dobson"),
    ],
)  # fmt: skip
def test_a_word_set_right_in_passing_replaces_it_in_the_fact(
    make_companion, told, fix, ask, old, new
):
    companion = make_companion(clock=at(8, 9))
    companion.respond(told)
    companion.respond(fix)
    assert new in _facts(companion) and old not in _facts(companion)
    assert new in companion.respond(ask).text


def test_the_shape_with_nothing_kept_keeps_nothing(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우유 말고 두유 마실래")
    assert companion.store.rows("facts") == []


@pytest.mark.parametrize(
    "line",
    [
        "커피 말고 녹차 줘",
        "목요일 말고 금요일로 바꿔",
        "그거 말고 다른 거",
        "I want tea, not coffee",
    ],
)
def test_a_request_a_day_or_a_thing_is_no_word_set_right(line):
    assert corrected_word(line) is None
