"""The question in flight: asked, answered with a yes, a no or a correction, or expired.

A turn that asks leaves `turn.pending` (a small dict stored in the dialog state); the next turn
is first offered to `answer()`. Unsure speech that would change state is turned into a yes/no
question by `ask_first()`, and the yes runs `_do()` exactly as it was understood then. The turn
itself (reading, safety, recording, the one commit) stays in policy.py.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime, timedelta

from earpiece.companion import facts, letters, mood, persona, reminders, timefmt
from earpiece.companion.answers import is_no, is_yes
from earpiece.companion.context import Turn
from earpiece.companion.outcome import Certainty
from earpiece.companion.route import Route, refine, rule_change
from earpiece.nlu.labels import STATE_CHANGING

CONFIRM_KINDS = frozenset({"confirm", "forget_confirm", "cancel_confirm", "cancel_pick"})
"""Questions asked before changing anything: the yes/no of a pending action."""
PENDING_TTL = timedelta(minutes=10)
"""A question not answered this long is dropped: the next utterance is a new one."""
LETTER_TTL = timedelta(hours=1)
"""A letter being dictated waits longer (the draft stays either way)."""

_SAID_OUTRIGHT = frozenset({"remember_fact", "forget_fact", "repeat", "set_reminder"})
"""Rules' intents that are never an answer to 'how was your day?'."""


def in_flight(state: dict, now: datetime) -> dict | None:
    """The question the dialog `state` awaits an answer to, unless it has expired."""
    question = state.get("pending")
    if not question:
        return None
    asked = state.get("pending_at") or state.get("last_turn_at")
    ttl = LETTER_TTL if question.get("kind") == "letter" else PENDING_TTL
    if asked and now - datetime.fromisoformat(asked) > ttl:
        return None
    return question


def is_confirming(pending: dict | None) -> bool:
    """Whether the question left is the yes/no asked before changing anything."""
    return pending is not None and pending.get("kind") in CONFIRM_KINDS


def answer(turn: Turn, question: dict, certainty: Certainty) -> list[str] | None:
    """This turn as the answer to `question`: the reply's parts, or None when it is no answer
    (the question is then dropped and the turn is met as itself)."""
    kind = question.get("kind")
    if kind == "letter" and certainty is Certainty.UNSURE:
        turn.pending = {
            "kind": "confirm",
            "action": "letter_line",
            "text": turn.u.text,
            "letter": question,
        }
        return [turn.say("confirm_line", line=turn.u.text)]
    if kind == "letter":
        if letters.leaves(turn):
            if not question.get("read"):  # once read back, it stays as it was read
                letters.save_aside(turn, question)
            return None  # '내 알림 뭐 있어?': the draft is kept, the line met as itself
        return letters.dictate(turn, question)
    if kind == "letter_recipient":
        return letters.answer_recipient(turn)
    if kind in ("ask_back", "mood_followup"):
        ruled, route = refine(turn.u, None, turn.now)
        if route is not Route.INTENT or ruled.intent in _SAID_OUTRIGHT:
            return None  # '좀 쉬고 싶네요', 'remember that…': met as itself, not as an answer
        return mood.answer(turn, question)
    yes, no = is_yes(turn.u), is_no(turn.u)
    if kind == "confirm" and question.get("action") == "letter_line":
        if yes:
            said = turn.u
            turn.u = replace(said, text=question["text"], intent="unknown")
            parts = letters.dictate(turn, question["letter"])
            turn.u = said
            return parts
        turn.pending = question["letter"]  # not that line; the letter goes on
        return [turn.say("confirm_line_dropped")]
    if kind == "confirm":
        if yes:
            _done_as(turn, _DONE_AS.get(str(question.get("action")), turn.u.intent))
            if question.get("action") == "volume" and int(question.get("step", 1)) < 0:
                _done_as(turn, "volume_down")
            return _do(turn, question)
        if _is_correction(turn) and question.get("action") == "reminders":
            return _correct_plan(turn, question, certainty)
        if no:
            return [turn.say("confirm_dropped")]
        return None
    if no and kind in ("reminder_time", "remember_what"):
        return [turn.say("kept")]
    if kind == "reminder_time":
        if not reminders.is_time_answer(turn):
            return None  # not the answer ('오늘 날씨 좋다'): the question is dropped
        if certainty is Certainty.UNSURE:
            return _ask_first_time(turn, question)
        return reminders.answer_time(turn, question)
    if kind == "remember_what":
        if certainty is Certainty.UNSURE:
            turn.pending = {"kind": "confirm", "action": "remember", "text": turn.u.text}
            return [turn.say("confirm_remember", fact=turn.u.text)]
        return facts.remember(turn, turn.u.text)
    if kind == "cancel_pick":
        if no:
            return [turn.say("kept")]
        chosen = reminders.chosen(turn, question["keys"])
        if chosen and certainty is Certainty.UNSURE:
            turn.pending = {"kind": "confirm", "action": "cancel", "keys": chosen}
            return [turn.say("confirm_cancel", items=reminders.names(turn, chosen))]
        if chosen:
            _done_as(turn, "cancel_reminder")
        return reminders.cancel(turn, chosen) if chosen else None
    if kind in ("forget_confirm", "cancel_confirm"):
        if yes:
            _done_as(turn, "forget_fact" if kind == "forget_confirm" else "cancel_reminder")
            if kind == "forget_confirm":
                words, lines = question.get("words", []), question.get("lines", [])
                return facts.erase(turn, question["keys"], words, lines)
            return reminders.cancel(turn, question["keys"])
        if no:
            return [turn.say("kept")]
    return None


