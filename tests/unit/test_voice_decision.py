"""The spoken turn's confidence and decision as pure functions (no model, no audio)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from earpiece.speech.confidence import (
    FAST_FEATURES,
    FULL_FEATURES,
    MODEL_FILE,
    ConfidenceError,
    Heard,
    Logistic,
    Thresholds,
    TurnConfidence,
    features,
    phrase_match,
)
from earpiece.speech.decision import Decision, decide, decide_fast, decide_free, pick_decoder
from earpiece.speech.stt import Transcripts, Word, filler_words

LIMITS = Thresholds(fast_act=0.9, act=0.8, heard=0.4, fast_reject=0.05)


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.95, Decision.ACT), (0.8, Decision.ACT), (0.79, Decision.CONFIRM),
     (0.4, Decision.CONFIRM), (0.39, Decision.NOT_HEARD), (0.0, Decision.NOT_HEARD)],
)  # fmt: skip
def test_three_outcomes_by_confidence(p: float, expected: Decision):
    assert decide(p, LIMITS) is expected


def test_nothing_heard_is_never_acted_on_however_confident():
    assert decide(0.99, LIMITS, anything_heard=False) is Decision.NOT_HEARD


def test_fast_path_acts_when_sure_rejects_when_hopeless_else_waits():
    assert decide_fast(0.9, LIMITS) is Decision.ACT
    assert decide_fast(0.89, LIMITS) is None
    assert decide_fast(0.05, LIMITS) is None
    assert decide_fast(0.049, LIMITS) is Decision.NOT_HEARD


def test_free_speech_answers_are_never_sure_and_only_hopeless_ones_are_not_heard():
    assert decide_free(0.99, LIMITS) is Decision.CONFIRM  # read back before it is kept
    assert decide_free(0.1, LIMITS) is Decision.CONFIRM
    assert decide_free(0.01, LIMITS) is Decision.NOT_HEARD
    assert decide_free(0.99, LIMITS, anything_heard=False) is Decision.NOT_HEARD


def test_pick_decoder_keeps_the_rules_of_the_turn():
    known, other = Heard("ask_time", 0.9), Heard("tell_joke", 0.5)
    assert pick_decoder(known, None, free=False) == "grammar"  # no open transcript
    assert pick_decoder(known, other, free=True) == "open"  # free speech: the person's words
    assert pick_decoder(None, other, free=False) == "open"
    assert pick_decoder(known, other, free=False) == "grammar"  # open understands worse
    assert pick_decoder(known, Heard("ask_time", 0.6), free=False) == "open"  # same intent
    assert pick_decoder(Heard("unknown", 0.9), other, free=False) == "open"


def test_logistic_is_the_standardised_sigmoid():
    model = Logistic(("a", "b"), (1.0, 0.0), (2.0, 1.0), (1.0, -2.0), 0.5)
    z = 0.5 + 1.0 * (3.0 - 1.0) / 2.0 - 2.0 * 0.25
    assert model.probability({"a": 3.0, "b": 0.25}) == pytest.approx(1 / (1 + math.exp(-z)))


def test_features_of_a_clean_command_and_of_garbage():
    phrases = ["지금 몇 시야", "소리 줄여 줘"]
    clean = Transcripts("지금 몇 시야", "지금 몇 시야", 5.0, 50.0, 1.5,
                        (Word("지금", 0.9), Word("몇", 0.8), Word("시야", 1.0)),
                        (Word("지금", 1.0),), 0.0)  # fmt: skip
    f = features(clean, Heard("ask_time", 0.9), Heard("ask_time", 0.8), phrases)
    assert set(f) == set(FULL_FEATURES) >= set(FAST_FEATURES)
    assert f["g_phrase_match"] == 1.0 and f["agreement"] == 1.0 and f["intent_agree"] == 1.0
    assert f["g_conf_mean"] == pytest.approx(0.9) and f["g_conf_min"] == pytest.approx(0.8)
    assert f["g_words_per_s"] == pytest.approx(2.0) and f["g_unknown"] == 0.0
    noise = Transcripts("", "", 5.0, 50.0, 2.0, (Word("갃", 0.5), Word("[unk]", 0.4)), (), 1.0)
    g = features(noise, None, None, phrases, frozenset({"갃"}))
    assert g["garbage"] == 1.0 and g["g_conf_mean"] == 0.0 and g["g_unknown"] == 1.0
    assert g["agreement"] == 0.0 and g["g_phrase_match"] == 0.0


def test_phrase_match_ignores_spaces_and_measures_distance():
    assert phrase_match("지금몇 시 야", ["지금 몇 시야"]) == 1.0
    assert 0.3 < phrase_match("지금 몇 해", ["지금 몇 시야"]) < 1.0
    assert phrase_match("", ["지금 몇 시야"]) == 0.0


def test_filler_words_are_one_syllable_words_no_command_uses():
    vocab = {"이", "야", "뭐", "갃", "가나", "abc", "[unk]"}
    assert filler_words(vocab, ["뭐 야"]) == ["갃", "이"]
    assert filler_words(None, ["뭐"]) == []


def test_committed_model_loads_and_says_how_it_was_made():
    model = TurnConfidence.load()
    body = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert model.fast.names == FAST_FEATURES and model.full.names == FULL_FEATURES
    assert 0.0 < model.thresholds.heard <= model.thresholds.act
    assert body["made"]["by"] == "tools/calibrate_voice.py" and body["made"]["clips"]["noise"] > 0


@pytest.mark.parametrize("content", [None, "{not json", '{"fast": {}}'])
def test_a_missing_or_broken_model_file_says_how_to_rebuild_it(tmp_path: Path, content):
    path = tmp_path / "turn_confidence.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfidenceError, match=r"calibrate_voice\.py") as err:
        TurnConfidence.load(path)
    assert str(path) in str(err.value)


def test_whisper_turn_acts_on_state_only_when_the_grammar_heard_the_same_whole_phrase():
    from earpiece.speech.decision import WHISPER_ACT, WHISPER_HEARD, decide_whisper

    sure = max(WHISPER_ACT, 0.9)
    assert decide_whisper(sure, "set_reminder", None, False, False) is Decision.CONFIRM
    assert decide_whisper(sure, "set_reminder", "ask_time", False, False) is Decision.CONFIRM
    assert decide_whisper(sure, "set_reminder", "set_reminder", False, False) is Decision.CONFIRM
    assert decide_whisper(sure, "set_reminder", "set_reminder", False, False,
                          grammar_whole=True) is Decision.ACT  # fmt: skip
    assert decide_whisper(sure, "affirm", None, False, True) is Decision.CONFIRM
    assert decide_whisper(sure, "ask_time", None, False, False) is Decision.ACT
    assert decide_whisper((WHISPER_HEARD + WHISPER_ACT) / 2, "ask_time", None, False,
                          False) is Decision.CONFIRM  # fmt: skip
    assert decide_whisper(WHISPER_HEARD - 0.01, "ask_time", None, False,
                          False) is Decision.NOT_HEARD  # fmt: skip
    assert decide_whisper(sure, "share_feeling", None, True, True) is Decision.CONFIRM
    assert decide_whisper(sure, "ask_time", None, False, False,
                          anything_heard=False) is Decision.NOT_HEARD  # fmt: skip
