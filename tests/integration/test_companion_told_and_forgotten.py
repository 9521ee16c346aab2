"""Facts told without "remember" (a medicine by its name or when it is taken, a weight, a
relation's name said tersely) kept, and a forget said with its reason removing only what it
named, after asking first; the yes is reported as forget_fact. The lines are this file's own."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at


def test_a_medicine_and_a_weight_told_in_passing_are_kept_and_one_forgotten_alone(
    make_companion,
):
    companion = make_companion(clock=at(8, 9))
    companion.respond("Taking gabapentin at bedtime. Helps a bit.")
    companion.respond("Nurse says I need to lose 15 pounds. I'm at 210.")
    companion.respond("Brother's Marcus. He drives a truck.")
    texts = " ".join(b["text"] for _, b in companion.store.rows("facts"))
    assert "gabapentin" in texts and "210" in texts and "Marcus" in texts
    asked = companion.respond("Forget my weight. My brother reads this thing.")
    assert asked.intent == "forget_fact" and asked.outcome is Outcome.CONFIRMING
    done = companion.respond("yes")
    assert done.intent == "forget_fact" and done.to_dict()["nlu_intent"] != "forget_fact"
    texts = " ".join(b["text"] for _, b in companion.store.rows("facts"))
    assert "210" not in texts and "gabapentin" in texts and "Marcus" in texts
    said = " ".join(f"{b['text']} {b['reply']}" for _, b in companion.store.rows("turns"))
    assert "210" not in said  # not in the line that told it, nor in the question that asked


def test_a_korean_medicine_kept_and_forgotten_by_what_it_is(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("어머니는 저녁마다 아리셉트를 드세요")
    companion.respond("제 친구 말자랑 수영을 같이 다녀요")
    asked = companion.respond("말자하고는 요즘 좀 서먹해요. 말자 얘기는 지워 주세요")
    assert asked.outcome is Outcome.CONFIRMING and "말자" in asked.text
    companion.respond("네")
    texts = " ".join(b["text"] for _, b in companion.store.rows("facts"))
    assert "말자" not in texts and "아리셉트" in texts
