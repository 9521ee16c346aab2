"""The shape of each event type's body: what the home checks before storing and every device
checks before applying, so a bad body from any device is dropped, never stored or applied."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

TEXT_MAX = 8000
"""Longest text field (characters) a body may carry."""


def _iso(value: str) -> str:
    datetime.fromisoformat(value)  # ValueError: pydantic reports it as a validation error
    return value


Text = Annotated[str, Field(max_length=TEXT_MAX)]
Word = Annotated[str, Field(max_length=200)]
IsoTime = Annotated[str, Field(max_length=64), AfterValidator(_iso)]
"""A time the companion parses (datetime.fromisoformat) to decide what to do."""
Stamp = Annotated[str, Field(max_length=64)]
"""A time kept for display or ordering only; its readers tolerate any text."""
Refs = Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=200)]


class _Body(BaseModel):
    """Known fields typed strictly; unknown fields allowed (a newer device may add some)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)


class FactBody(_Body):
    text: Text
    lang: Word = ""
    kind: Word = ""
    value: Text = ""
    at: Stamp = ""
    turn: Word = ""
    person: Word = ""
    attribute: Word = ""
    detail: Text = ""


class ReminderBody(_Body):
    what: Text
    due_at: IsoTime
    status: Literal["pending", "done", "missed", "cancelled"]
    lang: Word = ""
    turn: Word = ""
    created_at: Stamp | None = None
    fired_at: Stamp | None = None
    cancelled_at: Stamp | None = None


class LetterBody(_Body):
    recipient: Text
    body: Text
    status: Literal["draft", "saved"]
    lang: Word = ""
    created_at: Stamp | None = None
    updated_at: Stamp | None = None


class MoodBody(_Body):
    at: Stamp
    emotion: Word
    confidence: float = Field(ge=0.0, le=1.0)


class TurnBody(_Body):
    text: Text
    at: Stamp | None = None
    reply: Text = ""
    lang: Word = ""
    intent: Word = ""
    confidence: float = 0.0
    emotion: Word = ""
    emotion_confidence: float = 0.0
    slots: dict[str, Any] = {}
    refs: Refs = []
    forgotten: bool = False


class Pending(_Body):
    """The question the companion asked; the policy reads its kind first (its other fields
    depend on the kind and are not checked here)."""

    kind: Word


class DialogBody(_Body):
    pending: Pending | None = None
    pending_at: IsoTime | None = None
    last_turn_at: IsoTime | None = None
    last_intent: Word | None = None
    last_lang: Word | None = None
    last_reply: Text | None = None
    recent_refs: Refs = []
    variants: dict[str, Any] = {}
    last_reminder: Word | None = None


class SettingBody(_Body):
    value: bool | int | float | Word
    at: Stamp | None = None


class _Empty(BaseModel):
    """Deletes, forgets and marks carry nothing."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


PUTS: dict[str, type[_Body]] = {
    "facts": FactBody,
    "reminders": ReminderBody,
    "letters": LetterBody,
    "mood": MoodBody,
    "turns": TurnBody,
    "dialog": DialogBody,
    "settings": SettingBody,
}
REDACTED = {"redacted": True}
"""What a forgotten or superseded put's body becomes (the home blanks it too: with end-to-end
encryption on, it carries nothing to decrypt); valid for every put."""


def is_sealed(body: dict) -> bool:
    """An end-to-end encrypted body (only the user's devices can open it)."""
    return set(body) == {"e2e"} and isinstance(body["e2e"], str)


def problem(type_: str, body: object) -> str:
    """Why this body is not a valid body of this event type, or '' when it is."""
    if not isinstance(body, dict):
        return f"{type_}: the body is not an object"
    table, _, op = type_.partition(".")
    try:
        if op == "put" and table in PUTS:
            if body == REDACTED:
                return ""
            PUTS[table].model_validate(body)
        else:
            _Empty.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "body"
        return f"{type_}: {where}: {first['msg']}"
    return ""


def mentions(type_: str, body: dict) -> list[str]:
    """The keys of remembered things a turn (its refs) or a dialog state (recent_refs) names."""
    field = {"turns.put": "refs", "dialog.put": "recent_refs"}.get(type_)
    found = body.get(field) if field else None
    return [k for k in found if isinstance(k, str)] if isinstance(found, list) else []


def without_mentions(type_: str, body: dict) -> dict:
    """The body with the words that may repeat a forgotten thing blanked (as a forget does)."""
    if type_ == "turns.put":
        return {**body, "text": "", "reply": "", "slots": {}, "forgotten": True}
    if type_ == "dialog.put":
        return {**body, "last_reply": "", "pending": None, "pending_at": None}
    return body
