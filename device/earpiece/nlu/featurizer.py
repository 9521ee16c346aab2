"""Turns an utterance into hashed n-gram features that survive speech-recognition errors.

Hangul syllables are decomposed into jamo (Unicode NFD), so that a recogniser's
near miss (기억해 -> 기어캐) still shares most of its character n-grams with
the word it missed. Character n-grams are taken both with and without spaces,
because a small recogniser's word spacing is unreliable (몇 시야 / 몇시야).
"""

from __future__ import annotations

import math
import unicodedata
import zlib
from collections import Counter
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class FeatureSpec:
    """How text becomes a vector; stored in the model manifest so training and inference agree."""

    dim: int = 16384
    """Number of hash buckets (the model's input width)."""
    char_ngrams: tuple[int, ...] = (1, 2, 3, 4)
    """Lengths of character (jamo) n-grams, taken with word boundaries kept."""
    flat_ngrams: tuple[int, ...] = (3, 4, 5)
    """Lengths of character n-grams taken with the spaces removed."""
    syllable_ngrams: tuple[int, ...] = ()
    """Lengths of n-grams of whole characters (Hangul syllables), spaces removed."""
    word_ngrams: tuple[int, ...] = (1, 2)
    """Lengths of word n-grams."""
    max_chars: int = 1000
    """Characters read from the start of an utterance; the rest is ignored."""

    def to_dict(self) -> dict[str, object]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FeatureSpec:
        fields = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return cls(**fields)  # type: ignore[arg-type]


def normalize(text: str, max_chars: int = 1000) -> str:
    """Lowercase letters and digits separated by single spaces; everything else dropped.

    >>> normalize("  Hey, Samantha!!  몇 시야?\\x07 ")
    'hey samantha 몇 시야'
    """
    text = unicodedata.normalize("NFKC", text[: max_chars * 2])[:max_chars].lower()
    kept = [ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text]
    return " ".join("".join(kept).split())


def _grams(seq: str | list[str], sizes: tuple[int, ...]) -> list[str]:
    out: list[str] = []
    for n in sizes:
        if isinstance(seq, str):
            out.extend(seq[i : i + n] for i in range(len(seq) - n + 1))
        else:
            out.extend(" ".join(seq[i : i + n]) for i in range(len(seq) - n + 1))
    return out


def _bucket(kind: str, gram: str, dim: int) -> int:
    return zlib.crc32(f"{kind}\x1f{gram}".encode()) % dim


def sparse_features(text: str, spec: FeatureSpec) -> dict[int, float]:
    """Bucket -> weight for one utterance: sublinear counts, L2-normalised."""
    norm = normalize(text, spec.max_chars)
    if not norm:
        return {}
    jamo = unicodedata.normalize("NFD", norm)
    counts: Counter[int] = Counter()
    for kind, grams in (
        ("c", _grams(f" {jamo} ".replace(" ", "_"), spec.char_ngrams)),
        ("f", _grams(jamo.replace(" ", ""), spec.flat_ngrams)),
        ("s", _grams(norm.replace(" ", ""), spec.syllable_ngrams)),
        ("w", _grams(["<s>", *norm.split(), "</s>"], spec.word_ngrams)),
    ):
        counts.update(_bucket(kind, g, spec.dim) for g in grams)
    weights = {b: 1.0 + math.log(c) for b, c in counts.items()}
    scale = 1.0 / math.sqrt(sum(w * w for w in weights.values()))
    return {b: w * scale for b, w in weights.items()}


def dense_matrix(texts: list[str], spec: FeatureSpec) -> np.ndarray:
    """A float32 [len(texts), spec.dim] matrix, the model's input."""
    out = np.zeros((len(texts), spec.dim), dtype=np.float32)
    for row, text in enumerate(texts):
        feats = sparse_features(text, spec)
        if feats:
            out[row, list(feats)] = list(feats.values())
    return out
