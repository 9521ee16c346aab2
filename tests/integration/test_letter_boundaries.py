"""Where a dictated letter ends: a line of thanks or love to its reader is written (not met as
the person's own crisis), a request to the device said outright is done and not written, a
thanks said after a pause is the companion's; a farewell letter is still asked about. The
lines are this file's own."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at


def _body(companion) -> str:
    (letter,) = [b for _, b in companion.store.rows("letters")]
    return str(letter["body"])


def test_a_korean_line_of_thanks_is_written_and_read_back(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("지호한테 편지 쓰고 싶어")
    written = companion.respond("그때 네가 없었으면 난 아무것도 못 했을 거야. 정말 고마워")
    assert written.intent == "write_letter" and written.danger == "none"
    assert "아무것도 못 했을" in _body(companion)
    read = companion.respond("방금 쓴 편지 읽어 줘")
    assert read.intent == "read_letter" and "고마워" in read.text


def test_an_english_line_of_love_is_written(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("I want to write a letter to my uncle Ray.")
    written = companion.respond(
        "If you hadn't been there I could not have gotten through it. Thank you, I love you."
    )
    assert written.intent == "write_letter" and written.danger == "none"
    assert "gotten through it" in _body(companion)


def test_a_farewell_letter_is_still_met_with_the_crisis_line(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("I want to write a letter to my uncle Ray.")
    met = companion.respond("I'm sorry for everything. Thank you for all of it. Goodbye.")
    assert met.danger != "none" and "988" in met.text


def test_a_sync_or_the_volume_asked_while_writing_is_done_not_written(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("지호한테 편지 쓰고 싶어")
    companion.respond("요즘 날씨가 많이 춥다. 감기 조심해")
    synced = companion.respond("노트북이랑 동기화 좀 해 줘")
    assert synced.intent == "sync_now"
    louder = companion.respond("볼륨 좀 올려 줘")
    assert louder.intent == "volume_up"
    assert "동기화" not in _body(companion) and "볼륨" not in _body(companion)


def test_thanks_after_a_pause_is_for_the_companion_and_right_after_a_line_is_written(
    make_companion,
):
    clock = at(8, 20)
    companion = make_companion(clock=clock)
    companion.respond("I want to write a letter to my uncle Ray.")
    clock.advance(minutes=1)
    companion.respond("The garden looks great this year.")
    clock.advance(minutes=1)
    companion.respond("Thanks for the seeds you sent.")
    assert "seeds" in _body(companion)  # thanks in the letter, said as the letter goes
    clock.advance(minutes=15)
    thanked = companion.respond("Thanks, you did great today.")
    assert thanked.intent in ("thanks", "goodbye") and thanked.outcome is not Outcome.ACTED
    assert "did great" not in _body(companion)


def test_a_line_met_with_the_check_in_goes_into_the_letter_after_a_no(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("I want to write a letter to my brother Sam.")
    checked = companion.respond("I don't know how much longer I can keep doing this alone.")
    assert checked.danger != "none" and "988" in checked.text  # asked first, the line held
    assert "how much longer" not in _body(companion)
    companion.respond("no")
    assert "how much longer" in _body(companion)
    read = companion.respond("read it back")
    assert read.intent == "read_letter" and "how much longer" in read.text


def test_a_sync_asked_after_reading_it_back_leaves_the_letter_as_it_was_read(make_companion):
    companion = make_companion(clock=at(8, 20))
    companion.respond("I want to write a letter to my uncle Ray.")
    companion.respond("The garden looks great this year.")
    companion.respond("read it back to me")
    before = dict(_letter_row(companion))
    synced = companion.respond("sync with the home server please")
    assert synced.intent == "sync_now" and _letter_row(companion) == before


def _letter_row(companion) -> dict:
    (letter,) = [b for _, b in companion.store.rows("letters")]
    return letter
