"""Letters the person dictates for someone else: start, add, edit, read so far, finish."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from difflib import SequenceMatcher

from earpiece.companion.context import Turn, new_key
from earpiece.nlu.featurizer import normalize
from earpiece.nlu.lang import has_korean
from earpiece.nlu.slots import extract_slots

_END = re.compile(
    r"^(?:(?:nope|no|ok(?:ay)?|yeah|yep|alright|right)[\s,.]+)?"
    r"(?:끝|끝이야|끝났어|끝났어요|끝이에요|다 했어|다했어|다 했어요|다 썼어|다 썼어요|"
    r"이제 끝|편지 끝|완료|그만 쓸래|다 ?됐어|다 ?됐어요|다 ?됐다|다 ?됐습니다|"
    r"이제 ?됐어|이제 ?됐어요|"
    r"done|i'?m done|finished|that'?s all|that'?s it|that s all|that s it|i m done|"
    r"the end|end letter|end of letter)(?:[\s,]+(?:for\s+now|then|thanks|thank\s+you))?[.!]*$"
    r"|^(?:(?:됐어|됐다|그래|음|아)[\s,.]+)?(?:나머지는|나머진)\s?(?:나중에|이따가?|내일)\s?(?:쓸게|쓸래|쓰자|할게|하자)"
    r"(?:요)?[\s.!~]*$"
    r"|^(?:오늘은\s?|일단\s?|지금은\s?)?여기까지(?:만)?\s?(?:할게|하자|쓸게|쓰자|할래|해)(?:요)?(?:[\s.,!~].*)?$"
    r"|^(?:(?:ok(?:ay)?|alright|right)[\s,.]+)?(?:let s stop (?:here|there)"
    r"|that s enough for (?:now|today|tonight)|i ll finish it (?:later|tomorrow)|save it for now)"
    r"(?:\s.*)?$"
)
_CANCEL = re.compile(
    r"^(?:취소|취소해|취소해 줘|편지 취소|쓰지 마|버려|버려 줘|cancel|cancel it|cancel the letter|"
    r"discard|discard it|throw it away|never mind)$"
)


_READ_BACK = re.compile(
    r"(?:다시\s?|한\s?번\s?)?읽어\s?(?:줘|주세요|봐|줄래|줄래요|주실래요|줘요)|어떻게\s?썼|뭐라고\s?썼"
    r"|\bread\s+(?:it|that|this|the\s+letter|me\s+the\s+letter|what\s+i\s+(?:have|wrote|said))"
    r"(?:\s+(?:back|again|to\s+me|so\s+far))*\b|\bread\s+it\s+(?:back|to\s+me)\b"
    r"|\bwhat\s+(?:do\s+i|have\s+i)\s+(?:have|got|written)\s+so\s+far\b"
    r"|\bread\s+(?:me\s+)?(?:the\s+whole\s+(?:thing|letter)|all\s+of\s+it|it\s+all)\b"
    r"|\bread\s+(?:it|that)\s+(?:to\s+me\s+)?(?:one\s+(?:more|last)\s+time|again)\b",
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
    r"|아래에)\s?)?(?:이것도|이거도|이것|이거|이\s?말도|이\s?말|이렇게|한\s?줄(?:\s?더)?)\s?(?:넣어|추가해|써|적어|붙여)"
    r"(?:\s?줘|\s?주세요|\s?줘요|요|\s?둬)?\s*[.:,!~]\s*(?P<rest2>.+)$"
    r"|^(?:그\s?다음에?|다음에|이어서|그리고\s?마지막으로|마지막으로)\s?[,:]\s*(?P<rest3>.+)$"
    r"|^(?:(?:ok(?:ay)?|and|also|oh|then|so)[\s,]+)*(?:please\s+)?(?:put|add|write)\s+(?:(?:this\s+|it\s+)?"
    r"(?:at|on|to)\s+the\s+(?:bottom|end|very\s+end)|one\s+more\s+line(?:\s+to\s+(?:the|his|her|their|my)"
    r"\s+letter)?)\s*[:,;.\-–—]\s*(?P<rest6>\S.+)$"
    r"|^(?:(?:ok(?:ay)?|and|also|oh|then|so)[\s,]+)*(?:please\s+)?add\s+(?:in\s+)?(?:that\s+|a\s+line"
    r"\s+(?:saying|that\s+says)\s+)(?P<rest4>\S.+)$"
    r"|^(?:거기\s?)?(?:(?:끝에|마지막에|맨\s?끝에|맨\s?마지막에)\s?)?(?P<rest5>\S.+?)[,.]?\s*"
    r"(?:(?:이거|이것도|이\s?말도|이\s?말|그거|그것도)\s?"
    r"(?:하나\s?)?|(?<=[다라])(?:는|고\s?하는)\s?(?:말|문장|얘기)(?:도|을|를)?\s?(?:한\s?줄\s?)?(?:꼭\s?)?)"
    r"(?:넣어|추가해|붙여|써|적어)(?:\s?줘|\s?주세요|\s?줘요|요)?[.!~]*$",
    re.I,
)
"""'add: …', 'keep going: …', '마지막에 이것도 넣어. …', '그 다음에, …': a line said with how to
add it; the words after that are the letter's."""
_REMINDER_WORDS = r"알림|알람|\bremind(?:er|ers)?\b|\balarms?\b"
_LEAVING_FOR = {
    "set_reminder": _REMINDER_WORDS,
    "cancel_reminder": _REMINDER_WORDS,
    "list_reminders": _REMINDER_WORDS,
    "sync_now": r"동기화|백업|\bsync\w*|\bback\s?up\b",
    "volume_up": r"볼륨|소리|음량|\bvolume\b|\blouder\b",
    "volume_down": r"볼륨|소리|음량|\bvolume\b|\bquieter\b",
    "device_status": r"배터리|충전|와이파이|\bbattery\b|\bwi-?fi\b|\bcharge[ds]?\b",
}
"""A request to the device said outright during dictation, by its intent and its words: a
reminder, a sync, the volume, the battery."""


