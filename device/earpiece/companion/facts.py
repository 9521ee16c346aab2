"""Remembering, recalling and forgetting what the person told the companion."""

from __future__ import annotations

from earpiece.companion.context import DIALOG_KEY, Turn, new_key
from earpiece.companion.memory import analyse, matches
from earpiece.companion.replies import count
from earpiece.store.database import Redaction

SINGLE_KINDS = ("name", "birthday")
"""Kinds of which a person has one: a new one replaces the old."""
_EN_SWAP = {"i": "you", "i'm": "you're", "im": "you're", "my": "your", "me": "you",
            "mine": "yours", "myself": "yourself", "am": "are"}  # fmt: skip


def spoken(body: dict, lang: str) -> str:
    """A remembered fact as the companion says it back."""
    text = body["text"].strip().rstrip(".!?")
    if body.get("lang", lang) == "en":
        return " ".join(_EN_SWAP.get(w.lower(), w) for w in text.split())
    return f"'{text}'"


def _live_facts(turn: Turn) -> list[tuple[str, dict]]:
    return turn.store.rows("facts", order="json_extract(body, '$.at'), key")


def remember(turn: Turn, text: str | None = None) -> list[str]:
    fact_text = (text or turn.u.slots.get("fact") or turn.u.text).strip()
    if not fact_text:
        turn.pending = {"kind": "remember_what"}
        return [turn.say("fact_missing")]
    fact = analyse(fact_text, turn.lang)
    key = new_key("fact")
    if fact.kind in SINGLE_KINDS:
        replaced = [k for k, old in _live_facts(turn) if old.get("kind") == fact.kind]
        for old_key in replaced:
            turn.delete("facts", old_key)
        if replaced:
            _redact(turn, replaced)
    turn.put("facts", key, fact.to_body(turn.at, turn.turn_key))
    turn.refs.append(key)
    if fact.kind == "name" and fact.value:
        return [turn.say("fact_saved_name", value=fact.value)]
    return [turn.say("fact_saved")]


def kept_answer(turn: Turn) -> None:
    """Keep the answer to a question the companion asked, as a dated note."""
    key = new_key("fact")
    body = {"text": turn.u.text.strip(), "lang": turn.lang, "kind": "note", "value": "",
            "at": turn.at, "turn": turn.turn_key}  # fmt: skip
    turn.put("facts", key, body)
    turn.refs.append(key)


def recall(turn: Turn) -> list[str]:
    facts = _live_facts(turn)
    topic = turn.u.slots.get("topic")
    if topic:
        found = [(k, b) for k, b in facts if matches(b, topic)]
        if not found:
            return [turn.say("recall_none")]
        return [turn.say("recall_topic", items=_items(turn, found))]
    told = [(k, b) for k, b in facts if b.get("kind") != "note"] or facts
    if not told:
        return [turn.say("recall_empty")]
    return [turn.say("recall_all", items=_items(turn, told[-5:]))]


def _items(turn: Turn, found: list[tuple[str, dict]]) -> str:
    turn.refs.extend(k for k, _ in found)
    return ", ".join(spoken(b, turn.lang) for _, b in found)


def forget(turn: Turn, recent: list[str]) -> list[str]:
    facts = _live_facts(turn)
    topic = turn.u.slots.get("topic")
    if topic:
        found = [(k, b) for k, b in facts if matches(b, topic)]
    else:
        found = [(k, b) for k, b in facts if k in recent]
    if not found:
        return [turn.say("forget_none")]
    if len(found) == 1:
        return erase(turn, [found[0][0]])
    turn.pending = {"kind": "forget_confirm", "keys": [k for k, _ in found]}
    return [
        turn.say("forget_confirm", count=count(len(found), turn.lang), items=_items(turn, found))
    ]


def erase(turn: Turn, keys: list[str]) -> list[str]:
    for key in keys:
        turn.delete("facts", key)
    _redact(turn, keys)
    return [turn.say("forget_done")]


def _redact(turn: Turn, keys: list[str]) -> None:
    """Forgotten means gone: the facts' events, and every turn that said them, are blanked in
    the same transaction as the forget (a Redaction among this turn's changes), so a crash
    never leaves the words behind; the store checkpoints the WAL away after the commit."""
    turns = [(k, b) for k, b in turn.store.rows("turns") if set(b.get("refs", [])) & set(keys)]
    for k, b in turns:
        turn.put("turns", k, {**b, "text": "", "reply": "", "slots": {}, "forgotten": True})
    turn.changes.append(Redaction((*keys, *(k for k, _ in turns)), superseded=(DIALOG_KEY,)))
