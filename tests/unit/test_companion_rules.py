"""The companion's parsers: facts with their structure, safety rules, reminder requests, times."""

from __future__ import annotations

from datetime import datetime

import pytest

from earpiece.companion import facts, memory, reminders, safety, timefmt
from earpiece.companion.route import Route, refine
from earpiece.nlu import safety as detect
from earpiece.nlu.act import speech_act
from earpiece.nlu.model import Understanding
from earpiece.nlu.timeparse import resolve_when
from tests.conftest import SEOUL

MORNING = datetime(2026, 12, 1, 7, 52, tzinfo=SEOUL)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "lang", "person", "attribute", "value"),
    [
        ("my dads name is Raj", "en", "father", "name", "Raj"),
        ("my mom's birthday is March 3rd", "en", "mother", "birthday", "March 3rd"),
        ("my granddaughter is called Mia", "en", "grandchild", "name", "Mia"),
        ("i'm allergic to shellfish", "en", "me", "allergy", "shellfish"),
        ("i have a peanut allergy", "en", "me", "allergy", "peanut"),
        ("my name is Theodore", "en", "me", "name", "Theodore"),
        ("I love jazz", "en", "me", "like", "jazz"),
        ("우리 언니 이름은 지수야", "ko", "sister", "name", "지수"),
        ("울엄마 생신은 5월 8일이야", "ko", "mother", "birthday", "5월 8일"),
        ("손주 이름은 민준이야", "ko", "grandchild", "name", "민준"),
        ("저는 땅콩 알레르기가 있어요", "ko", "me", "allergy", "땅콩"),
        ("내 생일은 삼월 오일이야", "ko", "me", "birthday", "삼월 오일"),
    ],
)
def test_facts_get_person_attribute_and_value(text, lang, person, attribute, value):
    fact = memory.analyse(text, lang)
    assert (fact.person, fact.attribute, fact.value) == (person, attribute, value)


@pytest.mark.parametrize(
    ("question", "relation", "attribute"),
    [
        ("what's my father's name", "father", "name"),
        ("when's mom's bday", "mother", "birthday"),
        ("울엄마 생신 언제였더라", "mother", "birthday"),
        ("손주 이름 뭐였지", "grandchild", "name"),
        ("what am i allergic to", "", "allergy"),
        ("when is my boy's birthday", "son", "birthday"),
    ],
)
def test_questions_name_the_relation_and_attribute_in_any_words(question, relation, attribute):
    assert memory.mentions(question) == (relation, attribute)


def test_relation_synonyms_are_one_relation_in_both_languages():
    assert {memory.relation(w) for w in ("엄마", "어머니", "mom", "mother", "mum")} == {"mother"}
    assert {memory.relation(w) for w in ("아빠", "아버지", "dad", "dads", "father's")} == {"father"}
    assert {memory.relation(w) for w in ("손자", "손녀", "손주", "grandson")} == {"grandchild"}


def test_a_fact_is_said_back_without_its_filler():
    body = {"text": "i'm allergic to peanuts btw", "lang": "en", "kind": "allergy",
            "value": "peanuts btw", "person": "me", "attribute": "allergy"}  # fmt: skip
    assert facts.spoken(body, "en") == "you're allergic to peanuts"


@pytest.mark.parametrize(
    ("text", "item"),
    [("is it ok if i eat shrimp", "shrimp"),
     ("can I take amoxicillin for my tooth?", "amoxicillin"),
     ("새우 먹어도 되나요", "새우"), ("아몬드 먹어도 괜찮을까요?", "아몬드")],
)  # fmt: skip
def test_the_food_or_drug_a_question_is_about(text, item):
    assert facts.food_item(text) == item


def test_an_allergy_speaks_against_the_foods_of_its_group():
    assert facts.reacts("shrimp", "shellfish") and facts.reacts("새우", "갑각류")
    assert facts.reacts("아몬드", "땅콩") and facts.reacts("amoxicillin", "penicillin")


@pytest.mark.parametrize(
    "text",
    [
        "I want to kill myself", "I want to die", "I don't want to be here anymore",
        "죽고 싶어", "사라지고 싶어", "살기 싫어", "I've been cutting myself again",
        "everyone would be better off without me", "나만 없으면 우리 가족 다 행복할 텐데",
    ],
)  # fmt: skip
def test_crisis_statements_are_found_by_the_rules_alone(text):
    assert detect.danger(text, intent="greet") is detect.Danger.CRISIS  # greet: no model layer


@pytest.mark.parametrize(
    "text",
    ["가슴이 너무 아파", "I can't breathe", "숨을 쉴 수가 없어", "my husband isn't breathing"],
)
def test_medical_emergencies_are_found(text):
    assert detect.danger(text, intent="greet") is detect.Danger.EMERGENCY


