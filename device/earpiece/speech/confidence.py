"""One calibrated confidence for a spoken turn: how likely the intent it heard is what was said.

Made of what the recognisers and the NLU know: Vosk's word confidences, the grammar
decoder's garbage share (its 'no'), how close its words are to a whole command phrase,
agreement between the grammar and open transcripts and intents, and the NLU's
confidence. Two logistic models over these, fitted by tools/calibrate_voice.py on
espeak-ng speech (commands, free speech, noise) and committed as turn_confidence.json:
`fast` sees only what is ready at the release (grammar decoder + NLU), `full` also the
open decoder's transcript.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from earpiece.speech.stt import Transcripts
from earpiece.speech.words import Word

MODEL_FILE = Path(__file__).with_name("turn_confidence.json")

FAST_FEATURES = (
    "g_conf_mean",
    "g_conf_min",
    "garbage",
    "g_phrase_match",
    "g_words_per_s",
    "g_nlu_conf",
    "g_unknown",
)
FULL_FEATURES = (
    *FAST_FEATURES,
    "o_conf_mean",
    "agreement",
    "intent_agree",
    "o_nlu_conf",
    "o_unknown",
)


class ConfidenceError(Exception):
    """The confidence model file is missing or unreadable; the message says how to rebuild it."""


@dataclass(frozen=True)
class Heard:
    """What the NLU made of one transcript (intent and its confidence); None if empty."""

    intent: str
    confidence: float


def _mean(words: tuple[Word, ...]) -> float:
    return sum(w.conf for w in words) / len(words) if words else 0.0


def _squash(text: str | None) -> str:
    return "".join((text or "").split())


def phrase_match(text: str, phrases: list[str]) -> float:
    """How close `text` is to the nearest whole command phrase (0-1, spaces ignored)."""
    from rapidfuzz import fuzz, process

    if not text or not phrases:
        return 0.0
    squashed = _squashed_phrases(tuple(phrases))
    best = process.extractOne(_squash(text), squashed, scorer=fuzz.ratio)
    return best[1] / 100 if best else 0.0


@cache
def _squashed_phrases(phrases: tuple[str, ...]) -> list[str]:
    return [_squash(p) for p in phrases]


def features(
    heard: Transcripts,
    by_grammar: Heard | None,
    by_open: Heard | None,
    phrases: list[str],
    fillers: frozenset[str] = frozenset(),
) -> dict[str, float]:
    """The turn's features; the open decoder's are 0 when it was not waited for."""
    from rapidfuzz import fuzz

    words = tuple(w for w in heard.grammar_words if w.text not in fillers and w.text[:1] != "[")
    seconds = max(heard.audio_s, 0.1)
    grammar = heard.grammar or ""
    out = {
        "g_conf_mean": _mean(words),
        "g_conf_min": min((w.conf for w in words), default=0.0),
        "garbage": heard.garbage if heard.grammar_words else 1.0,
        "g_phrase_match": phrase_match(grammar, phrases),
        "g_words_per_s": len(words) / seconds,
        "g_nlu_conf": by_grammar.confidence if by_grammar else 0.0,
        "g_unknown": float(by_grammar is None or by_grammar.intent == "unknown"),
        "o_conf_mean": _mean(heard.open_words),
        "agreement": fuzz.ratio(_squash(grammar), _squash(heard.open)) / 100
        if grammar and heard.open
        else 0.0,
        "intent_agree": float(
            by_grammar is not None and by_open is not None and by_grammar.intent == by_open.intent
        ),
        "o_nlu_conf": by_open.confidence if by_open else 0.0,
        "o_unknown": float(by_open is None or by_open.intent == "unknown"),
    }
    return out


@dataclass(frozen=True)
class Logistic:
    """p = sigmoid(intercept + sum(coef * standardised feature))."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def probability(self, values: dict[str, float]) -> float:
        z = self.intercept
        for name, mu, sd, c in zip(self.names, self.mean, self.scale, self.coef, strict=True):
            z += c * (values[name] - mu) / sd
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def from_json(cls, body: dict) -> Logistic:
        return cls(
            tuple(body["features"]),
            tuple(body["mean"]),
            tuple(body["scale"]),
            tuple(body["coef"]),
            float(body["intercept"]),
        )


@dataclass(frozen=True)
class Thresholds:
    """Where a turn's confidence stops being 'act', then 'ask first', then 'not heard'."""

    fast_act: float
    """The fast model's confidence at which the grammar transcript is acted on at once."""
    act: float
    """The full model's confidence at or above which the turn acts."""
    heard: float
    """Below this (full model), nothing is done: "I didn't catch that"."""
    fast_reject: float = 0.0
    """Below this fast-model confidence the turn is not heard, without waiting for the open
    decoder (set under every calibration command the full model got right)."""


@dataclass(frozen=True)
class TurnConfidence:
    """The committed calibration: the two models and the thresholds chosen with them."""

    fast: Logistic
    full: Logistic
    thresholds: Thresholds

    @classmethod
    def load(cls, path: Path | None = None) -> TurnConfidence:
        return _load(path or MODEL_FILE)


@cache
def _load(path: Path) -> TurnConfidence:
    how = "rebuild it with `python tools/calibrate_voice.py` (or `git checkout` it)"
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        t = body["thresholds"]
        return TurnConfidence(
            Logistic.from_json(body["fast"]),
            Logistic.from_json(body["full"]),
            Thresholds(
                float(t["fast_act"]),
                float(t["act"]),
                float(t["heard"]),
                float(t.get("fast_reject", 0.0)),
            ),
        )
    except FileNotFoundError:
        raise ConfidenceError(f"{path}: the turn confidence model is missing; {how}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfidenceError(
            f"{path}: the turn confidence model is unreadable ({exc}); {how}"
        ) from None
