"""Sentence embeddings of training text, computed once per process (never cached in git).

Set EARPIECE_EMBED_CACHE to a file path (outside the checkout) to keep the vectors between
runs while experimenting; the encoder is deterministic, so a cached vector is the vector.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import numpy as np

from earpiece.nlu.encoder import DIM, shared

CHUNK = 256
"""Texts per encoder call; the encoder's output does not depend on how texts are batched."""
CACHE_ENV = "EARPIECE_EMBED_CACHE"

_memo: dict[str, np.ndarray] = {}


def _load_cache(path: Path) -> None:
    if path.is_file() and not _memo:
        with np.load(path, allow_pickle=False) as data:
            _memo.update(zip(data["texts"].tolist(), data["vectors"], strict=True))


def _save_cache(path: Path) -> None:
    texts = sorted(_memo)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, texts=np.array(texts), vectors=np.stack([_memo[t] for t in texts]))
    os.replace(tmp, path)


def _one_thread():
    """BLAS limited to one thread while embedding (threads fight on a busy machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)


def embed_all(texts: list[str], say=lambda _: None) -> np.ndarray:
    """float32 [len(texts), DIM]: the shared encoder's embeddings, each text embedded once.

    Repeated builds in one process (the train tests build three times) reuse the vectors.
    """
    cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
    if cache:
        _load_cache(cache)
    # by length, so that a chunk's short lines are not padded to a long comment's length
    todo = sorted({t for t in texts if t not in _memo}, key=lambda t: (len(t), t))
    if todo:
        say(f"embedding {len(todo)} utterances with the sentence encoder")
        encoder = shared()
        with _one_thread():
            for start in range(0, len(todo), CHUNK):
                chunk = todo[start : start + CHUNK]
                for text, vector in zip(chunk, encoder.embed(chunk), strict=True):
                    _memo[text] = vector
        if cache:
            _save_cache(cache)
    out = np.zeros((len(texts), DIM), np.float32)
    for row, text in enumerate(texts):
        out[row] = _memo[text]
    return out
