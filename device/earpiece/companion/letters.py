"""Letters the person dictates for someone else: start, add line by line, finish, read back."""

from __future__ import annotations

import re

from earpiece.companion.context import Turn, new_key
from earpiece.nlu.featurizer import normalize
from earpiece.nlu.slots import extract_slots

_END = re.compile(
    r"^(?:끝|끝이야|끝났어|끝났어요|끝이에요|다 했어|다했어|다 했어요|다 썼어|다 썼어요|"
    r"이제 끝|편지 끝|완료|그만 쓸래|done|i'?m done|finished|that'?s all|that'?s it|"
    r"the end|end letter|end of letter)$"
)
_CANCEL = re.compile(
    r"^(?:취소|취소해|취소해 줘|편지 취소|쓰지 마|버려|버려 줘|cancel|cancel it|cancel the letter|"
    r"discard|discard it|throw it away|never mind)$"
)


_READ_BACK = re.compile(
    r"(?:다시\s?|한\s?번\s?)?읽어\s?(?:줘|주세요|봐|줄래|줄래요|주실래요|줘요)|어떻게\s?썼|뭐라고\s?썼"
    r"|\bread\s+(?:it|that|this|the\s+letter|me\s+the\s+letter|what\s+i\s+(?:have|wrote|said))"
    r"(?:\s+(?:back|again|to\s+me|so\s+far))*\b|\bread\s+it\s+(?:back|to\s+me)\b"
    r"|\bwhat\s+(?:do\s+i|have\s+i)\s+(?:have|got|written)\s+so\s+far\b",
    re.I,
)
"""'read it back', '방금 쓴 편지 다시 읽어 주세요': the letter so far, read; dictation ends."""
_LEAVING_FOR = re.compile(r"알림|알람|\bremind(?:er|ers)?\b|\balarms?\b", re.I)
_LEAVING_INTENTS = ("set_reminder", "cancel_reminder", "list_reminders")


def leaves(turn: Turn) -> bool:
    """A line said during dictation that is no line of the letter: a reminder request, a
    question about reminders (its word said outright). The draft is saved, the line met as
    itself."""
    return turn.u.intent in _LEAVING_INTENTS and bool(_LEAVING_FOR.search(turn.u.text))


def save_aside(turn: Turn, question: dict) -> None:
    """Keep the letter as dictated so far when the person moves on to something else."""
    letter = turn.store.get("letters", question["key"])
    if letter is None:
        return
    if letter["body"].strip():
        turn.put("letters", question["key"], {**letter, "status": "saved", "updated_at": turn.at})
    else:
        turn.delete("letters", question["key"])


def start(turn: Turn) -> list[str]:
    recipient = turn.u.slots.get("recipient")
    if not recipient:
        turn.pending = {"kind": "letter_recipient"}
        return [turn.say("letter_who")]
    return _begin(turn, recipient, first_lines(turn.u.text))


def first_lines(text: str) -> str:
    """What a request dictates after a colon ('write a letter to my son: I miss you'), or ''."""
    head, colon, rest = text.partition(":")
    if not colon:
        head, colon, rest = text.partition("：")
    rest = " ".join(rest.split())
    return rest if colon and head.strip() and len(rest.split()) >= 2 else ""


def _begin(turn: Turn, recipient: str, first: str = "") -> list[str]:
    key = new_key("letter")
    if first and first[-1] not in ".!?。":
        first += "."
    body = {
        "recipient": recipient,
        "body": first,
        "lang": turn.lang,
        "status": "draft",
        "created_at": turn.at,
        "updated_at": turn.at,
    }
    turn.put("letters", key, body)
    turn.pending = {"kind": "letter", "key": key}
    return [turn.say("letter_start_with" if first else "letter_start", recipient=recipient)]


def answer_recipient(turn: Turn) -> list[str]:
    """The person answers 'who is the letter for?'."""
    if turn.u.intent in ("deny", "stop") or _CANCEL.match(normalize(turn.u.text)):
        return [turn.say("letter_cancelled")]
    recipient = extract_slots("write_letter", f"{turn.u.text} 편지", turn.lang, turn.now).get(
        "recipient"
    ) or _bare_name(turn.u.text)
    return _begin(turn, recipient)


def _bare_name(text: str) -> str:
    words = normalize(text).split()
    name = " ".join(words[-3:]) if words else text.strip()
    name = re.sub(r"^(?:to|for)\s+", "", name)
    return re.sub(r"(?:에게|한테|께|한테요|에게요|께요|요)$", "", name) or text.strip()


def dictate(turn: Turn, question: dict) -> list[str]:
    """One utterance of a letter being written: add it, or finish, or throw the draft away."""
    key = question["key"]
    letter = turn.store.get("letters", key)
    if letter is None:
        return [turn.say("letter_cancelled")]
    said = normalize(turn.u.text)
    if _CANCEL.match(said):
        turn.delete("letters", key)
        return [turn.say("letter_cancelled")]
    from earpiece.companion.route import says_goodbye

    bye = says_goodbye(turn.u.text)
    if _END.match(said) or turn.u.intent == "stop" or _READ_BACK.search(said) or bye:
        if not letter["body"].strip():
            turn.delete("letters", key)
            return [turn.say("letter_empty")]
        turn.put("letters", key, {**letter, "status": "saved", "updated_at": turn.at})
        turn.refs.append(key)
        done = [turn.say("letter_done", recipient=letter["recipient"], body=letter["body"])]
        return [*done, turn.say("goodbye")] if bye else done
    line = " ".join(turn.u.text.split())
    body = f"{letter['body']} {line}".strip() if letter["body"] else line
    if body and body[-1] not in ".!?。":
        body += "."
    turn.put("letters", key, {**letter, "body": body, "updated_at": turn.at})
    turn.pending = question
    turn.refs.append(key)
    return [turn.say("letter_added")]


def same_one(asked: str, written_to: str) -> bool:
    """'grandma' and '할머니', 'my mom' and '엄마': one person by relation (memory.RELATIONS)."""
    from earpiece.companion.memory import mentions

    wanted, have = mentions(asked)[0], mentions(written_to)[0]
    return bool(wanted) and wanted == have


def read(turn: Turn) -> list[str]:
    saved = turn.store.rows(
        "letters", "status = 'saved'", order="json_extract(body, '$.updated_at')"
    )
    recipient = turn.u.slots.get("recipient")
    if recipient:
        wanted = normalize(recipient)
        saved = [
            (k, b)
            for k, b in saved
            if wanted in normalize(b["recipient"])
            or normalize(b["recipient"]) in wanted
            or same_one(recipient, b["recipient"])
        ]
        if not saved:
            return [turn.say("letter_none_for", recipient=recipient)]
    if not saved:
        return [turn.say("letter_none")]
    key, letter = saved[-1]
    turn.refs.append(key)
    return [turn.say("letter_read", recipient=letter["recipient"], body=letter["body"])]