def leaves(turn: Turn) -> bool:
    """A line said during dictation that is no line of the letter: a request to the device with
    its word said outright ('집 컴퓨터랑 동기화해 줘', 'turn the volume up', a reminder). The
    draft is saved, the line met as itself."""
    words = _LEAVING_FOR.get(turn.u.intent)
    return words is not None and re.search(words, turn.u.text, re.I) is not None


_WARM = re.compile(r"고마|감사|사랑해|사랑한다|\bthank|\bgrateful\b|\blove\s+(?:you|ya)\b", re.I)
_PARTING = re.compile(
    r"미안|안녕|잘\s?있|떠나|마지막|용서|죽|끝내|사라|\bsorry\b|\bgoodbye\b|\bforgive\b"
    r"|\bfarewell\b|\blast\b|\bgone\b|\bdie\b|\bend\s+it\b|\bwithout\s+me\b",
    re.I,
)


def warm_line(said: str) -> bool:
    """A dictated line of thanks or love to its reader ('네가 없었으면 못 버텼을 거야. 고마워'),
    with no word of parting, apology or dying: the classifier's check-in band is not the
    person's state (a crisis is never dropped; a goodbye letter is still asked about)."""
    return bool(_WARM.search(said)) and not _PARTING.search(said)


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
    return _begin(turn, recipient, first_lines(turn.u.text, recipient))


def first_lines(text: str, recipient: str = "") -> str:
    """What a request dictates after a colon ('write a letter to my son: I miss you') or from a
    greeting on ('…편지 좀 써 주세요. 은정아, …', '… to my mom. Dear Mom, …', '…에게. 엄마, …'),
    or ''."""
    head, colon, rest = text.partition(":")
    if not colon:
        head, colon, rest = text.partition("：")
    rest = " ".join(rest.split())
    if colon and head.strip() and len(rest.split()) >= 2:
        return rest
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    for i, sentence in enumerate(sentences[1:], 1):
        named = bool(recipient) and re.match(rf"{re.escape(recipient)}\s?[,!]", sentence, re.I)
        if _GREETING.match(sentence) or named:
            return " ".join(sentences[i:])
    return ""


