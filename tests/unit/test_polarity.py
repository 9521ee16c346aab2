"""The polarity model (nlu/polarity.py) and how a reply's feeling follows it."""

from __future__ import annotations

import numpy as np
import pytest

from earpiece.companion import mood
from earpiece.nlu import polarity
from earpiece.nlu.encoder import DIM
from earpiece.nlu.model import Understanding
from earpiece.nlu.polarity import CLASSES, CUE_NAMES, Polarity, cues


def understood(
    text: str, emotion: str = "neutral", confidence: float = 0.9, intent: str = "share_feeling"
) -> Understanding:
    return Understanding(text, "en", intent, 0.9, emotion, confidence)


def cue(text: str, name: str) -> float:
    return float(cues(text)[CUE_NAMES.index(name)])


def test_cues_see_what_the_lowercased_embedding_cannot():
    assert cue("THE BABY CAME EARLY", "shout") == 1.0
    assert cue("the baby came early", "shout") == 0.0
    assert cue("the baby came early!!!", "bangs") == 1.0
    assert cue("the baby came early!", "bangs") == 0.0
    assert cue("이사 끝났다 드디어", "finally") == 1.0
    assert cue("phew, that was close", "relief") == 1.0
    assert cue("휴가 가고 싶다", "relief") == 0.0  # 휴가 is a holiday, not a sigh
    assert cue("시험 잘 봤어 ㅎㅎ", "smile") == 1.0
    assert cue("시험 망쳤어 ㅠㅠ", "tears") == 1.0


def test_the_committed_model_loads_and_reads_three_ways():
    model = polarity.load(polarity.model_path())
    assert model.weights.shape == (len(CLASSES), DIM + len(CUE_NAMES))
    assert 0.5 <= model.confident <= model.sure < 1.0
    probs = model.probabilities(["a line", "HOORAY!!!"], np.zeros((2, DIM), np.float32))
    assert probs.shape == (2, 3)
    assert np.allclose(probs.sum(axis=1), 1.0)


@pytest.fixture
def reads(monkeypatch):
    """Make the polarity model read every line as the given label and probability."""

    def set_reading(label: str, confidence: float) -> None:
        reading = Polarity(label, confidence, confidence >= 0.7, confidence >= 0.85)
        monkeypatch.setattr(polarity, "read", lambda text: reading)

    return set_reading


def test_a_confident_glad_reading_gives_a_glad_reply_where_none_was_read(reads):
    reads("positive", 0.75)
    u = understood("the stairs went fine today, no stick")
    felt, reading = mood.with_polarity(u, u)
    assert (felt.emotion, reading and reading.label) == ("joy", "positive")
    assert felt.emotion_confidence >= 0.5


def test_a_negative_reading_keeps_the_heads_own_hard_feeling(reads):
    reads("negative", 0.8)
    head = understood("they moved my appointment again", "anxiety", 0.4)
    felt, _ = mood.with_polarity(head, head)
    assert felt.emotion == "anxiety" and felt.emotion_confidence >= 0.5
    plain = understood("long shift and no sleep")
    assert mood.with_polarity(plain, plain)[0].emotion == "tiredness"
    assert (
        mood.with_polarity(understood("the cat is gone"), understood("x"))[0].emotion == "sadness"
    )


def test_turning_a_feeling_the_other_way_needs_a_sure_reading(reads):
    hurt = understood("she didn't call back, that stings", "sadness", 0.8)
    reads("positive", 0.8)
    assert mood.with_polarity(hurt, hurt)[0].emotion == "sadness"
    reads("positive", 0.9)
    assert mood.with_polarity(hurt, hurt)[0].emotion == "joy"


def test_the_model_never_takes_a_feeling_away_and_leaves_the_clock_alone(reads):
    glad = understood("the grandkids came", "joy", 0.9)
    reads("neutral", 0.99)
    assert mood.with_polarity(glad, glad)[0] == glad
    reads("negative", 0.95)
    clock = understood("ugh what time is it", intent="ask_time")
    assert mood.with_polarity(clock, clock)[0] == clock
    reads("positive", 0.6)
    plain = understood("went to the bank")
    assert mood.with_polarity(plain, plain)[0] == plain


