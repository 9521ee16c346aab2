"""A device whose clock is not trusted says so instead of a wrong time; reminders keep order."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from earpiece import clock
from earpiece.clock import ClockEvidence
from tests.conftest import SEOUL, FakeClock
from tests.integration.test_companion import says

pytestmark = pytest.mark.integration


@pytest.fixture
def booted_offline(monkeypatch: pytest.MonkeyPatch):
    """The system clock reads 1970 and nothing has synchronised it (a Pi without network)."""
    evidence = ClockEvidence(datetime(1970, 1, 1, 0, 1, tzinfo=UTC), kernel_synced=False)
    monkeypatch.setattr(clock, "_evidence", lambda: evidence)
    clock.forget_remote_time()
    yield
    clock.forget_remote_time()


@pytest.fixture
def system_companion(nlu_model, tmp_path: Path):
    """A Companion on the real clock path (no injected clock), as `earpiece run` builds it."""
    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.store.database import Store

    store = Store.open(tmp_path / "state")
    yield Companion(store, nlu_model, load_settings(None), rng=random.Random(3))
    store.close()


@pytest.mark.parametrize(
    ("said", "intent", "key", "lang"),
    [
        ("what time is it", "ask_time", "clock_unsure_time", "en"),
        ("지금 몇 시야", "ask_time", "clock_unsure_time", "ko"),
        ("what's the date today", "ask_date", "clock_unsure_date", "en"),
        ("오늘 며칠이야", "ask_date", "clock_unsure_date", "ko"),
    ],
)
def test_untrusted_clock_says_so_instead_of_a_time(
    said, intent, key, lang, booted_offline, system_companion
):
    reply = system_companion.respond(said)
    assert reply.intent == intent
    assert says(reply.text, key, lang), reply.text
    assert "1970" not in reply.text and "12:01" not in reply.text


def test_home_server_time_makes_the_time_sayable_again(booted_offline, system_companion):
    clock.observe_remote_time(datetime(2026, 12, 1, 6, 5, tzinfo=UTC), "home")  # 15:05 in Seoul
    from earpiece.companion import timefmt

    reply = system_companion.respond("what time is it")
    assert says(reply.text, "ask_time"), reply.text
    expected = timefmt.clock(datetime(2026, 12, 1, 6, 5, tzinfo=UTC).astimezone(), "en")
    assert expected in reply.text


def test_reminders_set_on_a_wrong_clock_keep_their_order_when_it_jumps(make_companion):
    wrong = FakeClock(datetime(1970, 1, 1, 9, 0, tzinfo=SEOUL))
    companion = make_companion(clock=wrong)
    companion.clock_trusted = lambda: False  # what the real clock check says at 1970
    for text in (
        "remind me to take the pills in 10 minutes",
        "remind me to call mom in 20 minutes",
        "remind me to water the plants in 30 minutes",
    ):
        assert companion.respond(text).intent == "set_reminder"
    assert says(companion.respond("what time is it").text, "clock_unsure_time")
    wrong.now = datetime(2026, 12, 1, 15, 0, tzinfo=SEOUL)  # the real time arrives
    fired = companion.due_reminders()
    assert [next(w for w in ("pills", "mom", "plants") if w in line) for line in fired] == [
        "pills",
        "mom",
        "plants",
    ]