@pytest.mark.parametrize(
    "text",
    ["배고파 죽겠어", "더워 죽겠다", "I'm dying to see the new movie", "this traffic is killing me",
     "end it there", "remind me to wake up at 7", "전복죽 먹고 싶다"],
)  # fmt: skip
def test_figures_of_speech_are_not_a_crisis(text):
    assert detect.danger(text, intent="greet") is None


def test_crisis_lines_are_said_in_words_and_digits():
    assert safety.in_words("109", "ko") == "일 공 구"
    assert safety.in_words("988", "en") == "nine eight eight"


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("내일 7am에 gym 가라고 알려줘", "ko", "2026-12-02T07:00"),
        ("remind me in like half an hour to stretch", "en", "2026-12-01T08:22"),
        ("in about 20 minutes", "en", "2026-12-01T08:12"),
        ("금요일에 보고서 내는 거 알려줘", "ko", "2026-12-04T09:00"),
    ],
)
def test_times_said_the_way_people_say_them(text, lang, expected):
    assert resolve_when(text, lang, MORNING).isoformat(timespec="minutes")[:16] == expected


def test_a_wake_up_hour_without_am_or_pm_is_a_morning_hour():
    assert resolve_when("wake me up at 6", "en", MORNING, morning=True).isoformat()[:16] == (
        "2026-12-02T06:00"
    )
    assert resolve_when("6시에 깨워줘", "ko", MORNING, morning=True).hour == 6


def test_missed_reminders_say_the_day_they_were_due():
    due = datetime(2026, 11, 30, 9, 0, tzinfo=SEOUL)
    assert timefmt.when(due, MORNING, "en") == "yesterday at 9:00 AM"
    assert timefmt.when(due, MORNING, "ko") == "어제 오전 9시"


@pytest.mark.parametrize(
    ("text", "lang", "clauses"),
    [
        ("remind me to call mom at 5 and to take my pills at 9", "en",
         ["remind me to call mom at 5", "remind me to take my pills at 9"]),
        ("5시에 엄마한테 전화하라고 하고 9시에 약 먹으라고 알려줘", "ko",
         ["5시에 엄마한테 전화하라고 알려줘", "9시에 약 먹으라고 알려줘"]),
        ("I'm worried about my exam. remind me to study at 7", "en",
         ["remind me to study at 7"]),
        ("시험 때문에 너무 불안한데 내일 9시에 공부하라고 알려줘", "ko",
         ["내일 9시에 공부하라고 알려줘"]),
    ],
)  # fmt: skip
def test_requests_are_split_from_each_other_and_from_the_feeling(text, lang, clauses):
    assert reminders.request_clauses(text, lang) == clauses


def _u(text: str, intent: str, lang: str = "en") -> Understanding:
    return Understanding(text, lang, intent, 0.9, "neutral", 0.9, {}, speech_act(text, lang))


@pytest.mark.parametrize(
    ("text", "intent", "lang", "route", "new_intent"),
    [
        ("cya", "unknown", "en", Route.INTENT, "goodbye"),
        ("ㅂㅂ", "unknown", "ko", Route.INTENT, "goodbye"),
        ("whats ur name", "recall_fact", "en", Route.COMPANION_NAME, "ask_companion"),
        ("wait no make it 8", "stop", "en", Route.CHANGE_REMINDER, "stop"),
        ("아니 8시로", "deny", "ko", Route.CHANGE_REMINDER, "deny"),
        ("is it ok if i eat shrimp", "ask_time", "en", Route.FOOD_CHECK, "ask_time"),
        ("나 알레르기 뭐 있었지", "list_reminders", "ko", Route.ALLERGY_LIST, "list_reminders"),
        ("새우 먹어도 되나요", "remember_fact", "ko", Route.FOOD_CHECK, "remember_fact"),
        ("금요일에 보고서 내는 거 알려줘", "ask_date", "ko", Route.INTENT, "set_reminder"),
        ("cancel the one at 8", "stop", "en", Route.INTENT, "cancel_reminder"),
        ("심심해 놀아줘", "unknown", "ko", Route.BORED, "unknown"),
        ("배고파", "unknown", "ko", Route.HUNGRY, "unknown"),
        ("그냥 좀 쉬고싶어", "unknown", "ko", Route.REST, "unknown"),
        ("몰라", "share_feeling", "ko", Route.FILLER, "share_feeling"),
    ],
)
def test_rules_settle_what_the_model_cannot(text, intent, lang, route, new_intent):
    refined, found = refine(_u(text, intent, lang), None, MORNING)
    assert (found, refined.intent) == (route, new_intent)


def test_another_one_after_a_joke_is_another_joke():
    refined, _ = refine(_u("another one", "share_feeling"), "tell_joke", MORNING)
    assert refined.intent == "tell_joke"


def test_a_question_is_never_kept_as_a_fact():
    refined, _ = refine(_u("did I tell you my locker code?", "remember_fact"), None, MORNING)
    assert refined.intent == "recall_fact"
