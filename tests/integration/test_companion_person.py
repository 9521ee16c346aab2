"""Issue 9: the companion as a person uses it (real NLU, encoder and SQLite; ko and en)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from earpiece.companion.outcome import Certainty, Outcome
from earpiece.store.database import StoreError
from tests.conftest import SEOUL, FakeClock
from tests.integration.test_companion import says

pytestmark = pytest.mark.integration
UNSURE = Certainty.UNSURE


def at(day: int, hour: int, minute: int = 0) -> FakeClock:
    return FakeClock(datetime(2026, 12, day, hour, minute, tzinfo=SEOUL))


def reminders(companion) -> list[dict]:
    rows = companion.store.rows("reminders", "status = 'pending'")
    return sorted((b for _, b in rows), key=lambda b: b["due_at"])


def nothing_kept(companion) -> bool:
    return companion.store.count("facts") == 0 and not reminders(companion)


# --- safety first


@pytest.mark.parametrize(
    ("text", "number", "words"),
    [
        ("I want to kill myself", "988", "nine eight eight"),
        ("I want to die", "988", "nine eight eight"),
        ("I don't want to be here anymore", "988", "nine eight eight"),
        ("죽고 싶어", "109", "일 공 구"),
        ("사라지고 싶어", "109", "일 공 구"),
    ],
)
def test_crisis_statements_get_a_warm_reply_with_the_crisis_line(make_companion, text, number,
                                                                 words):  # fmt: skip
    companion = make_companion()
    reply = companion.respond(text)
    assert number in reply.text and words in reply.text
    assert reply.outcome is not Outcome.ACTED and nothing_kept(companion)


def test_a_crisis_is_never_a_fact_or_an_answer_even_mid_conversation(make_companion):
    companion = make_companion()
    companion.respond("오늘 너무 힘들었어")  # the companion asks back
    reply = companion.respond("그냥 다 끝내고 싶어")
    assert "109" in reply.text and companion.store.count("facts") == 0


def test_medical_emergencies_and_numbers_come_from_config(make_companion, tmp_path: Path):
    conf = tmp_path / "safety.toml"
    conf.write_text('[safety]\ncrisis_en = "116123"\nemergency_en = "112"\n', "utf-8")
    companion = make_companion(config=conf)
    assert "112" in companion.respond("I can't breathe").text
    crisis = companion.respond("I want to end my life")
    assert "116123" in crisis.text and "one one six one two three" in crisis.text
    assert "119" in make_companion(tmp_path / "b").respond("가슴이 너무 아파").text


# --- memory by meaning


def test_facts_are_found_by_relation_and_attribute_in_other_words(make_companion):
    companion = make_companion()
    companion.respond("my dads name is Raj")
    companion.respond("my mom's name is Anita")
    assert "Raj" in companion.respond("what's my father's name").text
    bday = companion.respond("when's mom's bday")
    assert "Anita" not in bday.text and says(bday.text, "recall_unknown")
    companion.respond("my mom's birthday is May 8")
    assert "May 8" in companion.respond("when is my mother's birthday?").text


def test_korean_relations_and_honorifics_are_one_relation(make_companion):
    companion = make_companion()
    companion.respond("우리 언니 생일은 3월 2일이야 기억해 줘")
    companion.respond("울엄마 생신은 5월 8일이야 기억해 줘")
    companion.respond("손자 이름은 민준이야")
    assert "5월 8일" in (r := companion.respond("울엄마 생신 언제였더라").text) and "3월" not in r
    assert "민준" in companion.respond("손주 이름 뭐였지").text


def test_the_companions_name_is_about_the_companion(make_companion):
    companion = make_companion()
    companion.respond("my name is Theodore")
    reply = companion.respond("whats ur name")
    assert "Samantha" in reply.text and "Theodore" not in reply.text


def test_allergies_are_checked_for_food_and_drug_questions(make_companion):
    companion = make_companion()
    companion.respond("i'm allergic to shellfish")
    assert says(companion.respond("is it ok if i eat shrimp").text, "allergy_warn")
    ko = companion.respond("새우 먹어도 되나요")
    assert "shellfish" in ko.text and ko.lang == "ko" and ko.outcome is Outcome.ANSWERED
    assert companion.store.count("facts") == 1  # the question was not kept
    assert "shellfish" in companion.respond("나 알레르기 뭐 있었지").text
    assert says(companion.respond("can I have some bread?").text, "allergy_none")


def test_a_fact_said_without_a_key_word_is_found_by_meaning(make_companion):
    companion = make_companion()
    companion.respond("remember that the spare key is under the blue flowerpot")
    assert "flowerpot" in companion.respond("where did I hide the extra key?").text


@pytest.mark.parametrize(
    "lines", [["hi", "몰라"], ["hello", "i feel lonely"], ["안녕하세요", "딸이 바빠서요"]]
)
def test_only_what_was_meant_to_be_kept_is_kept(make_companion, lines):
    companion = make_companion()
    for line in lines:
        reply = companion.respond(line)
        assert not says(reply.text, "answer_kept", reply.lang)
    assert companion.store.count("facts") == 0


def test_recall_does_not_repeat_filler_back(make_companion):
    companion = make_companion()
    companion.respond("i'm allergic to peanuts btw")
    reply = companion.respond("what am i allergic to")
    assert "peanuts" in reply.text and "btw" not in reply.text


# --- reminders that are right


def test_mixed_korean_english_time_and_a_wake_up_in_the_morning(make_companion):
    companion = make_companion(clock=at(1, 7, 52))
    companion.respond("내일 7am에 gym 가라고 알려줘")
    companion.respond("wake me up at 6")
    dues = {r["what"]: r["due_at"] for r in reminders(companion)}
    assert dues["wake up"] == "2026-12-02T06:00+09:00"
    assert any(w.startswith("gym") and d == "2026-12-02T07:00+09:00" for w, d in dues.items())


def test_weekday_half_an_hour_and_today_past_asks(make_companion):
    companion = make_companion(clock=at(1, 9, 0))
    companion.respond("금요일에 보고서 내는 거 알려줘")
    companion.respond("remind me in like half an hour to stretch")
    asked = companion.respond("remind me today at 8 am to eat")
    assert asked.outcome is Outcome.CONFIRMING and says(asked.text, "reminder_past_today")
    dues = sorted(r["due_at"] for r in reminders(companion))
    assert dues == ["2026-12-01T09:30+09:00", "2026-12-04T09:00+09:00"]
    companion.respond("yes")
    assert "2026-12-02T08:00+09:00" in [r["due_at"] for r in reminders(companion)]


def test_two_requests_make_two_reminders_without_the_feeling(make_companion):
    companion = make_companion(clock=at(1, 9, 0))
    companion.respond("remind me to call mom at 5 and to take my pills at 9")
    companion.respond("시험 때문에 너무 불안한데 내일 9시에 공부하라고 알려줘")
    whats = [r["what"] for r in reminders(companion)]
    assert len(whats) == 3 and "call mom" in whats and "take my pills" in whats
    assert "공부하기" in whats and not any("불안" in w for w in whats)


def test_corrections_move_the_last_reminder_and_okay_means_a_change(make_companion):
    clock = at(1, 9, 0)
    companion = make_companion(clock=clock)
    companion.respond("remind me to call mom at 5 pm")
    clock.advance(minutes=1)
    companion.respond("remind me to water the plants at 7 pm")
    clock.advance(minutes=1)
    moved = companion.respond("wait no make it 8")
    assert moved.outcome is Outcome.ACTED and says(moved.text, "reminder_changed")
    dues = {r["what"]: r["due_at"] for r in reminders(companion)}
    assert dues == {"call mom": "2026-12-01T17:00+09:00",
                    "water the plants": "2026-12-01T20:00+09:00"}  # fmt: skip
    clock.advance(minutes=1)
    companion.respond("아니 9시로")
    assert {r["due_at"] for r in reminders(companion)} >= {"2026-12-01T21:00+09:00"}
    nothing = companion.respond("stop")
    assert nothing.outcome is not Outcome.ACTED and not nothing.text.startswith("Okay")


def test_cancel_asks_which_when_several_fit_and_by_time(make_companion):
    clock = at(1, 9, 0)
    companion = make_companion(clock=clock)
    for line in ("remind me to call mom at 5 pm", "remind me to call the dentist at 3 pm",
                 "remind me to water the plants at 8 pm"):  # fmt: skip
        companion.respond(line)
        clock.advance(minutes=1)
    ask = companion.respond("cancel the call reminder")
    assert ask.outcome is Outcome.CONFIRMING and len(reminders(companion)) == 3
    assert "call the dentist" in companion.respond("the dentist one").text
    assert [r["what"] for r in reminders(companion)] == ["call mom", "water the plants"]
    companion.respond("cancel the one at 8")
    assert [r["what"] for r in reminders(companion)] == ["call mom"]


def test_missed_reminders_say_when_they_were_due(make_companion, tmp_path: Path):
    clock = at(1, 9, 0)
    make_companion(tmp_path / "s", clock).respond("remind me to take my pills at 10 am")
    clock.now = datetime(2026, 12, 3, 8, 0, tzinfo=SEOUL)
    missed = make_companion(tmp_path / "s", clock).missed_reminders()
    assert len(missed) == 1 and "on Tuesday, December 1 at 10:00 AM" in missed[0]


# --- days, greetings, questions that expire


def test_a_hard_day_is_followed_up_whatever_the_first_turn_is(make_companion):
    clock = at(1, 21, 0)
    companion = make_companion(clock=clock)
    companion.respond("I'm so sad today, my dog died")  # asks back; left unanswered
    clock.now = datetime(2026, 12, 2, 7, 47, tzinfo=SEOUL)
    morning = companion.respond("good morning")
    assert says(morning.text, "greet_morning") and says(morning.text, "followup_sadness")
    assert companion.store.count("facts") == 0  # yesterday's question did not take the hello


def test_greetings_fit_the_time_of_day(make_companion):
    clock = at(1, 8, 0)
    companion = make_companion(clock=clock)
    assert says(companion.respond("hi").text, "greet_morning")
    clock.now = clock.now.replace(hour=19)
    assert says(companion.respond("안녕").text, "greet_evening", "ko")


def test_a_pending_question_expires(make_companion):
    clock = at(1, 9, 0)
    companion = make_companion(clock=clock)
    companion.respond("remember that my locker code is 4512")
    assert companion.respond("forget my locker code").outcome is Outcome.CONFIRMING
    clock.advance(hours=2)
    companion.respond("yes")  # two hours later, a yes to something else
    assert companion.store.count("facts") == 1


# --- talk like a companion


@pytest.mark.parametrize(
    ("text", "key"),
    [("심심해 놀아줘", "chat_bored"), ("배고파", "chat_hungry"), ("그냥 좀 쉬고싶어", "chat_rest"),
     ("I'm bored", "chat_bored"), ("cya", "goodbye"), ("ㅂㅂ", "goodbye")],
)  # fmt: skip
def test_ordinary_talk_gets_a_fitting_warm_answer(make_companion, text, key):
    reply = make_companion().respond(text)
    assert says(reply.text, key, reply.lang) and not says(reply.text, "unknown", reply.lang)


def test_another_one_after_a_joke_and_replies_follow_hangul(make_companion):
    companion = make_companion()
    first = companion.respond("tell me a joke")
    second = companion.respond("another one")
    assert second.intent == "tell_joke" and second.text != first.text
    mixed = companion.respond("오늘 meeting 너무 stressful 했어")
    assert mixed.lang == "ko" and re.search(r"[가-힣]", mixed.text)


# --- certainty: unsure speech asks before changing anything


@pytest.mark.parametrize(
    ("text", "table"),
    [("remind me to water the plants in 30 minutes", "reminders"),
     ("30분 뒤에 물 주라고 알려줘", "reminders"), ("remember that my locker code is 4512", "facts"),
     ("louder please", "settings"), ("I want to write a letter to Jisoo", "letters")],
)  # fmt: skip
def test_unsure_speech_asks_and_yes_does_it_no_drops_it(make_companion, tmp_path, text, table):
    companion = make_companion(tmp_path / "a")
    asked = companion.respond(text, certainty=UNSURE)
    assert asked.outcome is Outcome.CONFIRMING and "?" in asked.text
    assert companion.store.count(table) == 0
    assert companion.respond("yes" if asked.lang == "en" else "응").outcome is Outcome.ACTED
    assert companion.store.count(table) == 1
    other = make_companion(tmp_path / "b")
    other.respond(text, certainty=UNSURE)
    assert other.respond("no" if asked.lang == "en" else "아니").outcome is Outcome.ANSWERED
    assert other.store.count(table) == 0


def test_unsure_korean_reminder_question_names_time_and_task(make_companion):
    companion = make_companion(clock=at(1, 14, 10))
    asked = companion.respond("30분 뒤에 물 주라고 알려줘", certainty=UNSURE)
    assert "오후 2시 40분" in asked.text and "물 주기" in asked.text


def test_unsure_harmless_questions_are_answered(make_companion):
    reply = make_companion().respond("what time is it", certainty=UNSURE)
    assert reply.outcome is Outcome.ANSWERED and "2:10 PM" in reply.text


def test_forget_always_asks_and_a_long_remember_is_never_a_forget(make_companion):
    companion = make_companion()
    companion.respond("remember that my locker code is 4512")
    ask = companion.respond("forget my locker code")
    assert ask.outcome is Outcome.CONFIRMING and companion.store.count("facts") == 1
    companion.respond("no")
    long = "remember that " + "my garden has tomatoes and beans and I water it daily " * 8
    companion.respond(long[:600])
    assert companion.store.count("facts") >= 1
    assert "4512" in companion.respond("what's my locker code").text


def test_a_failed_commit_leaves_the_dialog_as_it_was(make_companion, monkeypatch):
    companion = make_companion()
    before = dict(companion.state)

    def fail(changes):
        raise StoreError("disk full")

    monkeypatch.setattr(companion.store, "commit", fail)
    with pytest.raises(StoreError):
        companion.respond("remind me to call mom")  # would ask 'when?' and wait for it
    assert companion.state == before
    monkeypatch.undo()
    reply = companion.respond("hello")
    assert reply.intent == "greet" and companion.store.count("reminders") == 0


def test_a_yes_with_a_but_is_not_a_yes(make_companion):
    companion = make_companion()
    companion.respond("remind me to water the plants in 30 minutes", certainty=UNSURE)
    companion.respond("yes but not now")
    assert companion.store.count("reminders") == 0


def test_an_unsure_pick_of_which_reminder_to_cancel_asks_again(make_companion):
    clock = at(1, 9, 0)
    companion = make_companion(clock=clock)
    for line in ("remind me to call mom at 5 pm", "remind me to call the dentist at 3 pm"):
        companion.respond(line)
        clock.advance(minutes=1)
    companion.respond("cancel the call reminder")
    asked = companion.respond("the dentist one", certainty=UNSURE)
    assert asked.outcome is Outcome.CONFIRMING and len(reminders(companion)) == 2
    companion.respond("yes")
    assert [r["what"] for r in reminders(companion)] == ["call mom"]


def test_an_unsure_line_of_a_letter_is_read_back_before_it_is_written(make_companion):
    companion = make_companion()
    companion.respond("I want to write a letter to Jisoo")
    asked = companion.respond("I miss our walks", certainty=UNSURE)
    assert asked.outcome is Outcome.CONFIRMING and "I miss our walks" in asked.text
    companion.respond("yes")
    companion.respond("see you soon", certainty=UNSURE)
    companion.respond("no")
    done = companion.respond("done")
    assert "I miss our walks" in done.text and "see you soon" not in done.text


def test_okay_is_said_only_when_something_changed(make_companion):
    clock = at(1, 9, 0)
    companion = make_companion(clock=clock)
    lines = ["hi", "yes", "no", "stop", "remind me to call mom at 5 pm", "wait no make it 6",
             "make it 7", "cancel my reminders", "no", "remember that I love jazz", "thanks",
             "forget what I said about jazz", "no", "louder", "tell me a joke", "ok"]  # fmt: skip
    for line in lines:
        clock.advance(minutes=1)
        reply = companion.respond(line)
        if reply.text.startswith("Okay"):
            assert reply.outcome is Outcome.ACTED, (line, reply.text)