def test_a_fact_told_or_a_request_keeps_the_feeling_its_route_was_read_with(reads):
    reads("positive", 0.99)
    fact = understood("my vet is Dr Ortiz, she's on Elm Street", intent="remember_fact")
    assert mood.with_polarity(fact, fact)[0] == fact
    timer = understood("remind me to call the vet at five", intent="set_reminder")
    assert mood.with_polarity(timer, timer)[0] == timer


def test_clipped_sentences_are_a_cue_of_their_own():
    assert cue("The van got towed. Fabulous. Simply fabulous.", "clipped") == 1.0
    assert cue("우산 잃어버렸어. 완벽해. 최고야.", "clipped") == 1.0
    assert cue("We got towed and it cost a fortune.", "clipped") == 0.0
    assert cue("Morning.", "clipped") == 0.0


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("The ferry is cancelled again. Terrific. Splendid.", False),
        ("Superb. Marvellous. Wonderful.", False),
        ("전기 끊겼대. 잘됐다 참.", False),
        ("보고서 또 반려됐어. 잘한다 아주", False),
        ("Great. Thanks for that.", True),
        ("The scan was clear. Wonderful news.", True),
        ("우리 애 요즘 밥 잘 먹네", True),
        ("시험 잘 봤어. 잘했다 진짜", True),
    ],
)
def test_praise_not_meant_is_read_from_its_shape(text: str, meant: bool):
    assert mood.praise_not_meant(text) is not meant
    read = mood.read_feeling(understood(text, "joy", 0.9))
    assert read.emotion == ("joy" if meant else "anger")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("김장하느라 허리가 끊어지는 줄 알았어", "tiredness"),
        ("짐 옮기다가 무릎이 나가는 줄 알았네요", "tiredness"),
        ("오늘 완전 녹초야", "tiredness"),
        ("Dead on my feet after the night shift", "tiredness"),
        ("악몽 꿔서 새벽에 깼어", "anxiety"),
        ("another nightmare about the flood", "anxiety"),
    ],
)
def test_exhaustion_idioms_and_bad_dreams_are_hard_feelings(text: str, kind: str):
    read = mood.read_feeling(understood(text, "joy", 0.6))
    assert (read.emotion, read.emotion_confidence >= 0.5) == (kind, True)


def test_laughing_idioms_are_not_exhaustion():
    read = mood.read_feeling(understood("손자 재롱에 배꼽 빠지는 줄 알았어", "joy", 0.8))
    assert read.emotion == "joy"


def test_a_feeling_the_words_say_plainly_is_not_turned_by_the_model(reads):
    reads("positive", 0.95)
    u = understood("이삿짐 나르다 어깨가 떨어져 나가는 줄 알았어", "joy", 0.8)
    felt, _ = mood.with_polarity(mood.read_feeling(u), u)
    assert felt.emotion == "tiredness"
    reads("negative", 0.95)
    guess = understood("we spent the whole afternoon at the lake", "joy", 0.8)
    felt, _ = mood.with_polarity(guess, guess)
    assert felt.emotion == "sadness"  # no plain words: the sure model turns it


def test_a_hard_word_then_a_turn_to_glad_stays_glad():
    for text in ("완전 파김치인데 마음은 뿌듯해", "Knackered, but happy as anything"):
        assert mood.read_feeling(understood(text, "joy", 0.9)).emotion == "joy"
    still_hurts = understood("허리 끊어지는 줄 알았는데 아직도 아파", "joy", 0.9)
    assert mood.read_feeling(still_hurts).emotion == "tiredness"


def test_a_sure_model_still_turns_a_hard_word_in_a_glad_shout(reads):
    reads("positive", 0.95)
    u = understood("RESULTS ARE IN. PASSED!!! I was sure I failed", "sadness", 0.8)
    felt, _ = mood.with_polarity(mood.read_feeling(u), u)
    assert felt.emotion == "joy"