_DONE_AS = {
    "reminders": "set_reminder",
    "remember": "remember_fact",
    "change": "set_reminder",
    "letter": "write_letter",
    "volume": "volume_up",
    "cancel": "cancel_reminder",
    "sync": "sync_now",
}
"""What a yes to the question asked first does: the turn is reported as that (its words, 'yes',
stay the NLU's reading in `Reply.nlu_intent`)."""


def _done_as(turn: Turn, intent: str) -> None:
    turn.u = replace(turn.u, intent=intent)


def _correct_plan(turn: Turn, question: dict, certainty: Certainty) -> list[str] | None:
    """'make it 8' while a reminder waits for its yes: the proposal gets the new time."""
    planned = [reminders.Planned(**p) for p in question.get("plan", [])]
    if len(planned) != 1 or not planned[0].when:
        return None
    new = reminders.moved_time(turn, datetime.fromisoformat(planned[0].when))
    if new is None:
        return None
    planned = [replace(planned[0], when=new.isoformat(timespec="minutes"), said_today=False)]
    if certainty is Certainty.SURE:
        return reminders.set_reminder(turn, planned)
    turn.pending = {**question, "plan": [asdict(p) for p in planned]}
    return reminders.confirm_question(turn, planned)


def _ask_first_time(turn: Turn, question: dict) -> list[str]:
    answer = reminders.answered(turn, question)
    if answer is None:
        return [turn.say("reminder_bad_time")]
    planned = [answer]
    turn.pending = {"kind": "confirm", "action": "reminders", "plan": [asdict(p) for p in planned]}
    return reminders.confirm_question(turn, planned)


def _do(turn: Turn, question: dict) -> list[str]:
    """The person said yes: do what was asked, exactly as it was understood then."""
    action = question.get("action")
    if action == "reminders":
        planned = [reminders.Planned(**p) for p in question.get("plan", [])]
        return reminders.set_reminder(turn, planned)
    if action == "remember":
        return facts.remember(turn, question["text"])
    if action == "change":
        row = turn.store.get("reminders", question["key"]) or {}
        due = datetime.fromisoformat(question["due"])
        return reminders.change_reminder(turn, (question["key"], row, due, due))
    if action == "letter":
        turn.u = replace(turn.u, slots={"recipient": question.get("recipient", "")})
        return letters.start(turn)
    if action == "volume":
        return persona.volume(turn, int(question.get("step", persona.VOLUME_STEP)))
    if action == "cancel":
        return reminders.cancel(turn, question["keys"])
    return [turn.sync_state()]


def ask_first(turn: Turn, route: Route, last_reminder: str | None) -> list[str] | None:
    """Unsure speech that would change state: ask a short yes/no question instead."""
    intent = turn.u.intent
    if route is Route.CHANGE_REMINDER and rule_change(turn.u.text, turn.lang) is not None:
        return None  # a new rule for a reminder: changed as asked (it says so), never lost
    if route is Route.CHANGE_REMINDER:
        target = reminders.change_target(turn, last_reminder)
        if target is None:
            return [turn.say("reminder_change_none")]
        key, row, _, new = target
        turn.pending = {
            "kind": "confirm",
            "action": "change",
            "key": key,
            "due": new.isoformat(timespec="minutes"),
        }
        when = timefmt.when(new, turn.now, turn.lang)
        return [turn.say("confirm_change", what=row["what"], when=when)]
    if route is not Route.INTENT or intent not in STATE_CHANGING:
        return None
    if intent == "set_reminder":
        planned = reminders.plan(turn)
        if any(not p.when for p in planned):
            return None  # asking the time changes nothing; the answer is confirmed
        turn.pending = {
            "kind": "confirm",
            "action": "reminders",
            "plan": [asdict(p) for p in planned],
        }
        return reminders.confirm_question(turn, planned)
    if intent == "remember_fact":
        fact = (turn.u.slots.get("fact") or turn.u.text).strip()
        turn.pending = {"kind": "confirm", "action": "remember", "text": fact}
        return [turn.say("confirm_remember", fact=fact)]
    if intent == "cancel_reminder":
        hits, _ = reminders.cancel_matches(turn)
        if len(hits) != 1:
            return None  # none: nothing to confirm; several: it asks which anyway
        turn.pending = {"kind": "confirm", "action": "cancel", "keys": [hits[0][0]]}
        items = ", ".join(f"{r['what']} {timefmt.when(d, turn.now, turn.lang)}" for _, r, d in hits)
        return [turn.say("confirm_cancel", items=items)]
    if intent == "write_letter":
        recipient = turn.u.slots.get("recipient", "")
        turn.pending = {"kind": "confirm", "action": "letter", "recipient": recipient}
        if recipient:
            return [turn.say("confirm_letter", recipient=recipient)]
        return [turn.say("confirm_letter_nobody")]
    if intent in ("volume_up", "volume_down"):
        step = persona.VOLUME_STEP if intent == "volume_up" else -persona.VOLUME_STEP
        turn.pending = {"kind": "confirm", "action": "volume", "step": step}
        return [turn.say(f"confirm_{intent}")]
    if intent == "sync_now":
        turn.pending = {"kind": "confirm", "action": "sync"}
        return [turn.say("confirm_sync")]
    return None  # forget_fact always asks first, sure or not


def _is_correction(turn: Turn) -> bool:
    _, route = refine(turn.u, None, turn.now)
    return route is Route.CHANGE_REMINDER
