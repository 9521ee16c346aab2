"""What is rendered ahead is what the companion then says: the clock's replies this minute and
the next, and openings that hold the companion's name."""

from __future__ import annotations

from datetime import datetime

from earpiece.runtime.render_ahead import clock_phrases, opening_phrases
from earpiece.speech.tts import sentences
from tests.conftest import SEOUL, FakeClock


def _first(text: str) -> str:
    return sentences(text)[0]


def test_every_time_and_date_reply_opens_with_a_phrase_rendered_the_minute_before(make_companion):
    clock = FakeClock(datetime(2026, 12, 6, 23, 59, 50, tzinfo=SEOUL))
    companion = make_companion(clock=clock)
    ahead = clock_phrases(clock.now)  # what the clock thread holds at 23:59
    for question in ("What time is it?", "What's the date today?") * 3:  # every wording
        clock.advance(seconds=5)  # past midnight: the next minute, and the next day
        first = _first(companion.respond(question).text)
        assert first in ahead, first
        assert first in clock_phrases(clock.now)
    later = _first(companion.respond("What time is it?").text)
    clock.advance(minutes=2)
    assert later not in clock_phrases(clock.now)  # the minute gone by is dropped


def test_clock_phrases_are_few_and_each_is_one_sentence():
    phrases = clock_phrases(datetime(2026, 12, 6, 15, 15))
    assert len(phrases) <= 12  # the memory they hold stays bounded
    assert all(sentences(p) == [p] and "{" not in p for p in phrases)
    assert {"It's 3:15 PM.", "It's 3:16 PM."} <= set(phrases)


def test_openings_with_the_companions_name_are_rendered_ahead(make_companion):
    companion = make_companion()
    name = companion.settings.companion.name_en
    phrases = opening_phrases({"name": name})
    for question in ("Who are you?", "What's your name?") * 2:
        first = _first(companion.respond(question).text)
        assert name in first and first in phrases, first
    assert not any("{" in p for p in phrases)
    assert not any(name in p for p in opening_phrases())  # only when it is known
