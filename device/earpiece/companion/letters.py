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
_QUOTE = "'\"‘’“”「」『』"
_CHANGE_EN = re.compile(
    r"^(?:(?:wait|no|oh|actually|sorry|and|also|ok(?:ay)?|hmm|um)[\s,.!]+)*(?:please\s+)?"
    r"(?:change|replace|switch|swap|make)\s+(?P<old>.+?)\s+(?:to|with|into|for)\s+(?P<new>.+?)"
    r"(?:[.!]\s.*)?[.!]?$",
    re.I,
)
"""'change "still bad" to "not great yet". she'd cry': one wording of the letter for another."""
_CHANGE_KO = re.compile(
    r"^(?:(?:아니|아니다|잠깐|아)[\s,.!]+)?(?P<old>.+?)(?:을|를)?\s?(?:말고|대신에?)?\s?"
    r"(?P<new>[^.!]+?)(?:으로|로)\s?(?:바꿔|고쳐|수정해|바꾸|고치)(?:\s?줘|\s?주세요|\s?줘요|\s?줄래|요)?"
    r"(?:[.!~]\s.*)?[.!~]*$"
)
""""'미안하다'를 '고맙다'로 바꿔 줘": one wording for another."""
_ADD_HEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|and|also|now|then|so)[\s,]+)*(?:(?:please\s+)?(?:add(?:\s+(?:this|that|on|a\s+line"
    r"|the\s+line|at\s+the\s+end|to\s+the\s+end|to\s+it))*|keep\s+going|go\s+on|continue|next\s+line"
    r"|new\s+line|and\s+then|then\s+write|(?:also\s+)?write|put(?:\s+(?:in|down))?(?:\s+this)?"
    r"|at\s+the\s+end))\s*[:,;\-–—]\s*(?P<rest>.+)$"
    r"|^(?:(?:그리고|그\s?다음에?|다음에|이어서)\s?,?\s?)?(?:(?:마지막에|끝에|맨\s?끝에|맨\s?뒤에|뒤에|밑에"
    r"|아래에)\s?)?(?:이것도|이거도|이것|이거|이\s?말도|이\s?말|이렇게)\s?(?:넣어|추가해|써|적어|붙여)"
    r"(?:\s?줘|\s?주세요|\s?줘요|요|\s?둬)?\s*[.:,!~]\s*(?P<rest2>.+)$"
    r"|^(?:그\s?다음에?|다음에|이어서|그리고\s?마지막으로|마지막으로)\s?[,:]\s*(?P<rest3>.+)$",
    re.I,
)
"""'add: …', 'keep going: …', '마지막에 이것도 넣어. …', '그 다음에, …': a line said with how to
add it; the words after that are the letter's."""
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
    if (changed := _changed(letter["body"], turn.u.text)) is not None:
        turn.pending = question
        if changed == letter["body"]:
            return [turn.say("letter_change_missing")]
        turn.put("letters", key, {**letter, "body": changed, "updated_at": turn.at})
        turn.refs.append(key)
        return [turn.say("letter_changed")]
    line = line_of(turn.u.text)
    body = f"{letter['body']} {line}".strip() if letter["body"] else line
    if body and body[-1] not in ".!?。":
        body += "."
    turn.put("letters", key, {**letter, "body": body, "updated_at": turn.at})
    turn.pending = question
    turn.refs.append(key)
    return [turn.say("letter_added")]


def line_of(said: str) -> str:
    """The words for the letter in a dictated line, without how to add them ('add: …',
    '끝에 이것도 써 줘. …')."""
    line = " ".join(said.split())
    if head := _ADD_HEAD.match(line):
        return str(head["rest"] or head["rest2"] or head["rest3"])
    return line


def _changed(body: str, said: str) -> str | None:
    """The letter with one wording changed for another when the line asks for that (the body
    as it was when the wording is not in it), or None when the line asks no change."""
    text = " ".join(said.split())
    m = _CHANGE_EN.match(text) or _CHANGE_KO.match(text)
    if m is None:
        return None
    quoted = re.findall(rf"[{_QUOTE}]([^{_QUOTE}]+)[{_QUOTE}]", text)
    old, new = quoted[:2] if len(quoted) >= 2 else (m["old"], m["new"])
    old, new = old.strip(_QUOTE + " "), new.strip(_QUOTE + " ")
    if not old or not new:
        return None
    at = body.lower().find(old.lower())
    if at < 0:
        return body
    return body[:at] + new + body[at + len(old) :]


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
