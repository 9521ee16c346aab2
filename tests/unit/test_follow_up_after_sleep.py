"""Follow-up by time lived (issue 20 item 6): after a low, the first line after a sleep asks how
they are, even when it tells of a bad night; a glad line or a low already asked after is not
asked about again; the question never comes after 'I didn't understand'."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from earpiece.companion import mood
from earpiece.nlu.act import Act
from earpiece.nlu.model import Understanding
from tests.conftest import SEOUL


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=SEOUL)


@dataclass
class Said:
    """A Turn's part that these rules read: the utterance, the clock, the voice, the question."""

    u: Understanding
    now: datetime
    pending: dict | None = None
    said: list[str] = field(default_factory=list)
    danger: str = ""
    dictating: bool = False

    @property
    def feeling(self) -> str:
        return self.u.emotion if self.u.emotion_confidence >= 0.5 else "neutral"

    @property
    def at(self) -> str:
        return self.now.isoformat(timespec="seconds")

    def say(self, key: str, **values: object) -> str:
        self.said.append(key)
        return f"<{key}>"


def turn(
    text: str, now: datetime, emotion: str = "neutral", conf: float = 0.9, intent: str = "unknown"
) -> Said:
    return Said(Understanding(text, "en", intent, 0.9, emotion, conf, {}, Act.STATEMENT), now)


def test_a_night_lies_between_an_evening_and_the_next_morning_not_within_one_afternoon():
    assert mood.slept_between(at(3, 23, 40), at(4, 5, 10))
    assert mood.slept_between(at(3, 1, 30), at(3, 9, 0))  # up late, then a morning
    assert mood.slept_between(at(3, 3, 20), at(3, 8, 0))
    assert not mood.slept_between(at(3, 10, 0), at(3, 21, 0))
    assert not mood.slept_between(at(3, 7, 0), at(3, 7, 30))


def test_a_bad_night_told_in_the_morning_is_asked_after_a_new_low_the_same_day_is_met():
    poor_night = turn("woke at three and never got back to sleep", at(9, 6, 15), "tiredness")
    assert mood.ask_after("sadness", poor_night, at(8, 22, 50).isoformat())
    later = turn("my manager shouted at me in front of everyone", at(9, 19, 0), "anger")
    assert not mood.ask_after("sadness", later, at(9, 12, 0).isoformat())
    plain = turn("morning, kettle's on", at(9, 7, 0))
    assert mood.ask_after("anxiety", plain, at(8, 23, 0).isoformat())


def test_saying_plainly_they_are_fine_is_the_answer_except_after_a_crisis():
    rested = turn("slept right through, I feel brand new", at(9, 7, 30), "joy", 0.92)
    assert not mood.ask_after("tiredness", rested, at(8, 22, 0).isoformat())
    assert mood.ask_after("crisis", rested, at(8, 22, 0).isoformat())
    faint = turn("slept ok i guess", at(9, 12, 0), "joy", 0.55)
    assert mood.ask_after("sadness", faint, at(8, 22, 0).isoformat())
    news = turn("we baked bread together this morning", at(9, 8, 0), "joy", 0.9)
    assert mood.ask_after("sadness", news, at(8, 22, 0).isoformat())  # glad news, not 'I'm well'
    refreshed = turn("간밤에 푹 잤더니 몸이 가뿐해", at(9, 8, 0), "joy", 0.85)
    assert not mood.ask_after("anxiety", refreshed, at(8, 22, 0).isoformat())


def test_a_low_told_when_asked_after_is_not_asked_about_again():
    followed = turn("still rotten, hardly slept", at(9, 6, 30), "tiredness")
    low = mood.low_after(followed, {"emotion": "sadness", "at": at(8, 23).isoformat()}, True)
    assert low is not None and low["asked"]
    state = {"low": low, "last_turn_at": at(9, 20, 0).isoformat()}
    assert mood.to_follow_up(state, at(10, 7, 0)) is None
    answered = turn("no, still pretty grim", at(9, 6, 31), "sadness")
    assert mood.low_after(answered, None, False, answering=True)["asked"]
    fresh = turn("everything went wrong at the clinic", at(10, 17, 0), "sadness")
    low = mood.low_after(fresh, low, False)
    assert low is not None and "asked" not in low
    assert mood.to_follow_up({"low": low, "last_turn_at": low["at"]}, at(11, 8, 0)) == low


def test_the_question_is_never_glued_to_not_understanding():
    garbled = turn("flibber the jumbo", at(9, 8, 0))
    parts = mood.with_follow_up(garbled, ["<unknown>"], "sadness", "<followup_sadness>")
    assert parts == ["<followup_sadness>"]
    assert garbled.pending == {"kind": "mood_followup", "emotion": "sadness"}
    request = turn("turn it down", at(9, 8, 0), intent="volume_down")
    request.said.append("unknown")  # a handler that did not understand it after all
    assert mood.with_follow_up(request, ["<unknown>"], "sadness", "<q>") == ["<q>"]


def test_a_bad_night_is_met_in_one_line_then_asked_after_once():
    night = turn("nightmares all night, I'm wrecked", at(9, 6, 0), "tiredness")
    night.pending = {"kind": "ask_back", "emotion": "tiredness"}
    parts = mood.with_follow_up(
        night, ["<feeling_tiredness>", "<ask_back_tiredness>"], "sadness", "<q>"
    )
    assert parts == ["<feeling_tiredness>", "<q>"]
    assert night.pending == {"kind": "mood_followup", "emotion": "sadness"}
    greeting = turn("morning", at(9, 6, 0), intent="greet")
    greeting.pending = {"kind": "letter"}
    assert mood.with_follow_up(greeting, ["<greet>"], "sadness", "<q>") == ["<q>", "<greet>"]
