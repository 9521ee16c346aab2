"""Facts told without "remember" in a person's way (a medicine by its name or when it is taken, a
weight, "Brother's Marcus."), and what a forget names when a reason comes before or after it.
The lines are this file's own."""

from __future__ import annotations

import pytest

from earpiece.companion.memory import analyse
from earpiece.companion.route import _states_a_fact, named_to_forget


@pytest.mark.parametrize(
    ("text", "person", "value"),
    [
        ("my dad takes Eliquis twice a day", "father", "Eliquis"),
        ("Taking gabapentin at bedtime. Helps a bit.", "me", "gabapentin"),
        ("I'm on levothyroxine since the spring", "me", "levothyroxine"),
        ("어머니는 저녁마다 아리셉트를 드세요", "mother", "아리셉트"),
        ("하루 세 번 소화제를 꼬박꼬박 먹어요", "me", "소화제"),
    ],
)
def test_a_medicine_told_in_passing_is_a_health_fact(text, person, value):
    fact = analyse(text, "ko" if not text.isascii() else "en")
    assert (fact.person, fact.attribute, fact.value) == (person, "health", value)
    assert _states_a_fact(text)


@pytest.mark.parametrize(
    "text",
    [
        "He gets home late every night.",
        "She takes a walk every evening.",
        "I'm on vacation since Friday.",
        "나는 아침마다 밥을 먹어",
        "매일 저녁 커피를 마셔",
    ],
)
def test_a_habit_that_is_no_medicine_is_not_one(text):
    assert analyse(text, "ko" if not text.isascii() else "en").attribute != "health"


def test_a_weight_told_with_its_unit_anywhere_in_the_line():
    fact = analyse("Nurse says I need to lose 15 pounds. I'm at 210.", "en")
    assert (fact.person, fact.attribute, fact.value) == ("me", "weight", "210")
    fact = analyse("요즘 체중이 64킬로예요", "ko")
    assert fact.attribute == "weight" and "64킬로" in fact.value
    assert analyse("I'm at 5 o'clock pickup today", "en").attribute != "weight"


def test_a_relations_name_said_tersely():
    fact = analyse("Brother's Marcus. He drives a truck.", "en")
    assert (fact.person, fact.attribute, fact.value) == ("brother", "name", "Marcus")


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("Forget my weight. My son reads this thing.", "my weight"),
        ("수영 다니는 얘기는 지워 줘. 이제 안 다녀.", "수영 다니는 얘기"),
        ("이제 안 만나. 민호 얘기는 지워 주세요", "민호 얘기"),
        ("so, the pills I told you about, could you forget that?", "the pills I told you about"),
    ],
)
def test_a_forget_names_its_own_sentence_not_the_reason(text, named):
    assert named_to_forget(text) == named


def test_a_forget_of_his_or_her_thing_reads_whose_from_the_whole_line():
    assert named_to_forget("saw my cousin Rob today. forget his address, we're done") is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("climbing gym was fun! met a guy named Omar who just moved here too", "Omar"),
        ("oh and Omar is vegan, so no meat at the barbecue", "Omar"),
        ("오늘 수영장에서 지영이라는 분을 만났어요. 동네 사람이래요", "지영"),
    ],
)
def test_someone_new_or_their_diet_is_kept_by_their_name(text, name):
    assert name in analyse(text, "ko" if not text.isascii() else "en").names
    assert _states_a_fact(text)


@pytest.mark.parametrize(
    "text",
    ["There is a vegan place on Main", "I met a lot of people today", "That is vegan, right"],
)
def test_no_one_named_is_no_one_kept(text):
    assert analyse(text, "en").names == ()


@pytest.mark.parametrize(
    "text",
    [
        "I quit smoking in June.",
        "I've been sober 90 days now.",
        "Left hip got replaced on the 3rd. Still stiff.",
        "나 작년에 무릎 수술 받았어",
        "남편이 작년에 백내장 수술을 했어요",
        "술 끊은 지 한 달 됐어.",
    ],
)
def test_a_habit_given_up_or_an_operation_is_a_health_fact(text):
    assert analyse(text, "ko" if not text.isascii() else "en").attribute == "health"
    assert _states_a_fact(text)


def test_a_thing_told_with_a_tag_asking_for_praise_is_told_not_asked():
    from datetime import datetime

    from earpiece.companion.route import refine
    from earpiece.nlu.act import Act
    from earpiece.nlu.model import Understanding

    now = datetime(2026, 12, 10, 15, 0).astimezone()
    for text in (
        "나 술 끊은 지 딱 한 달 됐다. 대단하지 않냐?",
        "I quit smoking in June. Not bad, huh?",
    ):
        lang = "en" if text.isascii() else "ko"
        for read in ("recall_fact", "remember_fact"):  # a question's mark read either way
            said = Understanding(text, lang, read, 0.7, "neutral", 0.0, act=Act.QUESTION)
            assert refine(said, None, now)[0].intent == "remember_fact", (text, read)
    asked = Understanding("우리 아들 이름 뭐였지?", "ko", "recall_fact", 0.7, "neutral", 0.0)
    assert refine(asked, None, now)[0].intent == "recall_fact"
    assert analyse("오늘 엄마가 술 한 잔 했어", "ko").attribute != "health"
