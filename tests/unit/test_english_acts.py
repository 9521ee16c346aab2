"""English speech-act labels come from what a line is for (training/acts.py), and English uses
the learned act head only when it beats the rules on held-out lines (build.act_choice)."""

from __future__ import annotations

import numpy as np
import pytest

from earpiece.training.acts import asked_as_question, hwu64_act, intent_act, with_english_acts
from earpiece.training.build import act_choice
from earpiece.training.dataset import ACTS, Example


@pytest.mark.parametrize(
    ("scenario", "intent", "text", "act"),
    [
        ("play", "music", "i want to hear some jazz", "request"),  # the rules read a statement
        ("iot", "hue_lightdim", "darker lights please", "request"),
        ("alarm", "set", "wake me up at six", "request"),
        ("general", "praise", "that was useful thank you", "statement"),
        ("general", "negate", "no that's wrong", "statement"),
        ("weather", "query", "what is the weather today", "question"),
        ("weather", "query", "do i need a jacket today", "question"),
        ("weather", "query", "tell me the weather", None),  # a request by form: left out
        ("weather", "query", "can you check the weather", None),  # polite request: left out
        ("music", "likeness", "i like this song", None),
        ("general", "quirky", "what is your mood today", None),
    ],
)
def test_hwu64_act_comes_from_the_intent(scenario: str, intent: str, text: str, act: str | None):
    assert hwu64_act(scenario, intent, text) == act


@pytest.mark.parametrize(
    ("intent", "text", "act"),
    [
        ("stop", "enough already", "request"),
        ("volume_up", "I can barely hear you", "request"),
        ("thanks", "cheers mate", "statement"),
        ("share_feeling", "I had an awful day", "statement"),
        ("ask_time", "What does the clock say?", "question"),
        ("ask_time", "time check please", None),
        ("remember_fact", "remember that I love jazz", None),
        ("remember_fact", "Please note my locker code is 412", None),
        ("remember_fact", "My brother is called Omar", "statement"),
        ("remember_fact", "I'm a teacher, by the way.", "statement"),
        ("unknown", "order a pizza", None),
    ],
)
def test_authored_english_act_comes_from_the_intent(intent: str, text: str, act: str | None):
    assert intent_act(intent, text) == act


def test_only_authored_english_lines_without_an_act_get_one():
    rows = [
        Example("stop it", "stop", "neutral", "en", source="intents_a"),
        Example("그만해", "stop", "neutral", "ko", source="intents_a"),
        Example("stop it now", "stop", "neutral", "en", "statement", source="public-hwu64"),
        Example("I'm so happy", None, "joy", "en", source="public-goemotions"),
    ]
    assert [ex.act for ex in with_english_acts(rows)] == ["request", None, "statement", None]


def test_a_question_is_read_from_its_first_word_or_its_question_mark():
    assert asked_as_question("what's on my list")
    assert asked_as_question("so is it raining")
    assert asked_as_question("the weather tomorrow?")
    assert not asked_as_question("could you tell me the time")
    assert not asked_as_question("weather today")


def _logits(acts: list[str]) -> np.ndarray:
    return np.array([[3.0 if a == name else 0.0 for name in ACTS] for a in acts])


def test_english_joins_the_learned_languages_only_when_the_head_beats_the_rules():
    held = [
        Example("i want to hear jazz", "unknown", "neutral", "en", "request", "public-hwu64"),
        Example("darker lights", "unknown", "neutral", "en", "request", "public-hwu64"),
        Example("what time is it", "ask_time", "neutral", "en", "question", "intents_a"),
        Example("지금 몇 시야", "ask_time", "neutral", "ko", None, "intents_a"),
    ]
    right = act_choice(held, _logits(["request", "request", "question", "question"]))
    assert right["learned_langs"] == ["ko", "en"]
    assert right["en_held_out"]["lines"] == 3
    assert right["en_held_out"]["rules_accuracy"] < right["en_held_out"]["model_accuracy"] == 1.0
    wrong = act_choice(held, _logits(["statement", "statement", "question", "question"]))
    assert wrong["learned_langs"] == ["ko"]
