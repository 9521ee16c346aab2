"""The safety rule layer on wording it used to get wrong, and how long lines are split."""

from __future__ import annotations

import pytest

from earpiece.nlu import safety


@pytest.mark.parametrize(
    "text",
    [
        "I want to overdose",
        "I'm thinking about overdosing again",
        "every night I pray I won't wake up",
        "i want to unalive myself",
        "I don't want to be here in this world",
        "이 세상에 살기 싫어",
        "I keep thinking about suicide",
        "내일 죽고 싶어",
        "일이 너무 힘들어서 죽고 싶어",
        "내일 다 끝내고 싶어",
        "강아지 두고 죽고 싶어",
        "I laughed but inside I want to die",
        "nobody would notice if i was gone",
        "I can't go on like this",
        "I don't want to wake up",
    ],
)
def test_crisis_wording_is_a_crisis_not_an_emergency(text):
    assert safety.rules(text) is safety.Danger.CRISIS


@pytest.mark.parametrize(
    "text",
    [
        "my granddaughter volunteers at a suicide hotline",
        "I don't want to live in the city anymore",
        "I want to vanish to the mountains for a week",
        "I'd rather die than wear that hat",
        "I'd die of embarrassment",
        "I'm sick of living with my noisy neighbour",
        "자살 예방 캠페인 광고를 봤어",
        "이 큰 집에 혼자 살기 싫어, 이사 갈까 봐",
        "걱정이 사라졌으면 좋겠어",
        "우리 강아지가 지난주에 죽었어, 너무 보고 싶어",
        "보고 싶어 죽겠어",
        "소설 읽는데 주인공이 유서를 쓰더라",
        "i laughed so hard i thought i'd die",
        "the book is about a man who wants to die but finds hope",
        "remind me to take all my pills at nine",
        "i cant go on the trip next week my knee is bad",
        "nobody would notice if i left the party early",
        "I don't want to wake up early tomorrow",
    ],
)
def test_talk_about_suicide_or_where_to_live_is_not_for_the_rules(text):
    assert safety.rules(text) is None


def test_an_overdose_that_happened_stays_an_emergency():
    assert safety.rules("I took too many pills by mistake") is safety.Danger.EMERGENCY


def test_a_short_utterance_is_scored_whole():
    assert safety.clauses("I want to die") == ["I want to die"]


def test_a_long_line_is_also_scored_clause_by_clause():
    text = "the weather was nice and my son called, but honestly i can't face another week of this"
    parts = safety.clauses(text)
    assert parts[0] == text
    assert "honestly i can't face another week of this" in parts
    assert all(len(p.split()) <= safety.WINDOW["en"] for p in parts[1:] if "," not in p)


def test_a_long_line_without_punctuation_is_scored_in_overlapping_windows():
    text = "오늘 병원 갔다가 밥 먹고 들어왔는데 그냥 다 끝내고 싶다는 생각만 들어"
    parts = safety.clauses(text)
    assert parts[0] == text
    windows = parts[1:]
    assert all(len(w.split()) <= safety.WINDOW["ko"] for w in windows)
    assert any("끝내고 싶다는" in w for w in windows)
    # every word is in some window
    assert set(text.split()) <= {word for w in windows for word in w.split()}


def test_a_clause_counts_only_when_it_beats_the_whole_by_the_penalty():
    import numpy as np

    assert safety.clause_max(np.array([0.4]), 0.2) == 0.4
    assert safety.clause_max(np.array([0.4, 0.5]), 0.2) == 0.4
    assert safety.clause_max(np.array([0.4, 0.9]), 0.2) == pytest.approx(0.7)
