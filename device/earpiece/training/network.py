"""The NLU network, trained with NumPy: hashed n-grams (+ a sentence embedding) -> a shared
hidden layer -> three heads (intent, emotion, speech act), each head also reading the
embedding directly (the skip path). Several such networks trained from different seeds
(`TrainSpec.members`) are combined into one wider network whose logits are their mean.

Small enough to train in a minute and to write out as a plain ONNX graph, so the training
needs no deep-learning framework and is bit-for-bit repeatable. A line may leave a head
unlabelled (label -1): that head's loss skips it, so public sets labelled for one thing only
(emotions, speech acts) teach only that.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
from scipy import sparse

HEADS = ("i", "e", "a")
"""Intent, emotion, act."""


@dataclass(frozen=True)
class TrainSpec:
    """Hyperparameters; stored in the manifest."""

    hidden: int = 112
    """Width of the shared hidden layer."""
    epochs: int = 12
    batch: int = 64
    learning_rate: float = 2e-3
    dropout: float = 0.4
    """Fraction of hidden units dropped while training."""
    input_dropout: float = 0.25
    """Fraction of a line's n-gram features dropped while training (per line and batch), so
    no single word or syllable decides alone: the topic words of a request do not make a
    feeling about that topic a request."""
    weight_decay: float = 1e-6
    emotion_weight: float = 1.0
    """Weight of the emotion loss against the intent loss."""
    act_weight: float = 0.5
    """Weight of the speech-act loss against the intent loss."""
    skip: bool = True
    """Also a direct linear path from the embedding to each head's logits, beside the hidden
    layer (an ensemble of the embedding's linear reading and the shared n-gram+embedding
    layer)."""
    label_smoothing: float = 0.0
    """Share of the intent target spread evenly over all intents (0: plain one-hot)."""
    members: int = 2
    """Networks trained from different seeds (initial weights, order, dropout) on the same
    data; the model's logits are their mean (`combine`: one wider network, the same graph)."""
    seed: int = 20261127

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Weights:
    """The trained parameters, float32; `w2` (embedding -> hidden) is None without embeddings."""

    w1: np.ndarray
    w2: np.ndarray | None
    b1: np.ndarray
    wi: np.ndarray
    bi: np.ndarray
    we: np.ndarray
    be: np.ndarray
    wa: np.ndarray
    ba: np.ndarray
    si: np.ndarray | None = None
    """Embedding -> intent logits (the skip path), None without it; `se`, `sa` likewise."""
    se: np.ndarray | None = None
    sa: np.ndarray | None = None


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _glorot(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    limit = np.sqrt(6.0 / (rows + cols))
    return rng.uniform(-limit, limit, (rows, cols)).astype(np.float32)


def _init(rng, dim: int, emb_dim: int, spec: TrainSpec, sizes: tuple[int, int, int]) -> Weights:
    h = spec.hidden
    zeros = np.zeros
    n_i, n_e, n_a = sizes
    skip = spec.skip and emb_dim
    paths = [zeros((emb_dim, n), np.float32) if skip else None for n in sizes]
    return Weights(
        _glorot(rng, dim, h),
        _glorot(rng, emb_dim, h) if emb_dim else None,
        zeros(h, np.float32),
        _glorot(rng, h, n_i),
        zeros(n_i, np.float32),
        _glorot(rng, h, n_e),
        zeros(n_e, np.float32),
        _glorot(rng, h, n_a),
        zeros(n_a, np.float32),
        *paths,
    )


def _class_weights(y: np.ndarray, n: int) -> np.ndarray:
    """Per-class loss weights (rare classes count more, softened); index n is 'unlabelled' = 0."""
    counts = np.bincount(y[y >= 0], minlength=n).astype(np.float32)
    weights = np.where(counts > 0, counts.sum() / (n * np.maximum(counts, 1)), 0.0)
    return np.append(np.sqrt(weights), 0.0).astype(np.float32)


def hidden_layer(w: Weights, x: sparse.csr_matrix, emb: np.ndarray | None) -> np.ndarray:
    """The hidden activations (no dropout), as the ONNX graph computes them."""
    pre = np.asarray(x @ w.w1) + w.b1
    if w.w2 is not None and emb is not None:
        pre = pre + emb @ w.w2
    return np.maximum(pre, 0.0)


def logits(w: Weights, x: sparse.csr_matrix, emb: np.ndarray | None) -> dict[str, np.ndarray]:
    """Each head's logits for a batch (no dropout)."""
    hid = hidden_layer(w, x, emb)
    out = {k: hid @ getattr(w, f"w{k}") + getattr(w, f"b{k}") for k in HEADS}
    for k in HEADS:
        if getattr(w, f"s{k}") is not None and emb is not None:
            out[k] = out[k] + emb @ getattr(w, f"s{k}")
    return out


def train_members(
    x: sparse.csr_matrix,
    emb: np.ndarray | None,
    labels: dict[str, np.ndarray],
    sizes: tuple[int, int, int],
    spec: TrainSpec,
) -> Weights:
    """`spec.members` networks (member k seeded `spec.seed + 1000 k`) combined into one."""
    return combine(
        [
            train(x, emb, labels, sizes, replace(spec, seed=spec.seed + 1000 * k))
            for k in range(spec.members)
        ]
    )


def combine(members: list[Weights]) -> Weights:
    """One network whose logits are the mean of the members' logits, exactly: the hidden
    layers side by side, each head's weights stacked and divided by the number of members,
    biases and skip paths averaged (both enter the logits linearly)."""
    if len(members) == 1:
        return members[0]
    k = len(members)

    def side_by_side(name: str, axis: int) -> np.ndarray:
        return np.concatenate([getattr(w, name) for w in members], axis=axis)

    def mean(name: str) -> np.ndarray:
        return np.asarray(np.mean([getattr(w, name) for w in members], axis=0, dtype=np.float32))

    def mean_of_skip(name: str) -> np.ndarray | None:
        return None if getattr(members[0], name) is None else mean(name)

    heads = [x for h in HEADS for x in (side_by_side(f"w{h}", 0) / k, mean(f"b{h}"))]
    return Weights(
        side_by_side("w1", 1),
        None if members[0].w2 is None else side_by_side("w2", 1),
        side_by_side("b1", 0),
        *heads,
        *(mean_of_skip(f"s{h}") for h in HEADS),
    )


def train(
    x: sparse.csr_matrix,
    emb: np.ndarray | None,
    labels: dict[str, np.ndarray],
    sizes: tuple[int, int, int],
    spec: TrainSpec,
) -> Weights:
    """Adam on the weighted sum of the heads' cross-entropies, in a fixed, seeded order.

    `labels` maps 'i', 'e', 'a' to int arrays (-1 = unlabelled), `sizes` their label counts.
    """
    rng = np.random.default_rng(spec.seed)
    w = _init(rng, x.shape[1], 0 if emb is None else emb.shape[1], spec, sizes)
    names = [
        k
        for k in ("w1", "w2", "b1", "wi", "bi", "we", "be", "wa", "ba", "si", "se", "sa")
        if getattr(w, k) is not None
    ]
    m = {k: np.zeros_like(getattr(w, k)) for k in names}
    v = {k: np.zeros_like(getattr(w, k)) for k in names}
    cw = {k: _class_weights(labels[k], n) for k, n in zip(HEADS, sizes, strict=True)}
    scale = {"i": 1.0, "e": spec.emotion_weight, "a": spec.act_weight}
    step = 0
    for _ in range(spec.epochs):
        order = rng.permutation(x.shape[0])
        for start in range(0, len(order), spec.batch):
            idx = order[start : start + spec.batch]
            xb = x[idx]
            rows = np.unique(xb.indices)  # only these rows of w1 see a gradient (lazy Adam)
            eb = None if emb is None else emb[idx]
            yb = {k: labels[k][idx] for k in HEADS}
            grads = _gradients(w, xb, eb, rows, yb, cw, scale, spec, rng)
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
    eb: np.ndarray | None,
    rows: np.ndarray,
    yb: dict[str, np.ndarray],
    cw: dict[str, np.ndarray],
    scale: dict[str, float],
    spec: TrainSpec,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    n = xb.shape[0]
    if spec.input_dropout:
        xb = xb.copy()
        kept = rng.random(xb.data.shape) >= spec.input_dropout
        xb.data = (xb.data * kept / (1.0 - spec.input_dropout)).astype(xb.data.dtype)
    pre = np.asarray(xb @ w.w1) + w.b1
    if w.w2 is not None:
        pre = pre + eb @ w.w2
    keep = (rng.random(pre.shape) >= spec.dropout).astype(np.float32) / (1.0 - spec.dropout)
    hidden = np.maximum(pre, 0.0) * keep
    grads: dict[str, np.ndarray] = {}
    d_hidden = np.zeros_like(hidden)
    for key in HEADS:
        wk, bk, y = getattr(w, f"w{key}"), getattr(w, f"b{key}"), yb[key]
        raw = hidden @ wk + bk
        sk = getattr(w, f"s{key}")
        if sk is not None:
            raw = raw + eb @ sk
        probs = _softmax(raw)
        labelled = y >= 0
        smooth = spec.label_smoothing if key == "i" else 0.0
        d_logits = (probs - smooth / probs.shape[1]) * labelled[:, None]
        d_logits[np.arange(n)[labelled], y[labelled]] -= 1.0 - smooth
        d_logits *= (scale[key] * cw[key][y] / n)[:, None]  # cw[-1] = 0: unlabelled rows
        grads[f"w{key}"] = hidden.T @ d_logits
        grads[f"b{key}"] = d_logits.sum(axis=0)
        if sk is not None:
            assert eb is not None, "a skip path is trained only with embeddings"
            grads[f"s{key}"] = eb.T @ d_logits
        d_hidden += d_logits @ wk.T
    d_pre = d_hidden * keep * (pre > 0)
    grads["w1"] = np.asarray(xb[:, rows].T @ d_pre, dtype=np.float32)
    if w.w2 is not None:
        assert eb is not None, "w2 is trained only with embeddings"
        grads["w2"] = eb.T @ d_pre
    grads["b1"] = d_pre.sum(axis=0)
    return grads
