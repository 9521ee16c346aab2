"""Mood: every turn's feeling, replies that meet it, asking back, following up a hard day."""

from __future__ import annotations

import re
from datetime import date, datetime

from earpiece.companion import facts
from earpiece.companion.context import MARKED, NEGATIVE, Turn
from earpiece.nlu.act import Act
from earpiece.store.database import Store

FOLLOW_UP_DAYS = 7
"""A marked feeling is followed up on the first talk of a new day, up to this many days later."""

ANSWERING = ("share_feeling", "unknown", "affirm", "thanks", "greet")
"""Intents that answer an open question; anything else is a new request."""


def sample(turn: Turn) -> None:
    """Store this turn's emotion and its confidence."""
    body = {"at": turn.at, "emotion": turn.u.emotion, "confidence": turn.u.emotion_confidence,
            "lang": turn.lang, "turn": turn.turn_key}  # fmt: skip
    turn.put("mood", f"mood:{turn.turn_key.split(':', 1)[1]}", body)


def share_feeling(turn: Turn) -> list[str]:
    """Meet the feeling, then ask one short question back."""
    feeling = turn.feeling
    turn.pending = {"kind": "ask_back", "emotion": feeling}
    return [turn.say(f"feeling_{feeling}"), turn.say(f"ask_back_{feeling}")]


def empathy(turn: Turn) -> list[str]:
    """A short line that meets a marked feeling inside another request."""
    return [turn.say(f"empathy_{turn.feeling}")] if turn.feeling != "neutral" else []


def answer(turn: Turn, question: dict) -> list[str] | None:
    """The person answers a question the companion asked; None when they asked something else."""
    intent = turn.u.intent
    if intent == "deny":
        return [turn.say("answer_declined")]
    if intent == "affirm" and len(turn.u.text.split()) <= 2 and not question.get("listened"):
        turn.pending = {**question, "listened": True}
        return [turn.say("answer_listening")]
    if intent not in ANSWERING or turn.u.act is Act.QUESTION:
        return None
    if intent == "share_feeling" and turn.feeling != "neutral" and len(turn.u.text.split()) <= 3:
        return None  # "i feel lonely": a feeling of its own, met as one, not kept as a note
    kept = worth_keeping(turn)
    if kept:
        facts.kept_answer(turn)
    if turn.feeling in NEGATIVE:
        return [
            turn.say(f"feeling_{turn.feeling}"),
            turn.say("answer_kept" if kept else "answer_heard"),
        ]
    if question["kind"] == "mood_followup" and intent != "share_feeling":
        return [turn.say("answer_better")]
    return [turn.say("answer_kept" if kept else "answer_heard")]


_FILLER = re.compile(
    r"^(?:hi|hello|hey|ok|okay|yes|no|yeah|nah|fine|good|thanks|thank you|몰라|그냥|응|네|아니|"
    r"괜찮아|좋아|안녕|idk|nothing|not much)\b",
    re.I,
)


def worth_keeping(turn: Turn) -> bool:
    """An answer is kept as a note only when it tells something: a statement of some words."""
    words = turn.u.text.split()
    if turn.u.intent in ("greet", "thanks", "affirm") or turn.u.act is not Act.STATEMENT:
        return False
    filler = bool(_FILLER.match(turn.u.text.strip())) and len(words) < 5
    return len(words) >= 3 and not filler


def day_to_follow_up(store: Store, last_turn_at: str | None, now: datetime) -> str | None:
    """The marked negative feeling of the last day talked, when this is today's first turn."""
    if not last_turn_at:
        return None
    last = datetime.fromisoformat(last_turn_at)
    if last.date() >= now.date() or (now.date() - last.date()).days > FOLLOW_UP_DAYS:
        return None
    counts: dict[str, float] = {}
    for _, row in store.rows("mood", "at >= ? AND at < ?", _day_bounds(last.date())):
        if row["emotion"] in NEGATIVE and row["confidence"] >= MARKED:
            counts[row["emotion"]] = counts.get(row["emotion"], 0.0) + row["confidence"]
    return max(counts, key=lambda e: counts[e]) if counts else None


def _day_bounds(day: date) -> tuple[str, str]:
    return day.isoformat(), date.fromordinal(day.toordinal() + 1).isoformat()
