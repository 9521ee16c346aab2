"""How sure the companion is of what it heard, and what one turn did with it."""

from __future__ import annotations

from enum import StrEnum


class Certainty(StrEnum):
    """How an utterance reached the companion."""

    SURE = "sure"
    """Typed, or heard with high confidence: act on it."""
    UNSURE = "unsure"
    """Heard, but not surely: anything that changes state asks a yes/no question first."""


class Outcome(StrEnum):
    """What one turn did (reported as `"outcome"` by `turn --json` and `chat --json`)."""

    ACTED = "acted"
    """State changed: a fact, reminder, letter, setting... was written or removed."""
    CONFIRMING = "confirming"
    """Asked a yes/no question before changing anything; nothing changed yet."""
    ANSWERED = "answered"
    """Answered without changing the person's state."""
    NOT_HEARD = "not_heard"
    """Nothing usable was heard; nothing changed (decided by the voice turn, before the brain)."""


BOOKKEEPING_TABLES = frozenset({"turns", "dialog", "mood"})
"""Tables every turn writes; a change elsewhere is what makes a turn ACTED."""
