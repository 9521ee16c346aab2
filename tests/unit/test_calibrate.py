"""Calibration: the temperature fits the held-out lines, the threshold is read off them."""

from __future__ import annotations

import numpy as np

from earpiece.training.calibrate import calibrate, choose, temperature, tradeoff


def test_overconfident_logits_get_a_temperature_above_one():
    rng = np.random.default_rng(0)
    gold = rng.integers(0, 3, 2000)
    logits = rng.normal(0, 1, (2000, 3))
    right = rng.random(2000) < 0.7  # 70% right, each with a huge margin: overconfident
    logits[np.arange(2000), np.where(right, gold, (gold + 1) % 3)] += 12.0
    assert temperature(logits, gold) > 2.0
    assert temperature(logits / 8.0, gold) < temperature(logits, gold)


def test_threshold_balances_in_scope_accuracy_and_rejection():
    unknown = 2
    # in-scope lines: confident and right; out-of-scope lines: unsure, argmax an intent
    probs = np.array([[0.9, 0.05, 0.05]] * 50 + [[0.5, 0.3, 0.2]] * 50)
    gold = np.array([0] * 50 + [unknown] * 50)
    assert tradeoff(probs, gold, unknown, 0.0) == (1.0, 0.0)
    assert tradeoff(probs, gold, unknown, 0.6) == (1.0, 1.0)
    cal = calibrate(np.log(probs), gold, unknown)
    assert cal.in_scope_accuracy == 1.0 and cal.oos_rejection == 1.0
    assert cal.curve[0]["threshold"] == 0.0 and cal.curve[-1]["threshold"] == 0.95


def test_the_lowest_threshold_within_a_point_of_the_best_is_taken():
    # (in-scope accuracy, out-of-scope rejection) per threshold; means .85, .872, .873, .876
    scores = [(0.90, 0.80), (0.88, 0.864), (0.876, 0.87), (0.862, 0.89)]
    assert choose(scores) == 1  # .872 is within .01 of the best .876; .850 is not
    assert choose([(0.9, 0.8), (0.5, 0.5)]) == 0  # the best itself when nothing is near
