"""The sentence encoder finds meaning across words and languages (real USE weights)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from earpiece.nlu.encoder import DIM, embed

pytestmark = pytest.mark.integration


def test_vectors_are_unit_length_and_empty_text_is_zero():
    vectors = embed(["안녕", "", "hello there"])
    assert vectors.shape == (3, DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[[0, 2]], axis=1), 1.0, atol=1e-5)
    assert not vectors[1].any()


@pytest.mark.parametrize(
    ("query", "same", "other"),
    [
        ("what's my father's name", "my dad's name is Raj", "my sister likes jazz"),
        ("울엄마 생신 언제였더라", "엄마 생일은 5월 3일이야", "누나는 재즈를 좋아해"),
        ("새우 먹어도 되나요", "나 새우 알레르기 있어", "내일 회의가 있어"),
        ("is it ok if i eat shrimp", "i'm allergic to shellfish", "my dad's name is Raj"),
    ],
)
def test_a_paraphrase_is_nearer_than_an_unrelated_sentence(query: str, same: str, other: str):
    q, s, o = embed([query, same, other])
    assert float(q @ s) > float(q @ o) + 0.1


_THREADS = """
import json
import numpy as np
from threadpoolctl import threadpool_info
from earpiece.nlu.encoder import embed
from earpiece.nlu.model import NluModel
texts = ["내일 아침 일곱 시에 깨워 줘", "what's my father's name", "오늘 meeting 힘들었어"] * 40
before = embed(texts)
NluModel.load()  # the device's load: BLAS on one thread from here on
blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
print(json.dumps({"blas": blas, "same": bool(np.array_equal(before, embed(texts)))}))
"""


def test_the_device_keeps_blas_on_one_thread_and_the_vectors_do_not_change():
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2"}  # more than one before the load
    done = subprocess.run([sys.executable, "-c", _THREADS], capture_output=True, text=True,
                          env=env, check=True)  # fmt: skip
    got = json.loads(done.stdout)
    assert got["blas"] and set(got["blas"]) == {1}, got
    assert got["same"]
