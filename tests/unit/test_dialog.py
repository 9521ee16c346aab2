"""The question in flight (companion/dialog.py): how long it waits, and which asks are a yes/no."""

from __future__ import annotations

from datetime import datetime, timedelta

from earpiece.companion import dialog
from tests.conftest import SEOUL

ASKED = datetime(2026, 12, 1, 9, 0, tzinfo=SEOUL)


def _state(kind: str, at: datetime = ASKED) -> dict:
    return {"pending": {"kind": kind}, "pending_at": at.isoformat(), "last_turn_at": None}


def test_a_question_waits_ten_minutes_then_the_next_line_is_a_new_one():
    state = _state("confirm")
    assert dialog.in_flight(state, ASKED + timedelta(minutes=9)) == {"kind": "confirm"}
    assert dialog.in_flight(state, ASKED + timedelta(minutes=11)) is None


def test_a_letter_being_dictated_waits_an_hour():
    state = _state("letter")
    assert dialog.in_flight(state, ASKED + timedelta(minutes=50)) == {"kind": "letter"}
    assert dialog.in_flight(state, ASKED + timedelta(minutes=61)) is None


def test_without_its_own_time_a_question_counts_from_the_last_turn():
    state = {"pending": {"kind": "remember_what"}, "last_turn_at": ASKED.isoformat()}
    assert dialog.in_flight(state, ASKED + timedelta(minutes=5)) is not None
    assert dialog.in_flight(state, ASKED + timedelta(minutes=15)) is None
    assert dialog.in_flight({"pending": None}, ASKED) is None


def test_only_the_asks_before_a_change_are_confirming():
    for kind in ("confirm", "forget_confirm", "cancel_confirm", "cancel_pick"):
        assert dialog.is_confirming({"kind": kind})
    for kind in ("letter", "mood_followup", "reminder_time", "safety"):
        assert not dialog.is_confirming({"kind": kind})
    assert not dialog.is_confirming(None)
