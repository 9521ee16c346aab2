"""How close lines come to other lines: the hashed n-gram cosine that the data filter and the
NLU benchmark both take as a near repeat."""

from __future__ import annotations

import numpy as np

from earpiece.nlu.featurizer import FeatureSpec, dense_matrix

NEAR = 0.7
"""Hashed n-gram cosine at which a line counts as nearly repeating another."""


def closest(texts: list[str], others: list[str], spec: FeatureSpec) -> np.ndarray:
    """Each text's highest cosine with any of `others` (0 when there are none)."""
    if not texts or not others:
        return np.zeros(len(texts))
    return (dense_matrix(texts, spec) @ dense_matrix(others, spec).T).max(axis=1)
