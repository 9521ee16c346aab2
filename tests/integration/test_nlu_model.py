"""The committed int8 model, run by the real onnxruntime."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from earpiece.nlu.labels import EMOTIONS, INTENTS, UNKNOWN
from earpiece.nlu.model import MANIFEST_FILE, MODEL_FILE, ModelError, NluModel
from earpiece.paths import nlu_dir
from earpiece.training import metrics
from earpiece.training.calibrate import TOLERANCE
from earpiece.training.dataset import data_hash, load_split
from tests.conftest import SHARED

pytestmark = pytest.mark.integration


def test_model_is_small_and_its_manifest_matches_the_data(nlu_model: NluModel):
    manifest = nlu_model.manifest
    # two averaged networks (TrainSpec.members) of ~1.8 MiB each. A third took the process's
    # RSS over the 60 MB budget (benchmarks/nlu_bench.py): re-measure it before raising this
    assert nlu_model.path.stat().st_size <= 4 * 1024 * 1024
    assert manifest["data"]["sha256"] == data_hash(nlu_dir() / "data"), (
        "models/nlu/data changed since the model was built: run `earpiece train` and commit"
    )
    assert manifest["intents"] == list(INTENTS) and manifest["emotions"] == list(EMOTIONS)
    for kind in ("fp32", "int8"):
        for scope in ("all", "ko", "en"):
            for head in ("intent", "emotion"):
                assert set(manifest["metrics"][kind][scope][head]) == {"accuracy", "macro_f1"}


def test_the_session_keeps_no_memory_arena(nlu_model: NluModel):
    """Any graph: each run's few small tensors are malloc'ed and freed, not kept in an arena."""
    options = nlu_model._session.get_session_options()
    assert not options.enable_cpu_mem_arena
    assert not options.enable_mem_pattern


@pytest.mark.skipif(not (SHARED / "design" / "NLU_LABELS.md").exists(), reason="no shared/ beside")
def test_labels_are_the_contract_of_nlu_labels_md():
    import re

    text = (SHARED / "design" / "NLU_LABELS.md").read_text(encoding="utf-8")
    intents_part, emotions_part = text.split("## Emotions")
    assert tuple(re.findall(r"^\| `(\w+)` \|", intents_part, re.M)) == INTENTS
    assert tuple(re.findall(r"^\| `(\w+)` \|", emotions_part, re.M)) == EMOTIONS


def test_dev_metrics_in_the_manifest_are_what_the_model_does(nlu_model: NluModel):
    dev = load_split(nlu_dir() / "data", "dev")
    predicted = nlu_model.classify([ex.text for ex in dev])
    for lang in ("ko", "en"):
        rows = [(ex, p) for ex, p in zip(dev, predicted, strict=True) if ex.lang == lang]
        got = metrics.report([ex.intent for ex, _ in rows], [p[0] for _, p in rows])
        assert got == nlu_model.manifest["metrics"]["int8"][lang]["intent"]
        got = metrics.report([ex.emotion for ex, _ in rows], [p[2] for _, p in rows])
        assert got == nlu_model.manifest["metrics"]["int8"][lang]["emotion"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("지금 몇 시야", "ask_time"),
        ("사만다 오늘 며칠이야", "ask_date"),
        ("내일 아침 일곱 시에 깨워줘", "set_reminder"),
        ("what time is it", "ask_time"),
        ("remind me to call mom at five pm", "set_reminder"),
        ("read me the letter", "read_letter"),
        ("소리 좀 키워 줘", "volume_up"),
        ("tell me a joke", "tell_joke"),
    ],
)
def test_plain_commands_in_both_languages(nlu_model: NluModel, text: str, intent: str):
    result = nlu_model.understand(text)
    assert result.intent == intent
    assert result.confidence >= nlu_model.threshold


@pytest.mark.parametrize(
    ("text", "emotion"),
    [
        ("오늘 너무 지쳤어", "tiredness"),
        ("I miss her so much", "sadness"),
        ("아무도 나랑 얘기 안 해", "loneliness"),
        ("I got the job!", "joy"),
    ],
)
def test_feelings_are_heard(nlu_model: NluModel, text: str, emotion: str):
    assert nlu_model.understand(text).emotion == emotion


def test_below_the_threshold_the_intent_is_unknown(nlu_model: NluModel):
    strict = NluModel(nlu_model.path, nlu_model.manifest, threshold=0.999999)
    results = strict.classify(["음", "what time is it maybe", "그거"])
    assert all(intent == UNKNOWN for intent, *_ in results if _[0] < 0.999999)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \t\n",
        "\x00\x07\x1b[2J",
        "🙂🎉🔥",
        "가나다" * 34_000,
        "a" * 100_000,
        "지금 what 時間 est-il 몇 시",
        "'; DROP TABLE facts; --",
        "\ud800\udfff",
    ],
)
def test_bad_input_gets_an_answer_not_a_crash(nlu_model: NluModel, text: str):
    result = nlu_model.understand(text)
    assert result.intent in INTENTS and result.emotion in EMOTIONS
    assert 0.0 <= result.confidence <= 1.0
    json.dumps(result.to_dict(), ensure_ascii=False)


def test_empty_text_is_unknown_with_no_confidence(nlu_model: NluModel):
    result = nlu_model.understand("  ")
    assert (result.intent, result.confidence, result.slots) == (UNKNOWN, 0.0, {})


def _copy_model(tmp_path: Path) -> Path:
    for name in (MODEL_FILE, MANIFEST_FILE):
        shutil.copy(nlu_dir() / name, tmp_path / name)
    return tmp_path / MODEL_FILE


def test_missing_model_says_how_to_rebuild(tmp_path: Path):
    with pytest.raises(ModelError, match="earpiece train"):
        NluModel.load(tmp_path / MODEL_FILE)


def test_corrupt_model_is_caught_by_its_checksum(tmp_path: Path):
    path = _copy_model(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelError, match=r"corrupt or stale.*earpiece train"):
        NluModel.load(path)


def test_garbage_model_is_a_clear_error_even_unverified(tmp_path: Path):
    path = _copy_model(tmp_path)
    path.write_bytes(b"this is not an onnx file")
    with pytest.raises(ModelError, match=r"not a loadable ONNX model.*earpiece train"):
        NluModel.load(path, verify=False)


def test_missing_or_broken_manifest_is_a_clear_error(tmp_path: Path):
    path = _copy_model(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="manifest is unreadable"):
        NluModel.load(path)
    (tmp_path / MANIFEST_FILE).unlink()
    with pytest.raises(ModelError, match="manifest is missing"):
        NluModel.load(path)


def test_the_unknown_threshold_was_chosen_on_held_out_data(nlu_model: NluModel):
    cal = nlu_model.manifest["calibration"]
    assert nlu_model.manifest["threshold"] == cal["threshold"] == nlu_model.threshold
    assert 0.0 <= cal["threshold"] < 1.0 and cal["temperature"] > 0.0  # 0: by the class alone
    assert cal["held_out_lines"] > 500
    # the rule (calibrate.choose): the pick is within TOLERANCE of the best point of the curve,
    # and no lower threshold on the curve is as good as the pick
    mean = lambda p: (p["in_scope_accuracy"] + p["oos_rejection"]) / 2  # noqa: E731
    picked = mean(cal)
    assert picked >= max(mean(p) for p in cal["curve"]) - TOLERANCE - 1e-6
    assert all(mean(p) < picked + 1e-6 for p in cal["curve"] if p["threshold"] < cal["threshold"])
    point = min(cal["curve"], key=lambda p: abs(p["threshold"] - cal["threshold"]))
    assert point["in_scope_accuracy"] >= 0.8 and point["oos_rejection"] >= 0.8
    # the curve trades one for the other: a higher threshold never rejects fewer
    rejections = [p["oos_rejection"] for p in cal["curve"]]
    assert rejections == sorted(rejections)


@pytest.mark.parametrize(
    "text",
    [
        "오늘 날씨 어때",
        "what's the weather like in paris",
        "play some jazz",
        "비트코인 시세 알려줘",
    ],
)
def test_out_of_scope_requests_are_unknown(nlu_model: NluModel, text: str):
    assert nlu_model.understand(text).intent == UNKNOWN


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("새우 먹어도 되나요", "question"),
        ("엄마 생일이 언제였더라", "question"),
        ("내 동생 이름은 지수야", "statement"),
        ("나 새우 알레르기 있어", "statement"),
        ("내일 아침 일곱 시에 깨워줘", "request"),
        ("소리 좀 줄여 주세요", "request"),
    ],
)
def test_korean_speech_act_from_the_model(nlu_model: NluModel, text: str, act: str):
    assert "ko" in nlu_model.act_langs
    assert nlu_model.understand(text).act.value == act


def test_a_fact_to_remember_is_a_request_not_a_question(nlu_model):
    """'... 기억해 줘' ends as a request: the companion keeps it (a question it would not)."""
    u = nlu_model.understand("우리 언니 이름은 지수야 기억해 줘")
    assert u.intent == "remember_fact" and u.act.value == "request"
