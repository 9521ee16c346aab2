"""Every body the companion itself writes passes the sync body schemas (sync/bodies.py), so
checking bodies at the home and the devices never drops a real person's events."""

from __future__ import annotations

import pytest

from earpiece.sync import bodies

pytestmark = pytest.mark.integration

SAID = [
    "remember that my pin is 2580",
    "my mother loves roses",
    "remind me to take my pills at 6 pm",
    "remind me to call mom in 2 minutes",
    "I feel so sad today",
    "write a letter to mom",
    "thank you for the roses",
    "save it",
    "louder please",
    "what is my pin",
    "forget my pin",
    "yes",
    "내일 아침 8시에 약 먹으라고 알려줘",
    "엄마는 장미를 좋아해",
    "오늘 너무 힘들어",
]


def test_every_body_the_companion_writes_is_valid(make_companion):
    companion = make_companion()
    for text in SAID:
        companion.respond(text)
    events = companion.store.events()
    assert {e.type for e in events} >= {
        "facts.put",
        "turns.put",
        "mood.put",
        "dialog.put",
        "reminders.put",
        "letters.put",
    }
    bad = [
        (e.type, e.body, bodies.problem(e.type, e.body))
        for e in events
        if bodies.problem(e.type, e.body)
    ]
    assert bad == []
