"""Featurizer: stable and tolerant of recognition errors and garbage."""

from __future__ import annotations

import random

import numpy as np
import pytest

from earpiece.nlu.featurizer import FeatureSpec, dense_matrix, normalize, sparse_features
from earpiece.training.noise import corrupt

SPEC = FeatureSpec()


def cosine(a: str, b: str) -> float:
    fa, fb = sparse_features(a, SPEC), sparse_features(b, SPEC)
    return sum(w * fb.get(k, 0.0) for k, w in fa.items())


def test_normalize_keeps_letters_and_digits_only():
    assert normalize("  Hey, Samantha!!  몇 시야?\x07 ") == "hey samantha 몇 시야"
    assert normalize("ＡＢＣ１２３") == "abc123"  # full-width folded by NFKC


def test_a_near_miss_stays_closer_to_its_word_than_an_unrelated_phrase():
    assert cosine("기억해 줘", "기어캐 줘") > cosine("기억해 줘", "소리 줄여 줘")
    assert cosine("몇 시야", "몇시야") > 0.6  # spacing errors barely matter
    assert cosine("remind me", "remain me") > cosine("remind me", "louder please")


def test_features_are_deterministic_and_unit_length():
    first = sparse_features("내일 아침 일곱 시에 깨워줘", SPEC)
    assert first == sparse_features("내일 아침 일곱 시에 깨워줘", SPEC)
    assert sum(w * w for w in first.values()) == pytest.approx(1.0)
    assert all(0 <= k < SPEC.dim for k in first)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01\x1b[31m", "🙂🙂🙂", "가" * 100_000, "a\u0301\u200b\ufeff", "\ud800x"],
)
def test_garbage_gives_a_finite_vector(text: str):
    row = dense_matrix([text], SPEC)
    assert row.shape == (1, SPEC.dim)
    assert np.isfinite(row).all()


def test_spec_round_trips_through_the_manifest_form():
    assert FeatureSpec.from_dict(SPEC.to_dict()) == SPEC


def test_noise_is_seeded_and_rate_zero_is_identity():
    text = "remind me to call mom at five pm"
    assert corrupt(text, 0.0, random.Random(3)) == text
    assert corrupt(text, 0.2, random.Random(3)) == corrupt(text, 0.2, random.Random(3))
    noisy = [corrupt("내일 아침 일곱 시에 깨워줘", 0.2, random.Random(s)) for s in range(20)]
    assert any(n != "내일 아침 일곱 시에 깨워줘" for n in noisy)
    assert all("\ufffd" not in n for n in noisy)
