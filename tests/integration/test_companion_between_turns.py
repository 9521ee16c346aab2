"""What the device runtime asks the companion between turns, through its methods (the runtime
never reads the companion's dialog state or store itself)."""

from __future__ import annotations

from datetime import datetime

import pytest

from earpiece.companion.outcome import Outcome
from tests.conftest import SEOUL, FakeClock

pytestmark = pytest.mark.integration


def test_the_question_in_flight_is_its_kind_until_answered_or_expired(make_companion):
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL))
    companion = make_companion(clock=clock)
    assert companion.question_kind() is None
    companion.respond("remember that my locker code is 4512")
    assert companion.respond("forget my locker code").outcome is Outcome.CONFIRMING
    assert companion.question_kind() == "forget_confirm"
    clock.advance(hours=2)  # the next turn would not be taken as its answer
    assert companion.question_kind() is None


def test_an_answered_question_is_no_longer_in_flight(make_companion):
    companion = make_companion()
    companion.respond("remember that my locker code is 4512")
    companion.respond("forget my locker code")
    companion.respond("yes")
    assert companion.question_kind() is None


def test_the_words_to_hear_are_its_names_what_was_told_and_pending_reminders(make_companion):
    companion = make_companion()
    names = companion.settings.companion
    companion.respond("my daughter's name is Jiwoo")
    companion.respond("remind me to water the plants at 5 pm")
    words = companion.words_to_hear()
    assert {names.name_ko, names.name_en} <= set(words)
    assert "daughter" in words  # a fact's value
    assert "Jiwoo" in words  # and its detail, where a told name is kept
    assert "water the plants" in words
    companion.respond("forget my daughter's name")
    companion.respond("yes")
    assert not {"daughter", "Jiwoo"} & set(companion.words_to_hear())
