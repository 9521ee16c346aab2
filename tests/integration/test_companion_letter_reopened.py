"""A letter saved a moment ago is still the person's to change: 'add that …', 'take out the part
about …', 'change X to Y', '끝에 … 이거 넣어 줘', '…다는 말 한 줄 넣어 줘' reopen the latest letter
worked on within two days; a reminder's change, a line with no such words or a letter days old
are met as themselves. Also: 'Okay, that's all for now' ends dictation; 'Mr. Greer' is one
recipient; a Korean letter asked as '…한테 보낼 거 하나 쓰자' or a speech '축사' is a letter.
The lines are this file's own (issue 20, the letters of the seventh and eighth blind weeks)."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at


def _letter(companion) -> dict:
    rows = [b for _, b in companion.store.rows("letters")]
    assert len(rows) == 1, rows
    return rows[0]


def test_a_saved_letter_is_added_to_and_edited_by_lines_that_say_so(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("Help me write a letter to Mr. Okafor")
    assert _letter(companion)["recipient"] == "Mr. Okafor"
    companion.respond("Thank you for fixing the fence so quickly. You are always so punctual.")
    companion.respond("Okay, that's all for now")
    assert _letter(companion)["status"] == "saved"
    added = companion.respond("Add that we would love to have you over for dinner")
    assert added.intent == "write_letter" and added.outcome is Outcome.ACTED
    companion.respond("Take out the part about always so punctual")
    body = _letter(companion)["body"]
    assert "dinner" in body and "punctual" not in body and "Add that" not in body
    moved = companion.respond("change the alarm to 7")
    assert moved.intent != "write_letter" and "alarm" not in _letter(companion)["body"]


def test_a_korean_letter_is_asked_and_added_to_after_it_is_saved(make_companion):
    companion = make_companion(clock=at(8, 9))
    opened = companion.respond("관리실 소장님한테 보낼 거 하나 쓰자. 편지처럼 정중하게")
    assert opened.intent == "write_letter" and opened.outcome is Outcome.ACTED
    companion.respond("소장님 안녕하세요, 502호입니다. 복도 전등이 나갔어요.")
    companion.respond("다 됐어")
    companion.respond("끝에 항상 감사드립니다, 이거 하나 넣어줘")
    companion.respond("마지막에 이번 주 안에 봐 주시면 좋겠다는 말 한 줄 넣어줘")
    body = _letter(companion)["body"]
    assert "항상 감사드립니다" in body and "봐 주시면 좋겠다" in body and "넣어" not in body


def test_a_speech_asked_like_a_letter_is_a_letter(make_companion):
    companion = make_companion(clock=at(8, 9))
    asked = companion.respond("동생 결혼식 축사 좀 같이 써줄래?")
    assert asked.intent == "write_letter"  # whom it is for is asked first
    opened = companion.respond("동생 민지한테")
    assert opened.intent == "write_letter" and opened.outcome is Outcome.ACTED


def test_a_letter_days_old_or_a_line_with_no_such_words_is_not_reopened(make_companion):
    clock = at(8, 9)
    companion = make_companion(clock=clock)
    companion.respond("Write a letter to my aunt Rosa")
    companion.respond("Thank you for the scarf, it is lovely.")
    companion.respond("done")
    companion.respond("I had a long day at work")  # no words of adding: not the letter's
    assert "long day" not in _letter(companion)["body"]
    clock.advance(days=3)
    late = companion.respond("Add that I will visit in June")
    assert "June" not in _letter(companion)["body"] and late.intent != "write_letter"


def test_a_letter_named_again_days_later_is_taken_up_edited_and_read(make_companion):
    clock = at(8, 9)
    companion = make_companion(clock=clock)
    opened = companion.respond("I want to write a letter to my old friend Tomas")
    assert _letter(companion)["recipient"] == "Tomas", opened.text
    companion.respond("Tomas, it has been too long. You old dog.")
    companion.respond("done")
    clock.advance(days=4)  # past the two days of a bare 'add', within the week of a named one
    companion.respond("what time is it?")
    back = companion.respond("Let's get back to Tomas's letter. Add this: I still have your rod.")
    assert back.intent == "write_letter" and back.outcome is Outcome.ACTED
    companion.respond("Put at the bottom: See you soon, Carl.")
    read = companion.respond("Read me the whole thing.")
    body = _letter(companion)["body"]
    assert read.intent == "read_letter" and "your rod" in read.text
    assert "Let's get back" not in body and "Read me" not in body and body.endswith("Carl.")
    companion.respond("Okay, let's stop here")
    assert _letter(companion)["status"] == "saved"


def test_a_korean_letter_named_again_and_ended_for_later(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("딸 서연이한테 생일 편지 쓰자")
    companion.respond("서연아, 아빠다. 생일 축하한다.")
    companion.respond("다 됐어")
    companion.respond("지금 몇 시야?")
    companion.respond("서연이 편지 이어서 쓰자. 한 줄 넣어 줘. 아빠 배 엔진도 고쳤다, 걱정 마라.")
    ended = companion.respond("됐어, 나머진 나중에 쓸게.")
    body = _letter(companion)["body"]
    assert "엔진도 고쳤다" in body and "한 줄" not in body and "이어서" not in body
    assert "나머진" not in body and ended.intent == "write_letter"


def test_make_that_x_not_y_sets_the_wording_right(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("Write a letter to my manager Priya")
    companion.respond("Hi Priya, could I move my shift to Friday? Thanks, Sam.")
    companion.respond("Actually make that Samuel, not Sam.")
    assert "Samuel." in _letter(companion)["body"] and "Sam." not in _letter(companion)["body"]