_GREETING = re.compile(
    r"^(?:dear(?:est)?|my\s+dear|hi|hello|hey)\s+\w+|^(?:사랑하는|보고\s?싶은|그리운|친애하는|존경하는)\s"
    r"|^[가-힣]{1,6}(?:아|야|에게|께|님)\s?[,!]",
    re.I,
)
"""How a letter opens ('Dear Mom,', '은정아,', '사랑하는 아들에게'): the words from there on are
the letter's, not the request's."""


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
    _as(turn, "write_letter")  # the letter begun, whatever the words alone read as
    return _begin(turn, recipient)


def _bare_name(text: str) -> str:
    words = normalize(text).split()
    name = " ".join(words[-3:]) if words else text.strip()
    name = re.sub(r"^(?:to|for)\s+", "", name)
    return re.sub(r"(?:에게|한테|께|한테요|에게요|께요|요)$", "", name) or text.strip()


def dictate(turn: Turn, question: dict) -> list[str] | None:
    """One utterance of a letter being written: add it, edit the letter, read it so far, finish,
    or throw the draft away. None when the line is no part of the letter: after reading it back,
    a thanks, a goodbye or a request leaves the letter as it is and is met as itself.

    While dictating, the turn's intent is what the companion did with the line (write_letter,
    read_letter for a reading so far); the NLU's own reading of the words stays in
    `Reply.nlu_intent`."""
    key = question["key"]
    letter = turn.store.get("letters", key)
    if letter is None:
        return [turn.say("letter_cancelled")]
    if question.get("named"):  # 'Let's get back to Ray's letter. Add this: …': what follows
        question = {k: v for k, v in question.items() if k != "named"}
        parts = re.split(r"(?<=[.!?~])\s+", " ".join(turn.u.text.split()))
        rest = " ".join(p for p in parts if not _BACK_TO.search(p)).strip()
        if not rest:
            return _read_so_far(turn, question, letter)
        turn.u = replace(turn.u, text=rest)
    said = normalize(turn.u.text)
    if _CANCEL.match(said):
        turn.delete("letters", key)
        _as(turn, "write_letter")
        return [turn.say("letter_cancelled")]
    if (edited := edit(letter["body"], turn.u.text)) is not None:
        turn.pending = question
        _as(turn, "write_letter")
        if edited == letter["body"]:
            return [turn.say("letter_change_missing")]
        turn.put("letters", key, {**letter, "body": edited, "updated_at": turn.at})
        turn.refs.append(key)
        return [turn.say("letter_changed")]
    from earpiece.companion.route import says_goodbye

    bye = says_goodbye(turn.u.text)
    read = (question.get("read") or _paused(turn, letter)) and not _END.match(said)
    if read and (bye or turn.u.intent in _NOT_A_LINE_AFTER_READING):
        return None  # 'thanks, good night' after hearing it: the letter stays as it was read
    if _END.match(said) or turn.u.intent == "stop" or bye:
        return _finish(turn, key, letter, bye)
    if _READ_BACK.search(said):
        return _read_so_far(turn, question, letter)
    _append(turn, key, letter, line_of(turn.u.text))
    _as(turn, "write_letter")
    return [turn.say("letter_added")]


def _append(turn: Turn, key: str, letter: dict, line: str) -> None:
    body = f"{letter['body']} {line}".strip() if letter["body"] else line
    if body and body[-1] not in ".!?。":
        body += "."
    turn.put("letters", key, {**letter, "body": body, "updated_at": turn.at})
    turn.pending = {"kind": "letter", "key": key}
    turn.refs.append(key)


def add_held(turn: Turn, question: dict, check_in: dict) -> list[str]:
    """After a no to the check-in a dictated line met, that line goes into the letter (it was
    the letter's, not held back for good); the person goes on dictating."""
    letter = turn.store.get("letters", question["key"])
    held = str(check_in.get("held") or "").strip()
    if letter is None or not held:
        return []
    _append(turn, question["key"], letter, held)
    return [turn.say("letter_added")]


