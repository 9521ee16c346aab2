"""Public sets mapped onto our labels: the mapping, the file format, and what training reads."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from earpiece.nlu.labels import UNKNOWN
from earpiece.paths import nlu_dir
from earpiece.training.dataset import DataError, Example, load_file, load_split
from earpiece.training.phrases import command_phrases
from earpiece.training.public import GOEMOTIONS, _goemotion, hwu64_intent

DATA = nlu_dir() / "data"


@pytest.mark.parametrize(
    ("scenario", "intent", "text", "ours"),
    [
        ("alarm", "set", "wake me up at six", "set_reminder"),
        ("alarm", "remove", "cancel my alarm", "cancel_reminder"),
        ("general", "negate", "no that's wrong", "deny"),
        ("datetime", "query", "what time is it", "ask_time"),
        ("datetime", "query", "what day is it today", "ask_date"),
        ("datetime", "query", "what time is it in london", None),
        ("weather", "query", "will it rain tomorrow", UNKNOWN),
        ("music", "query", "what song is this", UNKNOWN),
        ("music", "likeness", "i like alt rock music", None),  # a taste told: not unknown
        ("calendar", "set", "remind me about the gym class", None),
        ("general", "quirky", "what is your mood today", None),
    ],
)
def test_hwu64_mapping(scenario: str, intent: str, text: str, ours: str | None):
    assert hwu64_intent(scenario, intent, text) == ours


def test_goemotions_keeps_only_lines_that_map_to_one_emotion():
    labels = ["love", "caring", "joy", "sadness", "surprise", "neutral"]
    assert _goemotion(labels, "0,1") == "affection"
    assert _goemotion(labels, "2") == "joy"
    assert _goemotion(labels, "2,3") is None  # joy and sadness: two of ours
    assert _goemotion(labels, "2,4") is None  # surprise is left out
    assert _goemotion(labels, "5") == "neutral"
    assert set(GOEMOTIONS.values()) <= {
        "neutral",
        "joy",
        "sadness",
        "anger",
        "anxiety",
        "affection",
    }


def test_training_never_reads_a_public_test_split():
    train = {(ex.lang, ex.text) for ex in load_split(DATA, "train")}
    for path in sorted(DATA.glob("*/public-*.test.tsv")):
        rows = load_file(path)
        assert rows, path
        assert not any((ex.lang, ex.text) in train for ex in rows), path


def test_public_lines_are_marked_and_label_only_what_they_know():
    public = [ex for ex in load_split(DATA, "train") if ex.public]
    by_source = Counter(ex.source for ex in public)
    assert set(by_source) == {"public-hwu64", "public-goemotions", "public-3i4k"}
    for ex in public:
        if ex.source == "public-3i4k":
            assert (ex.intent, ex.emotion, ex.lang) == (None, None, "ko") and ex.act
        elif ex.source == "public-goemotions":
            assert ex.intent is None and ex.emotion is not None
        else:
            assert ex.intent is not None and ex.lang == "en"


def test_grammar_phrases_skip_public_typed_and_unknown_lines():
    examples = [
        Example("set an alarm for six", "set_reminder", "neutral", "en", None, "public-hwu64"),
        Example("order me a pizza", "unknown", "neutral", "en", None, "extra"),
        Example("what time is it", "ask_time", "neutral", "en", None, "intents_a"),
        Example("기뻐", None, "joy", "ko", None, "public-goemotions"),
        Example("ㄱㅅㄱㅅ", "thanks", "neutral", "ko", None, "styles"),
        Example("이따 또 보자", "goodbye", "neutral", "ko", None, "round6"),
    ]
    assert command_phrases(examples) == {
        "ko": [],
        "en": [["what time is it", "ask_time"]],
    }


def test_unlabelled_cells_and_bad_acts(tmp_path: Path):
    folder = tmp_path / "ko"
    folder.mkdir()
    good = folder / "public-x.train.tsv"
    good.write_text("text\tintent\temotion\tact\n뭐 해\t-\t-\tquestion\n", encoding="utf-8")
    assert load_file(good) == [Example("뭐 해", None, None, "ko", "question", "public-x")]
    bad = folder / "public-y.train.tsv"
    bad.write_text("text\tintent\temotion\tact\n뭐 해\t-\t-\tasking\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"public-y.train.tsv:2: unknown act 'asking'"):
        load_file(bad)
