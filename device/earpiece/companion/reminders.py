"""Reminders: set from the slots, list, cancel, and tell when due or missed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from earpiece.companion import timefmt
from earpiece.companion.context import Turn, new_key
from earpiece.companion.replies import Voice, count
from earpiece.nlu.featurizer import normalize
from earpiece.nlu.timeparse import resolve_when
from earpiece.store.database import Change, Store

WAKE = ("깨우기", "wake up")
_WAKE_ME = re.compile(r"깨워|깨우|\bwake (?:me|us)\b(?! to)", re.I)
MISSED_AFTER = timedelta(minutes=2)
"""A reminder this far past due when the companion starts was missed while it was off."""


def pending(store: Store) -> list[tuple[str, dict, datetime]]:
    """(key, row, due time) of reminders still to fire, soonest first."""
    found = [(k, b, datetime.fromisoformat(b["due_at"])) for k, b in store.rows(
        "reminders", "status = 'pending'")]  # fmt: skip
    return sorted(found, key=lambda r: r[2])


def _describe(row: dict, due: datetime, now: datetime, lang: str) -> str:
    return f"{row['what']} {timefmt.when(due, now, lang)}"


def _what(turn: Turn) -> str:
    if _WAKE_ME.search(turn.u.text):  # a wake-up call, however the rest was heard
        return WAKE[0] if turn.lang == "ko" else WAKE[1]
    return turn.u.slots.get("what") or ("알림" if turn.lang == "ko" else "your reminder")


def set_reminder(turn: Turn, when: str | None = None, what: str | None = None) -> list[str]:
    when = when or turn.u.slots.get("when")
    what = what or _what(turn)
    if not when:
        turn.pending = {"kind": "reminder_time", "what": what}
        return [turn.say("reminder_need_time")]
    due = datetime.fromisoformat(when)
    body = {"due_at": due.isoformat(timespec="minutes"), "what": what, "lang": turn.lang,
            "status": "pending", "created_at": turn.at, "turn": turn.turn_key}  # fmt: skip
    turn.put("reminders", new_key("reminder"), body)
    spoken_when = timefmt.when(due, turn.now, turn.lang)
    if what in WAKE:
        return [turn.say("reminder_set_wake", when=spoken_when)]
    return [turn.say("reminder_set", when=spoken_when, what=what)]


def answer_time(turn: Turn, question: dict) -> list[str]:
    """The person answers 'when should I remind you?'."""
    due = resolve_when(turn.u.text, turn.lang, turn.now)
    if due is None:
        return [turn.say("reminder_bad_time")]
    return set_reminder(turn, due.isoformat(timespec="minutes"), question.get("what"))


def list_reminders(turn: Turn) -> list[str]:
    upcoming = pending(turn.store)
    if not upcoming:
        return [turn.say("reminders_none")]
    items = ", ".join(_describe(r, due, turn.now, turn.lang) for _, r, due in upcoming)
    return [turn.say("reminders_list", count=count(len(upcoming), turn.lang), items=items)]


def cancel_reminder(turn: Turn) -> list[str]:
    upcoming = pending(turn.store)
    what = turn.u.slots.get("what")
    if what:
        wanted = normalize(what)
        upcoming = [r for r in upcoming if wanted and (
            wanted in normalize(r[1]["what"]) or normalize(r[1]["what"]) in wanted)]  # fmt: skip
        if not upcoming:
            return [turn.say("reminder_cancel_none")]
    if not upcoming:
        return [turn.say("reminders_none")]
    if len(upcoming) > 1 and not what:
        items = ", ".join(_describe(r, due, turn.now, turn.lang) for _, r, due in upcoming)
        turn.pending = {"kind": "cancel_confirm", "keys": [k for k, _, _ in upcoming]}
        how_many = count(len(upcoming), turn.lang)
        return [turn.say("reminder_cancel_which", count=how_many, items=items)]
    return cancel(turn, [k for k, _, _ in upcoming])


def cancel(turn: Turn, keys: list[str]) -> list[str]:
    names = []
    for key in keys:
        row = turn.store.get("reminders", key)
        if row and row.get("status") == "pending":
            turn.put("reminders", key, {**row, "status": "cancelled", "cancelled_at": turn.at})
            names.append(row["what"])
    if not names:
        return [turn.say("reminder_cancel_none")]
    return [turn.say("reminder_cancelled", items=", ".join(names))]


@dataclass(frozen=True)
class Announcement:
    """What to say about reminders that came due, and which ones it tells about."""

    text: str
    keys: tuple[str, ...]
    status: str
    """What they become once told: "done" (due now) or "missed" (due while off)."""


def due_now(store: Store, now: datetime, voices: dict[str, Voice]) -> list[Announcement]:
    """One announcement per reminder due now; nothing is marked until `mark_told`."""
    due = [(k, r) for k, r, at in pending(store) if at <= now]
    return [Announcement(voices[r.get("lang", "ko")].say("reminder_due", what=r["what"]), (k,),
                         "done") for k, r in due]  # fmt: skip


def missed_now(
    store: Store, now: datetime, voices: dict[str, Voice], lang: str
) -> list[Announcement]:
    """At start: one announcement for reminders that came due while the device was off."""
    missed = [(k, r, at) for k, r, at in pending(store) if at < now - MISSED_AFTER]
    if not missed:
        return []
    items = ", ".join(f"{r['what']} ({timefmt.when(at, at, lang)})" for _, r, at in missed)
    text = voices[lang].say("reminder_missed", count=count(len(missed), lang), items=items)
    return [Announcement(text, tuple(k for k, _, _ in missed), "missed")]


def mark_told(store: Store, told: Announcement, now: datetime) -> None:
    """Mark the reminders of an announcement that was said (those still pending)."""
    stamp = now.isoformat(timespec="seconds")
    rows = [(k, store.get("reminders", k)) for k in told.keys]
    store.commit(Change("reminders.put", k, {**r, "status": told.status, "fired_at": stamp})
                 for k, r in rows if r and r.get("status") == "pending")  # fmt: skip


def fire_due(store: Store, now: datetime, voices: dict[str, Voice]) -> list[str]:
    """Announcements for reminders now due; each is marked done in the same commit."""
    due = [(k, r) for k, r, at in pending(store) if at <= now]
    changes = [Change("reminders.put", k, {**r, "status": "done", "fired_at": now.isoformat(
        timespec="seconds")}) for k, r in due]  # fmt: skip
    store.commit(changes)
    return [voices[r.get("lang", "ko")].say("reminder_due", what=r["what"]) for _, r in due]


def fire_missed(store: Store, now: datetime, voices: dict[str, Voice], lang: str) -> list[str]:
    """At start: one announcement for reminders that came due while the device was off."""
    missed = [(k, r, at) for k, r, at in pending(store) if at < now - MISSED_AFTER]
    if not missed:
        return []
    stamp = now.isoformat(timespec="seconds")
    store.commit(Change("reminders.put", k, {**r, "status": "missed", "fired_at": stamp})
                 for k, r, _ in missed)  # fmt: skip
    items = ", ".join(f"{r['what']} ({timefmt.when(at, at, lang)})" for _, r, at in missed)
    return [voices[lang].say("reminder_missed", count=count(len(missed), lang), items=items)]
