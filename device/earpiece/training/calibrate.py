"""Calibrates the intent head on held-out lines: a temperature, then the `unknown` threshold.

The temperature minimises the negative log-likelihood (temperature scaling); the threshold is
the lowest one whose mean of in-scope accuracy and out-of-scope rejection, both read from the
held-out lines, is within TOLERANCE of the best, so neither is set by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TEMPERATURES = np.round(np.arange(0.25, 5.0001, 0.05), 2)
THRESHOLDS = np.round(np.arange(0.0, 0.99001, 0.01), 2)
TOLERANCE = 0.01
"""The curve is flat near its top, and ~1,300 held-out lines cannot tell a point apart (one
standard error is about a point): among thresholds within one standard error of the best,
the lowest is taken, so that a retrain does not swing the threshold (0.36 to 0.59 was seen) and
reject more of the in-scope requests for nothing the data can show."""


@dataclass(frozen=True)
class Calibration:
    """The chosen temperature and threshold, with the curve they were chosen from."""

    temperature: float
    threshold: float
    in_scope_accuracy: float
    oos_rejection: float
    curve: list[dict[str, float]]
    """(threshold, in-scope accuracy, out-of-scope rejection) every 0.05."""

    def to_dict(self) -> dict[str, object]:
        return {
            "temperature": self.temperature,
            "threshold": self.threshold,
            "objective": "lowest threshold within 0.01 of max mean(in-scope accuracy, "
            "out-of-scope rejection)",
            "in_scope_accuracy": self.in_scope_accuracy,
            "oos_rejection": self.oos_rejection,
            "curve": self.curve,
        }


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def temperature(logits: np.ndarray, gold: np.ndarray) -> float:
    """The temperature (from a fixed grid) with the lowest mean negative log-likelihood."""
    losses = []
    for t in TEMPERATURES:
        p = _softmax(logits / t)
        losses.append(-np.mean(np.log(p[np.arange(len(gold)), gold] + 1e-12)))
    return float(TEMPERATURES[int(np.argmin(losses))])


def tradeoff(probs: np.ndarray, gold: np.ndarray, unknown: int, t: float) -> tuple[float, float]:
    """(in-scope accuracy, out-of-scope rejection) at threshold t."""
    best, conf = probs.argmax(axis=1), probs.max(axis=1)
    pred = np.where(conf >= t, best, unknown)
    inside = gold != unknown
    acc = float(np.mean(pred[inside] == gold[inside])) if inside.any() else 0.0
    rej = float(np.mean(pred[~inside] == unknown)) if (~inside).any() else 0.0
    return acc, rej


def choose(scores: list[tuple[float, float]]) -> int:
    """Index of the lowest threshold whose mean(in-scope, rejection) is within TOLERANCE of
    the best one's."""
    means = [round((a + r) / 2, 6) for a, r in scores]
    return min(i for i, m in enumerate(means) if m >= max(means) - TOLERANCE)


def calibrate(logits: np.ndarray, gold: np.ndarray, unknown: int) -> Calibration:
    """Temperature, then the threshold that best balances both sides, on held-out lines."""
    temp = temperature(logits, gold)
    probs = _softmax(logits / temp)
    scores = [tradeoff(probs, gold, unknown, float(t)) for t in THRESHOLDS]
    pick = choose(scores)
    curve = [
        {"threshold": float(t), "in_scope_accuracy": round(a, 4), "oos_rejection": round(r, 4)}
        for t, (a, r) in zip(THRESHOLDS, scores, strict=True)
        if round(float(t) * 100) % 5 == 0
    ]
    acc, rej = scores[pick]
    return Calibration(temp, float(THRESHOLDS[pick]), round(acc, 4), round(rej, 4), curve)
