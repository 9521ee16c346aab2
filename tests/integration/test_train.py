"""`earpiece train`: bit-for-bit repeatable, blind to the dev split, makes the committed model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from earpiece.nlu.build import build
from earpiece.nlu.model import MANIFEST_FILE, MODEL_FILE, NluModel
from earpiece.nlu.network import TrainSpec
from earpiece.paths import nlu_dir

pytestmark = [pytest.mark.integration, pytest.mark.slow]
QUICK = TrainSpec(epochs=1)


def test_two_runs_give_the_same_bytes(tmp_path: Path):
    data = nlu_dir() / "data"
    build(data, tmp_path / "a", spec=QUICK)
    build(data, tmp_path / "b", spec=QUICK)
    for name in (MODEL_FILE, MANIFEST_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    NluModel.load(tmp_path / "a" / MODEL_FILE)  # and what it wrote loads


def test_training_never_reads_the_dev_split(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(nlu_dir() / "data", data)
    base = build(data, tmp_path / "before", spec=QUICK)
    with (data / "en" / "intents_a.dev.tsv").open("a", encoding="utf-8") as handle:
        handle.write("a brand new dev line about alarms\tlist_reminders\tneutral\n")
    after = build(data, tmp_path / "after", spec=QUICK)
    assert after["fp32"]["sha256"] == base["fp32"]["sha256"]
    assert after["data"]["sha256"] != base["data"]["sha256"]


def test_the_committed_model_is_what_train_builds_from_the_committed_data(tmp_path: Path):
    manifest = build(nlu_dir() / "data", tmp_path)
    committed = NluModel.load().manifest
    assert manifest["sha256"] == committed["sha256"], (
        "models/nlu/earpiece-nlu.int8.onnx is not what `earpiece train` builds: retrain and commit"
    )
    assert (tmp_path / MANIFEST_FILE).read_bytes() == (nlu_dir() / MANIFEST_FILE).read_bytes()
