"""The NLU data meets the label contract: every label, both languages, a clean dev split."""

from __future__ import annotations

from collections import Counter

import pytest

from earpiece.nlu.featurizer import normalize
from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS
from earpiece.paths import nlu_dir
from earpiece.training.dataset import load_split

DATA = nlu_dir() / "data"
ALL = load_split(DATA, "train") + load_split(DATA, "dev")


@pytest.mark.parametrize("lang", LANGS)
def test_every_intent_and_emotion_has_at_least_40_utterances(lang: str):
    intents = Counter(ex.intent for ex in ALL if ex.lang == lang)
    emotions = Counter(ex.emotion for ex in ALL if ex.lang == lang)
    assert {i: intents[i] for i in INTENTS if intents[i] < 40} == {}
    assert {e: emotions[e] for e in EMOTIONS if emotions[e] < 40} == {}


@pytest.mark.parametrize("lang", LANGS)
def test_every_intent_is_in_the_dev_split(lang: str):
    dev = Counter(ex.intent for ex in load_split(DATA, "dev") if ex.lang == lang)
    assert {i for i in INTENTS if dev[i] < 10} == set()


def test_no_dev_utterance_is_also_a_training_utterance():
    train = {(ex.lang, normalize(ex.text)) for ex in load_split(DATA, "train")}
    leaked = [ex.text for ex in load_split(DATA, "dev") if (ex.lang, normalize(ex.text)) in train]
    assert leaked == []


def test_no_authored_line_is_written_twice():
    lines = Counter((ex.lang, ex.text) for ex in ALL if not ex.public)
    assert [text for text, n in lines.items() if n > 1] == []
