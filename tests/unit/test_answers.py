"""companion/answers.py: how a line reads by its words (a yes, a no, about oneself)."""

from __future__ import annotations

import pytest

from earpiece.companion.answers import about_oneself, is_no, is_yes
from earpiece.nlu.act import Act
from earpiece.nlu.model import Understanding


def said(text: str, lang: str = "en", intent: str = "unknown") -> Understanding:
    return Understanding(text, lang, intent, 0.9, "neutral", 0.0, {}, Act.STATEMENT)


@pytest.mark.parametrize("text", ["yes", "sure go ahead", "응 해 줘", "네", "okay!", "맞아요"])
def test_a_plain_yes_is_a_yes_and_not_a_no(text: str):
    assert is_yes(said(text)) and not is_no(said(text))


@pytest.mark.parametrize("text", ["yes but not now", "응 근데 잠깐", "sure, wait"])
def test_a_yes_with_a_but_is_not_a_yes(text: str):
    assert not is_yes(said(text))


def test_the_model_s_affirm_counts_unless_the_words_are_negated():
    assert is_yes(said("I think so", intent="affirm"))
    assert not is_yes(said("그런 생각 안 해", "ko", intent="affirm"))
    assert not is_yes(said("I really think that would be great", intent="affirm"))  # too long


@pytest.mark.parametrize("text", ["no", "not now", "아니", "취소", "never mind thanks"])
def test_a_plain_no_is_a_no(text: str):
    assert is_no(said(text)) and not is_yes(said(text))


def test_the_model_s_deny_or_stop_is_a_no():
    assert is_no(said("hmm", intent="deny")) and is_no(said("enough", intent="stop"))


@pytest.mark.parametrize(
    ("text", "lang", "oneself"),
    [
        ("I'm so tired today", "en", True),
        ("well my boss yelled again", "en", True),
        ("what's the weather", "en", False),
        ("오늘 너무 피곤했어", "ko", True),
        ("알바 잘림", "ko", True),  # a line ending in a noun (ㅁ)
        ("몇 시야?", "ko", False),
    ],
)
def test_a_statement_about_oneself(text: str, lang: str, oneself: bool):
    assert about_oneself(said(text, lang)) is oneself
