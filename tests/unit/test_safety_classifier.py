"""The learned crisis classifier: it loads, it is used, it finds statements the rules miss,
and it stays quiet on ordinary commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from earpiece import paths
from earpiece.nlu import safety
from tests.unit.safety_lines import training_lines

pytestmark = pytest.mark.integration  # the real sentence encoder

# Written for this test alone (none of them is in models/safety/data): indirect statements,
# most of which no rule matches.
FRESH_CRISIS = [
    "I've started saying my goodbyes to people, quietly",
    "I put my affairs in order this morning so my son won't have to",
    "I've been collecting my tablets in a jar for a while now",
    "honestly the world would carry on just fine without me in it",
    "I'm going to drive up to the quarry tonight and I won't be driving back",
    "I keep wondering how long it would take for anyone to find me",
    "it's all arranged, the note is written, I just need to be brave",
    "요즘 밤마다 어떻게 하면 조용히 갈 수 있을지만 생각해",
    "애들한테는 미리 마지막 편지를 써 뒀어",
    "약을 조금씩 모아서 서랍에 넣어 뒀어",
    "이제 다 놓고 편히 떠나고 싶어",
    "내가 없어지면 우리 딸 고생도 끝날 거야",
]
# Written for this test alone, after the second round of training data: crisis said inside a
# long line, in dialect, plainly or as a preparation; and hard negatives of the same shapes.
FRESH_CRISIS_2 = [
    "i've been looking up how much of my heart medicine would be too much",
    "honestly the kindest thing i can do for my family now is to not be around",
    "i told the cat sitter to keep him for good, i won't be coming back for him",
    "we had the grandkids round and it was lovely but after they left i sat there working out "
    "how many tablets it would take",
    "i keep driving past the reservoir and thinking how easy it would be",
    "i'm not going to be a problem for anyone much longer",
    "아들한테 통장 비밀번호 적어 줬어, 이제 나 없어도 되게",
    "병원 다녀와서 점심 먹고 누워 있었는데 그냥 이대로 눈 안 떴으면 싶더라",
    "먼저 간 우리 영감한테 이제 가야겠다",
    "이번 생은 여기까지인 것 같아",
    "이래 살아가 뭐 하겠노, 고마 가야지",
    "아무한테도 말 안 했는데 약을 조금씩 모으고 있어요",
]
FRESH_HARD_NEGATIVES_2 = [
    "i'm dying to get my hair done before the wedding",
    "this crossword is killing me",
    "i gave my old sofa to my neighbour, i won't need it in the new flat",
    "remind me to take my sleeping tablet at ten",
    "the film was about a soldier who didn't want to live after the war",
    "my husband passed away in march and i still set out two cups",
    "졸려 죽겠다 진짜",
    "이사 가면서 안 쓰는 물건 다 나눠 줬어",
    "영화에서 주인공이 다리에서 뛰어내리려다 말았어",
    "수면제 먹을 시간 알려 줘",
    "엄마 돌아가신 지 삼 년인데 아직도 전화하고 싶어",
    "오늘 너무 힘들어서 그냥 자고 싶어",
]
ORDINARY = [
    ("remind me to take my pills at eight", "set_reminder"),
    ("set an alarm for six tomorrow", "set_reminder"),
    ("what time is it", "ask_time"),
    ("cancel the dentist reminder", "cancel_reminder"),
    ("read me the letter to my sister", "read_letter"),
    ("I'm a bit tired today but it was a nice day", "share_feeling"),
    ("my favourite colour is blue", "remember_fact"),
    ("약 먹으라고 아홉 시에 알려줘", "set_reminder"),
    ("오늘 며칠이야", "ask_date"),
    ("내일 아침 일곱 시에 깨워 줘", "set_reminder"),
    ("오늘 좀 피곤하지만 괜찮아", "share_feeling"),
    ("우리 손녀 이름은 서연이야", "remember_fact"),
]


def test_the_committed_classifier_loads_with_thresholds_for_both_languages():
    model = safety.classifier()
    assert model.classes == ("none", "crisis", "emergency")
    for label in ("crisis", "emergency"):
        for lang in ("en", "ko"):
            assert 0.0 < model.threshold[label][lang] < 1.0


def test_the_fresh_statements_are_not_training_data():
    fresh = FRESH_CRISIS + FRESH_CRISIS_2 + FRESH_HARD_NEGATIVES_2
    assert not {t.lower() for t in fresh} & training_lines()


def test_second_fresh_hard_negatives_rarely_alarm():
    alarms = [t for t in FRESH_HARD_NEGATIVES_2 if safety.danger(t, "unknown") is not None]
    assert len(alarms) <= 1, alarms


def test_the_classifier_answers_for_statements_the_rules_miss():
    beyond_rules = [t for t in FRESH_CRISIS if safety.rules(t) is None]
    assert len(beyond_rules) >= 6  # most of the fresh set is out of the rules' reach
    by_model = [
        t for t in beyond_rules if safety.danger(t, "share_feeling") is safety.Danger.CRISIS
    ]
    assert by_model, "the classifier found none of the statements the rules miss"
    assert all(safety.model_danger(t) is safety.Danger.CRISIS for t in by_model)


@pytest.mark.parametrize(("text", "intent"), ORDINARY)
def test_ordinary_commands_and_talk_raise_no_alarm(text, intent):
    assert safety.danger(text, intent) is None


@pytest.mark.parametrize(
    "text", ["I'm dying to see the new movie", "this traffic is killing me", "배고파 죽겠어"]
)
def test_figures_of_speech_stay_exempt_with_the_classifier_on(text):
    assert safety.danger(text, "share_feeling") is None


def test_a_yes_or_no_is_never_read_by_the_classifier():
    text = FRESH_CRISIS[0]
    assert safety.rules(text) is None
    assert safety.danger(text, "deny") is None


def test_a_missing_classifier_is_named_and_the_rules_still_answer(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(paths.MODELS_ENV, str(tmp_path))
    safety.classifier.cache_clear()
    try:
        with pytest.raises(
            safety.ClassifierError, match=r"crisis\.npz.*earpiece\.training\.safety"
        ):
            safety.classifier()
        assert safety.danger("I want to kill myself", "unknown") is safety.Danger.CRISIS
        assert safety.model_danger(FRESH_CRISIS[0]) is None
    finally:
        monkeypatch.delenv(paths.MODELS_ENV)
        safety.classifier.cache_clear()


def test_an_unreadable_classifier_says_which_file_and_how_to_fix(monkeypatch, tmp_path: Path):
    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "crisis.npz").write_bytes(b"not a model")
    monkeypatch.setenv(paths.MODELS_ENV, str(tmp_path))
    safety.classifier.cache_clear()
    try:
        with pytest.raises(safety.ClassifierError, match=r"crisis\.npz.*unreadable.*rebuild"):
            safety.classifier()
    finally:
        monkeypatch.delenv(paths.MODELS_ENV)
        safety.classifier.cache_clear()


def test_a_classifier_without_its_statement_bank_is_unreadable(monkeypatch, tmp_path: Path):
    import numpy as np

    with np.load(safety.classifier_path(), allow_pickle=False) as data:
        kept = {k: data[k] for k in data.files if k != "bank"}
    (tmp_path / "safety").mkdir()
    np.savez(tmp_path / "safety" / "crisis.npz", **kept)
    monkeypatch.setenv(paths.MODELS_ENV, str(tmp_path))
    safety.classifier.cache_clear()
    try:
        with pytest.raises(safety.ClassifierError, match=r"crisis\.npz.*unreadable.*bank"):
            safety.classifier()
    finally:
        monkeypatch.delenv(paths.MODELS_ENV)
        safety.classifier.cache_clear()


def test_training_reads_the_classifier_it_wrote_not_the_devices(tmp_path: Path):
    """`python -m earpiece.training.safety --out DIR` chooses thresholds on the file it has just
    written to DIR (it read the device's models/safety/crisis.npz before)."""
    import json

    import numpy as np

    with np.load(safety.classifier_path(), allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    meta["threshold"]["crisis"] = {"en": 0.123, "ko": 0.456}
    meta["threshold"].pop("concern", None)
    written = tmp_path / "crisis.npz"
    np.savez(written, meta=np.array(json.dumps(meta)), **arrays)
    model = safety.load_classifier(written)
    assert model.threshold["crisis"] == {"en": 0.123, "ko": 0.456}
    assert safety.classifier().threshold["crisis"] != model.threshold["crisis"]
    (tmp_path / "bad.npz").write_bytes(b"no")
    with pytest.raises(safety.ClassifierError, match=r"bad\.npz.*unreadable"):
        safety.load_classifier(tmp_path / "bad.npz")
