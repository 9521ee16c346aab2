"""`earpiece train`: bit-for-bit repeatable, blind to the dev split, makes the committed model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from earpiece.nlu.model import MANIFEST_FILE, MODEL_FILE, NluModel
from earpiece.nlu.phrases import PHRASES_FILE
from earpiece.paths import nlu_dir
from earpiece.training.build import build
from earpiece.training.dataset import load_split
from earpiece.training.network import TrainSpec

pytestmark = [pytest.mark.integration, pytest.mark.slow]
QUICK = TrainSpec(epochs=1, members=2)  # two members: the ensemble path, at a small cost


def test_two_runs_give_the_same_bytes(tmp_path: Path):
    data = nlu_dir() / "data"
    build(data, tmp_path / "a", spec=QUICK)
    build(data, tmp_path / "b", spec=QUICK)
    for name in (MODEL_FILE, MANIFEST_FILE, PHRASES_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    NluModel.load(tmp_path / "a" / MODEL_FILE)  # and what it wrote loads


def test_training_never_reads_the_dev_or_test_splits(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(nlu_dir() / "data", data)
    base = build(data, tmp_path / "before", spec=QUICK)
    with (data / "en" / "intents_a.dev.tsv").open("a", encoding="utf-8") as handle:
        handle.write("a brand new dev line about alarms\tlist_reminders\tneutral\n")
    with (data / "en" / "public-hwu64.test.tsv").open("a", encoding="utf-8") as handle:
        handle.write("a brand new test line about the weather\tunknown\tneutral\t-\n")
    after = build(data, tmp_path / "after", spec=QUICK)
    assert after["fp32"]["sha256"] == base["fp32"]["sha256"]
    assert after["data"]["sha256"] != base["data"]["sha256"]


def test_the_committed_model_is_what_train_builds_from_the_committed_data(tmp_path: Path):
    """Retraining on this machine reproduces the committed model's behaviour.

    Bytes are only comparable on one CPU: OpenBLAS picks other kernels on other processors and
    floating-point sums round differently, so across machines the test compares what the model
    does: the same data, >= 99% of dev predictions the same, dev metrics within 0.5 points.
    """
    rebuilt_manifest = build(nlu_dir() / "data", tmp_path)
    committed = NluModel.load()
    rebuilt = NluModel.load(tmp_path / MODEL_FILE)
    assert rebuilt_manifest["data"] == committed.manifest["data"], "retrain and commit"
    assert (tmp_path / PHRASES_FILE).read_bytes() == (nlu_dir() / PHRASES_FILE).read_bytes()
    dev = [ex.text for ex in load_split(nlu_dir() / "data", "dev")]
    ours, theirs = rebuilt.classify(dev), committed.classify(dev)
    for head, column in (("intent", 0), ("emotion", 2)):
        same = sum(a[column] == b[column] for a, b in zip(ours, theirs, strict=True)) / len(dev)
        assert same >= 0.99, f"{head}: only {same:.3f} of dev predictions agree; retrain, commit"
    for scope in ("all", "ko", "en"):
        for head in ("intent", "emotion"):
            for figure in ("accuracy", "macro_f1"):
                a = rebuilt_manifest["metrics"]["int8"][scope][head][figure]
                b = committed.manifest["metrics"]["int8"][scope][head][figure]
                assert abs(a - b) <= 0.005, f"{scope} {head} {figure}: {a} vs committed {b}"


def test_a_build_does_not_depend_on_what_the_process_embedded_before(tmp_path: Path):
    """`earpiece train` starts in a fresh process; a test process has used the companion's
    encoder, which keeps recent vectors, and BLAS may be held to one thread by NluModel.load.
    A vector depends on its batch in the last bits, so both must be kept out of a build."""
    from threadpoolctl import threadpool_limits

    from earpiece.nlu.encoder import shared
    from earpiece.nlu.featurizer import FeatureSpec, normalize
    from earpiece.training import embedding

    data = nlu_dir() / "data"
    with threadpool_limits(2, user_api="blas"):
        first = build(data, tmp_path / "first", spec=QUICK)
    embedding._lists.clear()  # as if this process had not built before
    embedding._memo.clear()
    texts = {normalize(ex.text, FeatureSpec().max_chars) for ex in load_split(data, "train")}
    for text in sorted(texts, key=lambda t: (len(t), t))[:30]:  # the shortest lines ("응",
        shared().embed([text])  # "yes"): the first batch; computed alone, as a turn does
    with threadpool_limits(1, user_api="blas"):
        second = build(data, tmp_path / "second", spec=QUICK)
    assert second["fp32"]["sha256"] == first["fp32"]["sha256"]
    assert (tmp_path / "first" / MODEL_FILE).read_bytes() == (
        tmp_path / "second" / MODEL_FILE
    ).read_bytes()
