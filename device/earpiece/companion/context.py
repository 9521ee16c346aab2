"""What one turn's handlers share: the utterance understood, the store, the voice, the changes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from earpiece.companion.replies import Voice
from earpiece.nlu.model import Understanding
from earpiece.store.database import Change, Redaction, Store
from earpiece.store.migrations import DIALOG_KEY


def dialog_key(store: Store) -> str:
    """Key of this device's dialog row (the question in flight, the last reply, the last
    wordings): one device's conversation never overwrites another's when they sync."""
    return f"{DIALOG_KEY}:{store.device_id}"


MARKED = 0.5
"""Emotion confidence at which a feeling counts as marked (replies adapt to it)."""
NEGATIVE = ("sadness", "loneliness", "anger", "anxiety", "tiredness")


def new_key(kind: str) -> str:
    return f"{kind}:{uuid.uuid4().hex[:16]}"


@dataclass
class Turn:
    """One turn in progress; handlers read it and add changes, references and a pending question."""

    u: Understanding
    store: Store
    voice: Voice
    now: datetime
    turn_key: str
    settings_name: str
    changes: list[Change | Redaction] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    """Keys of remembered things this turn's reply mentions (redacted with them when forgotten)."""
    pending: dict | None = None
    """The question this reply asks, which the next utterance answers."""
    after_commit: list = field(default_factory=list)
    """Callables run once the turn is committed (e.g. redacting forgotten things)."""
    danger: str = ""
    """'crisis', 'emergency' or 'concern' when the turn was met as a danger (followed up later)."""
    followed: bool = False
    """This turn asked after a low or a crisis of hours ago."""
    dictating: bool = False
    """The line is a letter's dictation: its feeling is the letter's, not the person's mood."""
    sync_set_up: bool = False
    """Whether the config has a [sync] section (the device syncs with a home server)."""
    said: list[str] = field(default_factory=list)
    """The reply keys said so far this turn, in order ('unknown' when it did not understand)."""

    @property
    def lang(self) -> str:
        return self.u.lang

    @property
    def feeling(self) -> str:
        """The utterance's emotion when marked, else 'neutral'."""
        return self.u.emotion if self.u.emotion_confidence >= MARKED else "neutral"

    def say(self, key: str, **values: object) -> str:
        self.said.append(key)
        return self.voice.say(key, **values)

    def sync_state(self) -> str:
        """What is true about sync: set up (changes go home by themselves) or not."""
        return self.say("sync_on" if self.sync_set_up else "sync_off")

    def put(self, table: str, key: str, body: dict) -> None:
        self.changes.append(Change(f"{table}.put", key, body))

    def delete(self, table: str, key: str) -> None:
        self.changes.append(Change(f"{table}.delete", key, {}))

    @property
    def at(self) -> str:
        return self.now.isoformat(timespec="seconds")
