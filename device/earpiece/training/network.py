"""The NLU network, trained with NumPy: hashed features -> shared hidden layer -> two heads.

Small enough to train in seconds on a Pi and to write out as a plain ONNX graph,
so the training needs no deep-learning framework and is bit-for-bit repeatable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy import sparse


@dataclass(frozen=True)
class TrainSpec:
    """Hyperparameters; stored in the manifest."""

    hidden: int = 96
    """Width of the shared hidden layer."""
    epochs: int = 12
    batch: int = 64
    learning_rate: float = 2e-3
    dropout: float = 0.4
    """Fraction of hidden units dropped while training."""
    weight_decay: float = 1e-6
    emotion_weight: float = 1.0
    """Weight of the emotion loss against the intent loss."""
    seed: int = 20261127

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Weights:
    """The trained parameters, float32."""

    w1: np.ndarray
    b1: np.ndarray
    wi: np.ndarray
    bi: np.ndarray
    we: np.ndarray
    be: np.ndarray


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _init(rng: np.random.Generator, dim: int, spec: TrainSpec, n_i: int, n_e: int) -> Weights:
    def glorot(rows: int, cols: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (rows + cols))
        return rng.uniform(-limit, limit, (rows, cols)).astype(np.float32)

    h = spec.hidden
    zeros = np.zeros
    return Weights(
        glorot(dim, h), zeros(h, np.float32),
        glorot(h, n_i), zeros(n_i, np.float32),
        glorot(h, n_e), zeros(n_e, np.float32),
    )  # fmt: skip


def _class_weights(y: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(y, minlength=n).astype(np.float32)
    weights = np.where(counts > 0, counts.sum() / (n * np.maximum(counts, 1)), 0.0)
    return np.sqrt(weights).astype(np.float32)  # soften: rare classes count more, not wildly


def train(
    x: sparse.csr_matrix,
    y_intent: np.ndarray,
    y_emotion: np.ndarray,
    n_intents: int,
    n_emotions: int,
    spec: TrainSpec,
) -> Weights:
    """Adam on the summed cross-entropy of both heads, in a fixed, seeded order."""
    rng = np.random.default_rng(spec.seed)
    w = _init(rng, x.shape[1], spec, n_intents, n_emotions)
    names = ("w1", "b1", "wi", "bi", "we", "be")
    m = {k: np.zeros_like(getattr(w, k)) for k in names}
    v = {k: np.zeros_like(getattr(w, k)) for k in names}
    cw_i = _class_weights(y_intent, n_intents)
    cw_e = _class_weights(y_emotion, n_emotions)
    step = 0
    for _ in range(spec.epochs):
        order = rng.permutation(x.shape[0])
        for start in range(0, len(order), spec.batch):
            idx = order[start : start + spec.batch]
            xb = x[idx]
            rows = np.unique(xb.indices)  # only these rows of w1 see a gradient (lazy Adam)
            grads = _gradients(w, xb, rows, y_intent[idx], y_emotion[idx], cw_i, cw_e, spec, rng)
            step += 1
            lr = spec.learning_rate * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
            for k in names:
                sel = rows if k == "w1" else slice(None)
                _adam(getattr(w, k), m[k], v[k], sel, grads[k], lr, spec.weight_decay)
    return w


def _adam(
    param: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    sel: np.ndarray | slice,
    grad: np.ndarray,
    lr: float,
    decay: float,
) -> None:
    """One Adam step on the selected rows, in place (bias correction folded into lr)."""
    p = param[sel]
    g = grad + decay * p
    m_rows = m[sel] * 0.9 + 0.1 * g
    v_rows = v[sel] * 0.999 + 0.001 * (g * g)
    m[sel], v[sel] = m_rows, v_rows
    param[sel] = p - (lr * m_rows / (np.sqrt(v_rows) + 1e-8)).astype(np.float32)


def _gradients(
    w: Weights,
    xb: sparse.csr_matrix,
    rows: np.ndarray,
    yi: np.ndarray,
    ye: np.ndarray,
    cw_i: np.ndarray,
    cw_e: np.ndarray,
    spec: TrainSpec,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = xb.shape[0]
    pre = np.asarray(xb @ w.w1) + w.b1
    keep = (rng.random(pre.shape) >= spec.dropout).astype(np.float32) / (1.0 - spec.dropout)
    hidden = np.maximum(pre, 0.0) * keep
    grads: dict[str, np.ndarray] = {}
    d_hidden = np.zeros_like(hidden)
    for key, wk, bk, y, cw, scale in (
        ("i", w.wi, w.bi, yi, cw_i, 1.0),
        ("e", w.we, w.be, ye, cw_e, spec.emotion_weight),
    ):
        probs = _softmax(hidden @ wk + bk)
        d_logits = probs
        d_logits[np.arange(n), y] -= 1.0
        d_logits *= (scale * cw[y] / n)[:, None]
        grads[f"w{key}"] = hidden.T @ d_logits
        grads[f"b{key}"] = d_logits.sum(axis=0)
        d_hidden += d_logits @ wk.T
    d_pre = d_hidden * keep * (pre > 0)
    grads["w1"] = np.asarray(xb[:, rows].T @ d_pre, dtype=np.float32)
    grads["b1"] = d_pre.sum(axis=0)
    return grads
