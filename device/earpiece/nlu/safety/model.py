"""Crisis and emergency found by meaning: the classifier (crisis.npz, read with NumPy) over
sentence embeddings and hashed n-grams, scored per clause."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.nlu.encoder import DIM
from earpiece.nlu.featurizer import FeatureSpec, sparse_features
from earpiece.nlu.lang import written_in
from earpiece.nlu.safety.patterns import Danger, clauses, without_figures


class ClassifierError(Exception):
    """The crisis classifier's weights are missing or unreadable; the message says how to fix."""


@dataclass(frozen=True)
class Classifier:
    """Crisis / emergency / none from a sentence embedding and hashed char/jamo n-grams: a
    logistic regression, and for crisis its log-odds stacked with how much closer the sentence
    is to the hand-written crisis statements than to the hard negatives (models/safety/)."""

    classes: tuple[str, ...]
    weights: np.ndarray
    """[classes, DIM + spec.dim]: the embedding's weights, then the n-grams'."""
    bias: np.ndarray
    spec: FeatureSpec
    ngram_scale: float
    threshold: dict[str, dict[str, float]]
    bank: np.ndarray
    """[n, DIM] embeddings of the hand-written crisis statements and hard negatives."""
    bank_crisis: np.ndarray
    """[n] True where the bank row is a crisis statement."""
    neighbours: int
    """How many nearest statements of each kind are averaged."""
    stack: tuple[float, float, float]
    """Crisis score = sigmoid(a * log-odds + b * closeness margin + c)."""
    clause_penalty: float
    """How much more a clause must score than the whole utterance would need (a clause of a
    long line raises the odds of a false alarm)."""

    def probabilities(self, vectors: np.ndarray, texts: list[str]) -> np.ndarray:
        """Softmax over the classes for each (embedding, text) row, [n, classes]."""
        z = vectors @ self.weights[:, :DIM].T + self.bias
        for row, text in enumerate(texts):
            feats = sparse_features(text, self.spec)
            if feats:
                cols = np.fromiter(feats, np.int64, len(feats)) + DIM
                vals = np.fromiter(feats.values(), np.float32, len(feats)) * self.ngram_scale
                z[row] += self.weights[:, cols] @ vals
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def margin(self, vectors: np.ndarray) -> np.ndarray:
        """Mean cosine to the nearest crisis statements minus that to the nearest negatives."""
        sims = vectors @ self.bank.T
        k = self.neighbours
        near_crisis = np.sort(sims[:, self.bank_crisis], axis=1)[:, -k:].mean(axis=1)
        near_none = np.sort(sims[:, ~self.bank_crisis], axis=1)[:, -k:].mean(axis=1)
        return near_crisis - near_none

    def crisis_scores(self, probs: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """The stacked crisis score of each row, in [0, 1]."""
        p = np.clip(probs[:, self.classes.index(Danger.CRISIS.value)], 1e-6, 1 - 1e-6)
        a, b, c = self.stack
        z = a * np.log(p / (1 - p)) + b * self.margin(vectors) + c
        return 1.0 / (1.0 + np.exp(-z))

    def scores(self, texts: list[str], vectors: np.ndarray) -> tuple[float, float]:
        """(crisis score, emergency probability) of an utterance from its clauses (row 0 the
        whole utterance): the whole's, or a clause's less the clause penalty if higher."""
        probs = self.probabilities(vectors, texts)
        crisis = self.crisis_scores(probs, vectors)
        emergency = probs[:, self.classes.index(Danger.EMERGENCY.value)]
        return (
            clause_max(crisis, self.clause_penalty),
            clause_max(emergency, self.clause_penalty),
        )

    def judge(self, texts: list[str], vectors: np.ndarray, lang: str) -> Danger | None:
        """Crisis if the crisis score reaches the language's threshold, else emergency if the
        emergency probability does, else concern if the crisis score reaches the lower concern
        threshold (when the file has one); None below all."""
        crisis, emergency = self.scores(texts, vectors)
        if crisis >= self.threshold["crisis"][lang]:
            return Danger.CRISIS
        if emergency >= self.threshold["emergency"][lang]:
            return Danger.EMERGENCY
        if crisis >= self.threshold.get("concern", {}).get(lang, 2.0):
            return Danger.CONCERN
        return None


def clause_max(values: np.ndarray, penalty: float) -> float:
    """The whole utterance's value (first), or its best clause's less the penalty."""
    best = float(values[0])
    return max(best, float(values[1:].max()) - penalty) if len(values) > 1 else best


CLASSIFIER_FILE = "crisis.npz"


def classifier_path() -> Path:
    """models/safety/crisis.npz (under $EARPIECE_MODELS_DIR when set)."""
    return paths.models_dir() / "safety" / CLASSIFIER_FILE


@cache
def classifier() -> Classifier:
    """The committed classifier, read once; ClassifierError says what is wrong and how to fix."""
    return load_classifier(classifier_path())


def load_classifier(path: Path) -> Classifier:
    """A classifier file read and checked (training reads the one it has just written)."""
    fix = "rebuild it with `python -m earpiece.training.safety` (or `git checkout models/safety`)"
    try:
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            model = Classifier(
                classes=tuple(meta["classes"]),
                weights=np.asarray(data["weights"], np.float32),
                bias=np.asarray(data["bias"], np.float32),
                spec=FeatureSpec.from_dict(meta["ngrams"]),
                ngram_scale=float(meta["ngram_scale"]),
                threshold={
                    k: {lg: float(t) for lg, t in v.items()} for k, v in meta["threshold"].items()
                },
                bank=np.asarray(data["bank"], np.float32),
                bank_crisis=np.asarray(data["bank_crisis"], bool),
                neighbours=int(meta["neighbours"]),
                stack=tuple(float(v) for v in meta["stack"]),  # type: ignore[arg-type]
                clause_penalty=float(meta["clause_penalty"]),
            )
        width = (len(model.classes), DIM + model.spec.dim)
        if model.weights.shape != width or model.bias.shape != (len(model.classes),):
            raise ValueError(f"weights of shape {model.weights.shape}, expected {width}")
        if model.bank.shape[1:] != (DIM,) or model.bank_crisis.shape != model.bank.shape[:1]:
            raise ValueError(f"a statement bank of shape {model.bank.shape}")
        if len(model.stack) != 3 or not 0 < model.neighbours <= min(
            int(model.bank_crisis.sum()), int((~model.bank_crisis).sum())
        ):
            raise ValueError("stack or neighbours out of range")
        for label in (Danger.CRISIS, Danger.EMERGENCY):
            model.classes.index(label.value)
            _ = model.threshold[label.value]["en"], model.threshold[label.value]["ko"]
        for lang, t in model.threshold.get(Danger.CONCERN.value, {}).items():
            if not 0 < t <= model.threshold[Danger.CRISIS.value][lang]:
                raise ValueError(f"concern threshold {lang} {t} not in (0, crisis threshold]")
    except FileNotFoundError:
        raise ClassifierError(f"{path}: the crisis classifier is missing; {fix}") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClassifierError(
            f"{path}: the crisis classifier is unreadable ({exc}); {fix}"
        ) from None
    return model


def model_danger(text: str) -> Danger | None:
    """The verdict by meaning on one utterance, clause by clause (the classifier); None when
    the encoder or the classifier is unavailable (the rules still answer; `earpiece doctor`
    reports what is missing)."""
    from earpiece.nlu.encoder import EncoderError, embed

    parts = clauses(text[:500])
    try:
        vectors = embed(parts)
    except EncoderError as exc:
        _warn_once(str(exc))
        return None
    return by_meaning(parts, vectors)


def crisis_score(text: str) -> float | None:
    """The classifier's crisis score on an utterance, in [0, 1] (the whole's, or its best
    clause's less the penalty); None when the encoder or the classifier is unavailable."""
    from earpiece.nlu.encoder import EncoderError, embed

    parts = clauses(text[:500])
    try:
        vectors = embed(parts)
        model = classifier()
    except (EncoderError, ClassifierError):
        return None  # model_danger warns; the rules still answer
    crisis = model.crisis_scores(model.probabilities(vectors, parts), vectors)
    return clause_max(crisis, model.clause_penalty)


def alarming_part(text: str) -> str | None:
    """The part of a longer utterance that, on its own, scores as a crisis though the whole
    line (a request around it) stayed below: 'I can't keep doing this' in 'set an alarm for 6,
    I can't keep doing this'; None when there is none. A command in the concern band with
    such a part is done without it, then the check-in is asked (policy)."""
    from earpiece.nlu.encoder import EncoderError, embed

    parts = clauses(without_figures(text)[:500])
    if len(parts) < 2:
        return None
    try:
        vectors = embed(parts)
        model = classifier()
    except (EncoderError, ClassifierError):
        return None  # model_danger said so already; the rules still answer
    lang = written_in(parts[0])
    crisis = model.crisis_scores(model.probabilities(vectors, parts), vectors)
    best = 1 + int(crisis[1:].argmax())
    return parts[best] if crisis[best] >= model.threshold[Danger.CRISIS.value][lang] else None


def by_meaning(texts: str | list[str], vectors: np.ndarray) -> Danger | None:
    """The classifier's verdict on an utterance's clauses and their embeddings, the whole
    utterance first (one text and one vector also do)."""
    texts = [texts] if isinstance(texts, str) else texts
    vectors = vectors.reshape(len(texts), -1)
    lang = written_in(texts[0])
    try:
        model = classifier()
    except ClassifierError as exc:
        _warn_once(str(exc))
        return None
    return model.judge(texts, vectors, lang)


@cache
def _warn_once(message: str) -> None:
    logging.getLogger(__name__).warning("safety classifier off: %s", message)