_NOT_A_LINE_AFTER_READING = frozenset(
    [
        "thanks",
        "goodbye",
        "affirm",
        "deny",
        "greet",
        "stop",
        "help",
        "set_reminder",
        "cancel_reminder",
        "list_reminders",
        "ask_time",
        "ask_date",
        "recall_fact",
        "forget_fact",
        "read_letter",
        "volume_up",
        "volume_down",
        "device_status",
        "tell_joke",
        "sync_now",
    ]
)
"""What a line said right after the letter was read back is, when it is no line of the letter."""


PAUSE = timedelta(minutes=10)
"""After this long with no line, a thanks or a request is said to the device, not dictated."""


def _paused(turn: Turn, letter: dict) -> bool:
    """Whether the letter has words and none were added for a while ('고마워, 수고했어' ten
    minutes after the last line is for the companion)."""
    age = _age(letter, turn.now)
    return bool(str(letter.get("body", "")).strip()) and age is not None and age >= PAUSE


def _age(letter: dict, now: datetime) -> timedelta | None:
    """How long since the letter's last word; None when that time is missing or unreadable."""
    try:
        return now - datetime.fromisoformat(str(letter["updated_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def _as(turn: Turn, intent: str) -> None:
    """The turn is reported as what was done with it (the NLU's reading is kept in policy)."""
    turn.u = replace(turn.u, intent=intent, slots={})


def _finish(turn: Turn, key: str, letter: dict, bye: bool) -> list[str]:
    """'done', '끝', a goodbye: the letter is saved and read once whole."""
    if not bye:
        _as(turn, "write_letter")
    if not letter["body"].strip():
        turn.delete("letters", key)
        return [turn.say("letter_empty")]
    turn.put("letters", key, {**letter, "status": "saved", "updated_at": turn.at})
    turn.refs.append(key)
    done = [turn.say("letter_done", recipient=letter["recipient"], body=letter["body"])]
    return [*done, turn.say("goodbye")] if bye else done


def _read_so_far(turn: Turn, question: dict, letter: dict) -> list[str]:
    """'read it back': the letter as written so far, read; nothing changes, and the person may
    still edit it or go on."""
    _as(turn, "read_letter")
    if not letter["body"].strip():
        turn.pending = question
        return [turn.say("letter_empty_so_far")]
    turn.pending = {"kind": "letter", "key": question["key"], "read": True}
    turn.refs.append(question["key"])
    return [turn.say("letter_so_far", recipient=letter["recipient"], body=letter["body"])]


def line_of(said: str) -> str:
    """The words for the letter in a dictated line, without how to add them ('add: …',
    '끝에 이것도 써 줘. …')."""
    line = " ".join(said.split())
    if head := _ADD_HEAD.match(line):
        found = [head[g] for g in ("rest", "rest2", "rest3", "rest4", "rest5", "rest6")]
        return str(next(g for g in found if g))
    return line


def edit(body: str, said: str) -> str | None:
    """The letter after the edits a line asks for ('change X to Y', "'X'는 빼", 'make it forty',
    'sign it Frank'), each sentence of the line one edit until one is none (the reason after
    it: 'It snowed a lot.'). The body as it was when a quoted wording is not in it; None when
    the line asks no edit (it is dictation)."""
    sentences = [s for s in re.split(r"(?<=[.!?~])\s+", " ".join(said.split())) if s.strip()]
    edited, any_edit = body, False
    for sentence in sentences:
        step = _one_edit(edited, sentence)
        if step is None:
            break
        edited, any_edit = step, True
    return edited if any_edit else None


def _one_edit(body: str, sentence: str) -> str | None:
    quoted = [q.strip() for q in re.findall(rf"[{_QUOTE}]([^{_QUOTE}]+)[{_QUOTE}]", sentence)]
    if (m := _NOT_THAT_EN.match(sentence)) and (found := _find(body, m["old"])) is not None:
        return body[: found[0]] + m["new"] + body[found[1] :]  # 'make that Renata, not Ren'

    if m := _SIGN_EN.match(sentence) or _SIGN_KO.match(sentence):
        return _signed(body, quoted[0] if quoted else m["name"] or m["name2"])
    if m := _REMOVE_EN.match(sentence) or _REMOVE_KO.match(sentence):
        old = quoted[0] if quoted else m["old"].strip(_QUOTE + " ")
        found = _find(body, old)
        if found is None:
            return body if quoted else None
        return _tidy(body[: found[0]] + body[found[1] :])
    m = _CHANGE_EN.match(sentence) or _CHANGE_KO.match(sentence)
    if m is not None and len(quoted) != 1:
        old, new = quoted[:2] if len(quoted) >= 2 else (m["old"], m["new"])
        old, new = old.strip(_QUOTE + " "), new.strip(_QUOTE + " ")
        if old.lower() in _THAT and new:
            return _replaced_like(body, new)
        found = _find(body, old) if old and new else None
        if found is None:
            said_so = quoted or _SAYS_CHANGE.match(sentence) or has_korean(sentence)
            return body if said_so else None
        return body[: found[0]] + new + body[found[1] :]
    if m := _TO_NEW_EN.match(sentence) or _TO_NEW_KO.match(sentence):
        new = quoted[0] if quoted else m["new"].strip(_QUOTE + " ")
        said_so = bool(quoted) or m["verb"].lower() not in ("make", "해")
        if not new or not (said_so or _NUMBER.match(new)):
            return None  # 'make it home safe': dictation
        return _replaced_like(body, new)
    return None


def _find(body: str, words: str) -> tuple[int, int] | None:
    at = body.lower().find(words.lower()) if words else -1
    return (at, at + len(words)) if at >= 0 else None


def _tidy(body: str) -> str:
    """Spaces and commas left by a wording taken out ('못 봐서 , 매주' -> '못 봐서, 매주')."""
    body = re.sub(r"\s+([,.!?])", r"\1", body)
    body = re.sub(r",\s*([,.!?])", r"\1", body)
    return " ".join(body.split())


def _signed(body: str, name: str) -> str:
    name = name.strip(_QUOTE + " .,")
    if not name:
        return body
    tail = body.rstrip()
    if tail and tail[-1] not in ".!?。":
        tail += "."
    return f"{tail} {name}." if tail else f"{name}."


def _replaced_like(body: str, new: str) -> str:
    """'make it forty', "'자주 못 봐도'로 바꿔 줘": the new wording in place of the letter's
    number (a number) or of the wording most like it; the body as it was when none is."""
    number = _NUMBER.match(new)
    if number is not None and (hits := list(_NUMBER.finditer(body))):
        last = hits[-1]
        return body[: last.start()] + number.group() + body[last.end() :]
    words = body.split()
    want = len(new.split())
    best, span = 0.0, None
    for size in {max(1, want - 1), want, want + 1}:
        for i in range(len(words) - size + 1):
            piece = " ".join(words[i : i + size])
            ratio = SequenceMatcher(None, piece.strip(".,!?").lower(), new.lower()).ratio()
            if ratio > best:
                best, span = ratio, (i, size)
    if span is None or best < LIKE:
        return body
    i, size = span
    piece = " ".join(words[i : i + size])
    trail = piece[len(piece.rstrip(".,!?")) :]
    return " ".join([*words[:i], new + trail, *words[i + size :]])


LIKE = 0.6
"""How alike (difflib ratio) a wording of the letter must be to the new one said alone to be
the one it replaces."""
_THAT = frozenset({"it", "that", "this", "그거", "그건", "그걸", "이거", "이건"})
_FILL_EN = (
    r"^(?:(?:wait|no|oh|actually|sorry|and|also|ok(?:ay)?|hmm|um|then)[\s,.!]+)*(?:please\s+)?"
)
_FILL_KO = r"^(?:(?:아니|아니다|잠깐|아|어|그리고|아\s참)[\s,.!]+)?"
_KO_PLEASE = r"(?:\s?줘|\s?주세요|\s?줘요|\s?줄래|\s?줄래요|\s?주라|\s?버려|\s?봐|요)?"
_SIGN_EN = re.compile(
    _FILL_EN + r"sign\s+(?:it|off|the\s+letter|that)\s*(?:(?:as|with|from)\s+)?[,:]?\s*"
    r"(?P<name>\S.*?)[.!]?$",
    re.I,
)
"""'Sign it Frank', 'sign off with love, Mom': the letter's signature."""
_SIGN_KO = re.compile(
    _FILL_KO + r"(?:(?:서명|사인|보내는\s?사람)(?:은|는)?\s?(?P<name>\S.*?)(?:으로|로|이?라고)"
    r"\s?(?:해|써|적어|넣어)"
    r"|(?:끝에|마지막에|맨\s?끝에)(?:는)?\s?(?P<name2>\S.*?)(?:이?라고)\s?(?:서명해|써|적어|넣어|붙여))"
    + _KO_PLEASE
    + r"[.!~]*$"
)
"""'서명은 엄마로 해 줘', "끝에 '할머니가'라고 써 줘": the letter's signature."""
_REMOVE_EN = re.compile(
    _FILL_EN + r"(?:take\s+out|cut\s+out|leave\s+out|delete|remove|strike|scratch)\s+"
    r"(?:the\s+(?:part|bit|line|words?)\s+(?:about\s+|that\s+says\s+)?)?(?P<old>\S.*?)"
    r"(?:\s+out)?[.!]?$",
    re.I,
)
"""'take out "so sorry"', 'delete the part about the car': a wording out of the letter."""
_REMOVE_KO = re.compile(
    _FILL_KO
    + r"(?P<old>\S.*?)\s?(?:은|는|을|를|이|가)?\s?(?:빼|지워|삭제해|없애)"
    + _KO_PLEASE
    + r"[.!~]*$"
)
""""'미안하다'는 빼 줘", '그 문장 지워': a wording out of the letter."""
_TO_NEW_EN = re.compile(
    _FILL_EN + r"(?P<verb>make|change|correct)\s+(?:it|that|this)\s+"
    r"(?:to\s+|say\s+|read\s+|into\s+)?(?P<new>\S.*?)[.!]?$",
    re.I,
)
"""'make it forty', 'change that to see you soon': a new wording for the one like it."""
_TO_NEW_KO = re.compile(
    _FILL_KO
    + r"(?:그거|그건|그걸|이거|이건)?\s?(?P<new>\S.*?)(?:으로|로)\s?(?P<verb>바꿔|고쳐|해|수정해)"
    + _KO_PLEASE
    + r"[.!~]*$"
)
""""'자주 못 봐도'로 바꿔 줘", '사만 원으로 해 줘': a new wording for the one like it."""
_NOT_THAT_EN = re.compile(
    _FILL_EN + r"(?:make|change|put)\s+(?:it|that|this)\s+(?:to\s+|say\s+)?(?P<new>[^,.!]+?),?\s+"
    r"(?:not|instead\s+of)\s+(?P<old>[^,.!]+?)[.!]?(?:\s.*)?$",
    re.I,
)
"""'make that Renata, not Ren': the wording said right in place of the one said before."""
_EDIT_SHAPES = (
    _NOT_THAT_EN,
    _SIGN_EN,
    _SIGN_KO,
    _REMOVE_EN,
    _REMOVE_KO,
    _CHANGE_EN,
    _CHANGE_KO,
    _TO_NEW_EN,
    _TO_NEW_KO,
)
"""Every shape `_one_edit` answers: a line matching none edits nothing."""
_SAYS_CHANGE = re.compile(_FILL_EN + r"(?:change|replace|swap|switch)\b", re.I)
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|hundred|a\s+hundred)\b"
    r"|(?<![가-힣])[일이삼사오육칠팔구십백천만]+(?=\s?(?:원|개|명|살|번|시간|분|달|년))"
    r"|(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무|스물|서른|마흔|쉰)(?=\s?(?:개|명|살|번|시간|달))",
    re.I,
)
"""A number in the letter or said alone: digits, English number words, Korean numbers before a
counter ('삼만 원', '두 번')."""


REOPEN = timedelta(days=2)
"""How long after its last word a letter may still be edited or added to by a line that says
so ('add that I can start right away', 'take out the part about the car')."""


REOPEN_NAMED = timedelta(days=7)
"""How long a letter named again ('let's get back to Ray's letter') may be taken up."""
_BACK_TO = re.compile(
    r"\b(?:get\s+back\s+to|go\s+back\s+to|back\s+to|pull\s+up|open|continue|keep\s+going\s+(?:on|with))\s+"
    r"(?:the\s+)?(?:letter\s+(?:to|for)\s+(?P<who>[A-Z][\w'-]+)|(?P<who2>[A-Z][\w'-]+?)['’]s\s+letter)\b"
    r"|(?P<ko>[가-힣]+?)(?:한테|에게|께)\s?(?:쓰던|쓴|보낼)\s?편지(?:도|를|는)?\s?(?:이어서|다시|계속|마저)"
    r"|(?P<ko2>[가-힣]{2,}?)(?:이)?\s?(?:한테\s?)?(?:쓰던\s?)?편지(?:를|는)?\s?(?:이어서|계속|마저)",
)
"""A letter named to be taken up again: 'let's get back to Ray's letter', 'pull up the letter
to Karen', '정우한테 쓰던 편지 이어서 쓰자'."""


def _letters_with_words(store) -> list[tuple[str, dict]]:
    rows = store.rows("letters", order="json_extract(body, '$.updated_at')")
    return [(k, b) for k, b in rows if str(b.get("body", "")).strip() and b.get("updated_at")]


def _within(letter: dict, now: datetime, span: timedelta) -> bool:
    age = _age(letter, now)
    return age is not None and age <= span


def reopen(store, said: str, now: datetime) -> dict | None:
    """The letter question to answer `said` with, when no letter is being written: a letter
    named to be taken up again within REOPEN_NAMED ('let's get back to Ray's letter'), or the
    latest letter worked on within REOPEN when the line edits it (a wording it holds changed or
    taken out, a signature) or adds to it in words that say so ('add that …', '끝에 … 이거 넣어
    줘'); None otherwise (a request to the device, a line with no such words)."""
    if any(re.search(words, said, re.I) for words in _LEAVING_FOR.values()):
        return None  # 'change the alarm to 7': the reminder's, not the letter's
    named, added = _BACK_TO.search(said), _ADD_HEAD.match(" ".join(said.split()))
    first = re.split(r"(?<=[.!?~])\s+", " ".join(said.split()))[0]
    if not (named or added or any(shape.match(first) for shape in _EDIT_SHAPES)):
        return None  # no words of a letter's: the store is not read (every turn comes here)
    rows = _letters_with_words(store)
    if not rows:
        return None
    if named:  # that one, up to a week back
        wanted = normalize(named["who"] or named["who2"] or named["ko"] or named["ko2"] or "")
        for k, b in reversed(rows):
            to = b["recipient"]
            near = wanted in normalize(to) or same_one(wanted, to)
            if wanted and near and _within(b, now, REOPEN_NAMED):
                return {"kind": "letter", "key": k, "named": True}
        return None
    key, letter = rows[-1]
    if not _within(letter, now, REOPEN):
        return None
    edited = edit(letter["body"], said)
    if (edited is not None and edited != letter["body"]) or added:
        return {"kind": "letter", "key": key}
    return None


def same_one(asked: str, written_to: str) -> bool:
    """'grandma' and '할머니', 'my mom' and '엄마': one person by relation (memory.RELATIONS)."""
    from earpiece.companion.memory import mentions

    wanted, have = mentions(asked)[0], mentions(written_to)[0]
    return bool(wanted) and wanted == have


def read(turn: Turn) -> list[str]:
    saved = turn.store.rows(
        "letters", "status IN ('saved', 'draft')", order="json_extract(body, '$.updated_at')"
    )  # a draft left unfinished is still the letter as far as it was said
    saved = [(k, b) for k, b in saved if str(b.get("body", "")).strip()]
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
