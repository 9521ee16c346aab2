"""A fact told in a line the act model takes for a question (a polite Korean statement with no
question in it) is kept and recalled by what is asked; a real question is not kept. The lines
are this file's own."""

from __future__ import annotations

from tests.integration.test_companion_week import at


def _facts(companion) -> str:
    return " ".join(str(b["text"]) for _, b in companion.store.rows("facts"))


def test_a_birthday_told_politely_is_kept_and_recalled(make_companion):
    companion = make_companion(clock=at(8, 9))
    told = companion.respond("손자 민재 생일이 3월 11일이에요. 이번에 열 살이 돼요")
    assert told.intent == "remember_fact" and "3월 11일" in _facts(companion)
    asked = companion.respond("민재 생일이 언제라고 했지요?")
    assert asked.intent == "recall_fact" and "3월 11일" in asked.text


def test_a_question_without_a_mark_is_still_not_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 고양이 이름은 두부야")
    asked = companion.respond("우리 고양이 이름이 뭐였더라")
    assert asked.intent == "recall_fact" and "두부" in asked.text
    assert _facts(companion).count("두부") == 1


def test_a_job_told_as_what_one_is_answers_where_one_works(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("I'm a line cook at Harbor Grill, been there six years.")
    companion.respond("I'm a bit late for the dentist today.")
    asked = companion.respond("Where'd I say I work again? Just checking you listen.")
    assert asked.intent == "recall_fact" and "Harbor Grill" in asked.text
    assert "dentist" not in asked.text


def test_a_job_told_as_what_one_does_for_a_company_is_where_one_works(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("I do payroll for Lakeside Foods, nine years now.")
    companion.respond("I do it for the kids, mostly.")
    asked = companion.respond("where do I work?")
    assert "Lakeside" in asked.text and "kids" not in asked.text


def test_do_you_know_my_thing_is_asked_not_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    asked = companion.respond("제 생일도 아세요?")
    assert asked.intent == "recall_fact" and companion.store.rows("facts") == []
    companion.respond("제 생일은 9월 14일이에요")
    again = companion.respond("제 생일 아세요?")
    assert again.intent == "recall_fact" and "9월 14일" in again.text
    for line in ("제 안경 도수도 아세요?", "제 고향도 아세요?", "제 취미도 아세요?"):
        assert companion.respond(line).intent == "recall_fact"
    assert len(companion.store.rows("facts")) == 1


def test_a_thing_of_someone_never_told_is_said_honestly(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My grandson Theo is eleven.")
    asked = companion.respond("You know what size shoes Theo wears? Need to get him boots.")
    assert asked.intent == "recall_fact" and "eleven" not in asked.text
    assert "eleven" in companion.respond("How old is Theo?").text


def test_do_you_know_how_i_feel_is_no_fact_asked(make_companion):
    companion = make_companion(clock=at(8, 9))
    for line in ("내 마음 알아?", "제 마음 아세요?", "do you know how I feel?"):
        assert companion.respond(line).intent == "share_feeling", line
    assert companion.store.rows("facts") == []
