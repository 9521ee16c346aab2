"""What the page shows, read from one user's export document: memories, mood, letters, reminders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from earpiece.companion.context import MARKED
from earpiece.nlu.labels import EMOTIONS, NEUTRAL


class Group(StrEnum):
    """How memories are grouped on the page: by the person they are about, else by topic."""

    NAME = "name"
    BIRTHDAY = "birthday"
    PERSON = "person"
    LIKE = "like"
    DISLIKE = "dislike"
    NOTE = "note"
    FACT = "fact"


class ReminderState(StrEnum):
    UPCOMING = "upcoming"
    MISSED = "missed"
    DONE = "done"
    CANCELLED = "cancelled"


def _when(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class FactItem:
    """One remembered fact, with when it was said and the turn it came from."""

    key: str
    text: str
    at: datetime | None
    turn_text: str
    turn_at: datetime | None


@dataclass(frozen=True)
class FactGroup:
    group: Group
    person: str
    facts: tuple[FactItem, ...]


def memories(doc: dict) -> list[FactGroup]:
    """Facts grouped by the person they are about (a relation word), then by topic."""
    turns = {t["key"]: t for t in doc.get("turns", [])}
    grouped: dict[tuple[Group, str], list[FactItem]] = {}
    for fact in doc.get("facts", []):
        kind = fact.get("kind", "fact")
        group = Group(kind) if kind in Group.__members__.values() else Group.FACT
        person = fact.get("value", "") if group == Group.PERSON else ""
        turn = turns.get(fact.get("turn", ""), {})
        item = FactItem(
            fact["key"],
            fact.get("text", ""),
            _when(fact.get("at")),
            turn.get("text", ""),
            _when(turn.get("at")),
        )
        grouped.setdefault((group, person), []).append(item)
    order = list(Group)
    ranked = sorted(grouped.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
    return [
        FactGroup(g, person, tuple(sorted(items, key=lambda f: _stamp(f.at))))
        for (g, person), items in ranked
    ]


@dataclass(frozen=True)
class Moment:
    """A marked moment of a day: a turn with a clear, non-neutral feeling."""

    at: datetime
    emotion: str
    confidence: float
    text: str


@dataclass(frozen=True)
class MoodDay:
    """One day of the chart: how many turns felt each emotion, and the marked moments."""

    day: date
    counts: tuple[tuple[str, int], ...]
    moments: tuple[Moment, ...]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)


def mood_days(doc: dict, weeks: int = 8) -> list[MoodDay]:
    """Every day from the first sampled one (at most `weeks` back) to the last, in order;
    days without a sample are empty. Days are the device's local dates of the turns."""
    turns = {t["key"]: t for t in doc.get("turns", [])}
    by_day: dict[date, list[tuple[datetime, dict]]] = {}
    for row in doc.get("mood", []):
        at = _when(row.get("at"))
        if at is None or row.get("emotion") not in EMOTIONS:
            continue
        by_day.setdefault(at.date(), []).append((at, row))
    if not by_day:
        return []
    last = max(by_day)
    first = max(min(by_day), last - timedelta(days=max(1, weeks) * 7 - 1))
    out = []
    for n in range((last - first).days + 1):
        day = first + timedelta(days=n)
        rows = sorted(by_day.get(day, []), key=lambda r: r[0])
        counts = Counter(r["emotion"] for _, r in rows)
        moments = tuple(
            Moment(
                at,
                r["emotion"],
                float(r.get("confidence", 0.0)),
                turns.get(r.get("turn", ""), {}).get("text", ""),
            )
            for at, r in rows
            if r["emotion"] != NEUTRAL and float(r.get("confidence", 0.0)) >= MARKED
        )
        ordered = tuple((e, counts[e]) for e in EMOTIONS if counts[e])
        out.append(MoodDay(day, ordered, moments))
    return out


@dataclass(frozen=True)
class ReminderItem:
    key: str
    what: str
    due: datetime | None
    state: ReminderState
    fired_at: datetime | None
    repeat: dict | None = None
    """The stored rule of a recurring reminder (nlu.timeparse.Repeat.to_body), else None."""


def reminders(doc: dict, now: datetime) -> dict[ReminderState, list[ReminderItem]]:
    """Reminders sorted into upcoming, missed (also pending ones already past), done, cancelled."""
    out: dict[ReminderState, list[ReminderItem]] = {s: [] for s in ReminderState}
    for row in doc.get("reminders", []):
        due = _when(row.get("due_at"))
        status = row.get("status", "pending")
        if status == "pending":
            late = due is not None and due.tzinfo is not None and due < now
            state = ReminderState.MISSED if late else ReminderState.UPCOMING
        else:
            state = {"done": ReminderState.DONE, "missed": ReminderState.MISSED}.get(
                status, ReminderState.CANCELLED
            )
        out[state].append(
            ReminderItem(
                row["key"],
                row.get("what", ""),
                due,
                state,
                _when(row.get("fired_at")),
                row.get("repeat") if isinstance(row.get("repeat"), dict) else None,
            )
        )
    for state, items in out.items():
        items.sort(key=lambda r: r.due or now, reverse=state != ReminderState.UPCOMING)
    return out


@dataclass(frozen=True)
class Letter:
    key: str
    recipient: str
    body: str
    saved: bool
    created: datetime | None
    updated: datetime | None

    def as_text(self, heading: str) -> str:
        """The letter as a plain text file."""
        return f"{heading}\n\n{self.body}\n"


def letters(doc: dict) -> list[Letter]:
    """Saved letters first, newest first; then drafts."""
    found = [
        Letter(
            row["key"],
            row.get("recipient", ""),
            row.get("body", ""),
            row.get("status") == "saved",
            _when(row.get("created_at")),
            _when(row.get("updated_at")),
        )
        for row in doc.get("letters", [])
    ]
    return sorted(found, key=lambda x: (not x.saved, -_stamp(x.updated or x.created)))


def _stamp(moment: datetime | None) -> float:
    return (moment or _EPOCH).timestamp()


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def local_zone(now: datetime | None = None) -> str:
    """The time zone the page's times are shown in (this server's): its name when known
    (TZ, or /etc/localtime's link), with the UTC offset, e.g. 'Asia/Seoul (UTC+09:00)'."""
    import os
    from pathlib import Path

    moment = (now or datetime.now()).astimezone()
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    utc = f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        link = Path("/etc/localtime")
        target = str(link.resolve()) if link.is_symlink() else ""
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
    name = name or moment.tzname() or ""
    return f"{name} ({utc})" if name and name != utc else utc
