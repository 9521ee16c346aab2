"""Sentence embeddings of training text, computed once per process (never cached in git).

Set EARPIECE_EMBED_CACHE to a file path (outside the checkout) to keep the vectors between
runs while experimenting; a model built that way may differ from `earpiece train`'s in the
last bits of its vectors (see CHUNK), so never commit one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import numpy as np

from earpiece.nlu.encoder import DIM, shared

CHUNK = 256
"""Texts per encoder call. A text's vector depends on its batch in the last bits (~1e-7),
enough to move a trained model: so a list of training texts is always embedded the same
way (its unique texts sorted, in chunks of CHUNK, no earlier vector reused), whatever the
process embedded before (the tests load the companion, whose encoder keeps recent vectors)."""
CACHE_ENV = "EARPIECE_EMBED_CACHE"

_memo: dict[str, np.ndarray] = {}
"""Per text, for EARPIECE_EMBED_CACHE only (experiments; not bit-reproducible)."""
_lists: dict[str, tuple[list[str], np.ndarray]] = {}
"""Per list of texts (its sha256): the unique texts in order and their vectors."""


def _load_cache(path: Path) -> None:
    if path.is_file() and not _memo:
        with np.load(path, allow_pickle=False) as data:
            _memo.update(zip(data["texts"].tolist(), data["vectors"], strict=True))


def _save_cache(path: Path) -> None:
    texts = sorted(_memo)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, texts=np.array(texts), vectors=np.stack([_memo[t] for t in texts]))
    os.replace(tmp, path)


def one_thread():
    """BLAS limited to one thread in this block: while embedding (threads fight on a busy
    machine) and while building, so a build does not depend on what the process set BLAS to
    (NluModel.load holds it to one thread for good). No build here came out otherwise with
    two threads; BLAS may split larger products by thread count on other machines."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)


def embed_all(texts: list[str], say=lambda _: None) -> np.ndarray:
    """float32 [len(texts), DIM]: the shared encoder's embeddings, each text embedded once,
    the same vectors for the same list in any process (see CHUNK).

    Repeated builds in one process (the train tests build several times) reuse the vectors.
    """
    cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
    if cache:
        return _embed_cached(texts, cache, say)
    # by length, so that a chunk's short lines are not padded to a long comment's length
    unique = sorted(set(texts), key=lambda t: (len(t), t))
    key = hashlib.sha256("\0".join(unique).encode()).hexdigest()
    if key not in _lists:
        say(f"embedding {len(unique)} utterances with the sentence encoder")
        encoder = shared()
        with one_thread():
            parts = [encoder.fresh(unique[i : i + CHUNK]) for i in range(0, len(unique), CHUNK)]
        _lists[key] = (unique, np.concatenate(parts) if parts else np.zeros((0, DIM), np.float32))
    order, vectors = _lists[key]
    index = {text: row for row, text in enumerate(order)}
    return vectors[[index[t] for t in texts]]


def _embed_cached(texts: list[str], cache: Path, say) -> np.ndarray:
    """Per-text vectors kept in a file between runs (experiments only)."""
    _load_cache(cache)
    todo = sorted({t for t in texts if t not in _memo}, key=lambda t: (len(t), t))
    if todo:
        say(f"embedding {len(todo)} utterances with the sentence encoder")
        encoder = shared()
        with one_thread():
            for start in range(0, len(todo), CHUNK):
                chunk = todo[start : start + CHUNK]
                for text, vector in zip(chunk, encoder.fresh(chunk), strict=True):
                    _memo[text] = vector
        _save_cache(cache)
    out = np.zeros((len(texts), DIM), np.float32)
    for row, text in enumerate(texts):
        out[row] = _memo[text]
    return out
