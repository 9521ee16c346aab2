"""The NLU network's ensemble is one wider network whose logits are the members' mean."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import sparse

from earpiece.training.network import TrainSpec, Weights, combine, logits, train_members


def _random_weights(rng: np.random.Generator, skip: bool) -> Weights:
    def r(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape).astype(np.float32)

    paths = (r(6, 4), r(6, 3), r(6, 2)) if skip else (None, None, None)
    return Weights(r(20, 5), r(6, 5), r(5), r(5, 4), r(4), r(5, 3), r(3), r(5, 2), r(2), *paths)


@pytest.mark.parametrize("skip", [True, False])
def test_combined_logits_are_the_mean_of_the_members_logits(skip: bool):
    rng = np.random.default_rng(3)
    members = [_random_weights(rng, skip) for _ in range(3)]
    x = sparse.random(7, 20, density=0.3, format="csr", dtype=np.float32, random_state=4)
    emb = rng.standard_normal((7, 6)).astype(np.float32)
    got = logits(combine(members), x, emb)
    for head in "iea":
        want = np.mean([logits(w, x, emb)[head] for w in members], axis=0)
        assert got[head].shape == want.shape
        assert np.allclose(got[head], want, atol=1e-4)
    assert combine(members).w1.shape == (20, 15) and combine(members).w1.dtype == np.float32


def test_members_differ_and_one_member_is_the_plain_network():
    rng = np.random.default_rng(5)
    x = sparse.random(40, 30, density=0.2, format="csr", dtype=np.float32, random_state=6)
    emb = rng.standard_normal((40, 8)).astype(np.float32)
    labels = {"i": rng.integers(0, 4, 40), "e": rng.integers(-1, 3, 40), "a": np.full(40, -1)}
    spec = TrainSpec(hidden=6, epochs=2, batch=8, members=1)
    one = train_members(x, emb, labels, (4, 3, 3), spec)
    two = train_members(x, emb, labels, (4, 3, 3), replace(spec, members=2))
    assert one.w1.shape == (30, 6) and two.w1.shape == (30, 12)
    assert np.array_equal(two.w1[:, :6], one.w1)  # member 0 is seeded as the plain network
    assert not np.allclose(two.w1[:, 6:], one.w1)


def test_input_dropout_leaves_the_features_whole_and_still_learns_a_word():
    """Dropping n-gram features while training: the caller's matrix is not changed, the
    training differs from the plain one, and a label carried by one feature is still learnt."""
    rng = np.random.default_rng(7)
    n, dim = 120, 16
    labels = {"i": rng.integers(0, 2, n), "e": np.full(n, -1), "a": np.full(n, -1)}
    dense = (rng.random((n, dim)) < 0.3).astype(np.float32)
    dense[:, :2] = np.eye(2)[labels["i"]]  # feature 0 or 1 alone tells the intent
    x = sparse.csr_matrix(dense)
    before = x.toarray()
    spec = TrainSpec(hidden=8, epochs=30, batch=16, members=1, skip=False)
    plain = train_members(x, None, labels, (2, 3, 3), replace(spec, input_dropout=0.0))
    dropped = train_members(x, None, labels, (2, 3, 3), replace(spec, input_dropout=0.25))
    assert np.array_equal(x.toarray(), before)
    assert not np.allclose(plain.w1, dropped.w1)
    for weights in (plain, dropped):
        predicted = logits(weights, x, None)["i"].argmax(axis=1)
        assert (predicted == labels["i"]).mean() >= 0.95
