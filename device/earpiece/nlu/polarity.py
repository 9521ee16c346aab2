"""Which way round a line's feeling is (positive, neutral, negative), read from the whole line.

A small logistic regression (models/polarity/polarity.npz, read with NumPy only) over the
sentence embedding the NLU already computed for the line (nlu/encoder.py; the same vector,
from the encoder's recent cache) and a few cheap cues the embedding cannot see, because it
reads the line lowercased without punctuation: capitals, '!', emoticons, 'finally'/'드디어',
relief, a worry that is over, a contrast, sarcasm's shape. The cues are features whose
weights were learned, not rules. Trained by `python -m earpiece.training.polarity`.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.nlu.encoder import DIM
from earpiece.nlu.featurizer import normalize

CLASSES = ("negative", "neutral", "positive")
FILE = "polarity.npz"

log = logging.getLogger(__name__)

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("finally", r"\bfinally\b|\bat\s+last\b|드디어|마침내|결국\s?(?:됐|해냈|붙)"),
        (
            "relief",
            r"\breliev\w*|\bphew\b|\bthank\s+(?:god|goodness|heavens)\b|\bwhew\b"
            r"|다행|살았다|한시름|안심|휴우*(?![가-힣])|십년감수",
        ),
        (
            "over",
            r"\b(?:no\s+longer|not\s+anymore|anymore|all\s+clear|came\s+back\s+(?:clean|clear|fine"
            r"|normal|negative)|without\s+(?:a|the|my|any)\b)"
            r"|없이|더\s?이상|이제\s?안\s?|정상(?:이래|이라|으로)|음성(?:이래|이라)|괜찮대|괜찮다고",
        ),
        ("worry", r"\bworr\w*|\bscared\b|\bnervous\b|\bafraid\b|걱정|불안|무서|떨려|떨렸"),
        ("contrast", r"\bbut\b|\bthough\b|\bturns\s+out\b|근데|그런데|지만|는데도|알고\s?보니"),
        ("negation", r"\bnot\b|n't\b|\bnever\b|\bno\b|(?<![가-힣])(?:안|못)\s|않|없"),
        (
            "sarcasm",
            r"\bjust\s+(?:great|perfect|wonderful|lovely|fantastic)\b|\boh\s+(?:great|joy|good)\b"
            r"|\bjust\s+what\s+i\s+needed\b|\blove\s+(?:that|this)\s+for\s+me\b|\byeah\s+right\b"
            r"|\bof\s+course\b.*\bagain\b|퍽이나|참\s?잘\s?(?:됐|했)|아주\s?(?:잘|좋)|그럼\s?그렇지|역시나"
            r"|(?:잔치|파티|축하|박수|건배|상)\s?(?:이라도|라도)|경사\s?났|\bwhat\s+a\s+treat\b"
            r"|\b(?:living|live)\s+(?:the|my)\s+(?:dream|best\s+life)\b",
        ),
        ("again", r"\bagain\b|\bonce\s+more\b|또|또다시|이번에도|오늘도"),
        ("smile", r"[:;]-?[)D]|\^\^|\^_\^|ㅎㅎ|ㅋㅋ|[♡♥❤😀-😍🥰🎉👍]|\bhaha|\blol\b"),
        ("tears", r":-?\(|ㅠ|ㅜ|T_T|[😢😭😞😔💔]"),
        ("ellipsis", r"\.\.\.|…|\.\s?\.\s?\."),
    )
)
CUE_NAMES = ("shout", "bang", "bangs", "question", *(name for name, _ in _CUES), "clipped")
"""The cue features, in the order of their weights (after the DIM embedding weights)."""


def cues(text: str) -> np.ndarray:
    """The cue features of one line, each in [0, 1]: capitals (share of a long enough Latin
    line), one '!' and several, a '?', then one per cue family found anywhere in the line."""
    letters = [c for c in text if c.isalpha() and c.isascii()]
    shout = len(letters) >= 6 and sum(c.isupper() for c in letters) >= 0.7 * len(letters)
    bangs = text.count("!")
    marks = [float(shout), float(bangs >= 1), float(bangs >= 3 or "!!" in text), float("?" in text)]
    found = [float(bool(p.search(text))) for _, p in _CUES]
    return np.array([*marks, *found, float(clipped(text))], np.float32)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def clipped(text: str) -> bool:
    """Two or more clipped sentences of one or two words in a row ('Lovely. Brilliant.',
    '완벽해. 최고야.'): the flat shape of praise not meant, or of a feeling held back."""
    run = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        words = sentence.strip(" .!?…").split()
        run = run + 1 if 0 < len(words) <= 2 else 0
        if run >= 2:
            return True
    return False


@dataclass(frozen=True)
class PolarityModel:
    """Multinomial logistic regression: probabilities = softmax(x @ weights.T + bias), where
    x = [embedding of the normalised line, cues * cue_scale]."""

    weights: np.ndarray
    """[3, DIM + len(CUE_NAMES)]."""
    bias: np.ndarray
    cue_scale: float
    confident: float
    """At or above this probability a feeling read is taken where the companion read none
    (chosen on held-out lines)."""
    sure: float
    """At or above this probability a feeling read turns one read the other way round."""

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """[n, 3] over CLASSES for each line and its sentence embedding."""
        x = np.hstack([vectors, np.stack([cues(t) for t in texts]) * self.cue_scale])
        z = x @ self.weights.T + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Polarity:
    """One line's reading: the label and its probability."""

    label: str
    confidence: float
    confident: bool
    """At or above the model's confident threshold."""
    sure: bool
    """At or above the model's sure threshold."""


def model_path() -> Path:
    """models/polarity/polarity.npz (under $EARPIECE_MODELS_DIR when set)."""
    return paths.models_dir() / "polarity" / FILE


def load(path: Path) -> PolarityModel:
    """A polarity file read and checked; ValueError says what is wrong."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        model = PolarityModel(
            weights=np.asarray(data["weights"], np.float32),
            bias=np.asarray(data["bias"], np.float32),
            cue_scale=float(meta["cue_scale"]),
            confident=float(meta["confident"]),
            sure=float(meta["sure"]),
        )
    if tuple(meta["classes"]) != CLASSES or tuple(meta["cues"]) != CUE_NAMES:
        raise ValueError(f"{path}: classes or cues differ from this code's; retrain it")
    if model.weights.shape != (len(CLASSES), DIM + len(CUE_NAMES)):
        raise ValueError(f"{path}: weights of shape {model.weights.shape}")
    return model


@cache
def model_or_none() -> PolarityModel | None:
    """The committed model, read once; None (logged) when it is missing or unreadable: the
    companion then answers the emotion head's feeling as before."""
    try:
        return load(model_path())
    except (OSError, ValueError, KeyError) as exc:
        log.warning("polarity model unavailable (%s); feelings come from the emotion head", exc)
        return None


def read(text: str) -> Polarity | None:
    """The polarity of one line, or None without a model or a sentence encoder."""
    model = model_or_none()
    if model is None or not normalize(text):
        return None
    from earpiece.nlu.encoder import EncoderError, shared

    try:  # the NLU embedded this same normalised line a moment ago: its vector is cached
        vector = shared().embed([normalize(text)])
    except EncoderError as exc:
        log.warning("polarity: no sentence encoder (%s)", exc)
        return None
    probs = model.probabilities([text], vector)[0]
    best = int(probs.argmax())
    p = float(probs[best])
    return Polarity(CLASSES[best], round(p, 4), p >= model.confident, p >= model.sure)
