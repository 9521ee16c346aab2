"""The check-in band: when a statement might be a crisis, ask directly and give the line.

Clinicians ask when unsure ("are you thinking of suicide?"); asking does not raise risk. A
turn the classifier puts in the concern band (detect.Danger.CONCERN: below the crisis
threshold, above the lower concern one) gets a short, warm question with the crisis line in
words and digits, and a pending question: a yes (or a crisis statement, or another worrying
answer) gets the full crisis reply; a no gets a warm acknowledgement and the talk goes on;
anything else is handled as itself. A check-in is never a fact and never a command, except
that a clear command with no word of death or leaving is done as asked (exempt()); when a
part of it alone reads as a crisis ('set an alarm for 6, I can't keep doing this':
detect.alarming_part), the command is done without that part and the check-in asked after
it, or, if the command waits for an answer of its own, the check-in alone.
"""

from __future__ import annotations

import re

from earpiece.companion import safety
from earpiece.companion.context import Turn
from earpiece.nlu.model import Understanding
from earpiece.nlu.safety import Danger, before_acting, concern_rules, danger, rules

KIND = "checkin"
"""The pending question's kind while a check-in waits for its answer."""
COMMANDS = frozenset(
    {
        "set_reminder",
        "cancel_reminder",
        "list_reminders",
        "write_letter",
        "read_letter",
        "volume_up",
        "volume_down",
        "sync_now",
        "device_status",
        "ask_time",
        "ask_date",
    }
)
"""Intents a concern-band turn may still be, and be done as: commands and plain questions.
Not remember_fact / forget_fact: a statement that worries is never kept as a fact."""
CLEAR = 0.6
"""Least NLU confidence for a command to count as clear."""
_DARK_WORDS = re.compile(
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|goodbye|farewell|funeral|my\s+will|alone"
    r"|gone|leaving|end\s+it|point|pointless|hopeless|worthless|useless|burden|anyone|nobody"
    r"|all\s+(?:my|the|of\s+(?:my|the))\s+(?:pills|tablets|meds)|everything)\b"
    r"|죽|자살|유서|마지막|작별|장례|사라지|끝내|소용\s?없|의미\s?없|부질\s?없|필요\s?없"
    r"|세상을?\s?떠나",
    re.I,
)
"""Words of death, leaving, endings or hopelessness: with any of them a command is not exempt."""
_PARTLY_YES = re.compile(
    r"\b(?:sometimes|maybe|kind\s+of|sort\s+of|a\s+little|a\s+bit|i\s+think\s+so|i\s+guess"
    r"|a\s+few\s+times|not\s+sure|(?:don'?t|do\s+not)\s+know)\b"
    r"|가끔|조금|그런\s?(?:것\s?)?같|그럴지도|그랬어|모르겠",
    re.I,
)
"""Answers to 'are you thinking of ending your life?' that are not a plain yes but are not a
no either: 'sometimes', '가끔', 'I don't know'. They get the full reply."""
NEGATED = re.compile(r"\b(?:not|never|no|don'?t|nope)\b|안\s?(?:해|들|했)|않|없어|아니", re.I)
"""A no said in other words: 'I'm not', '그런 생각 안 해'."""


ACTING = frozenset({"set_reminder", "remember_fact", "write_letter", "volume_up"})
"""Intents whose turn changes something that could serve a crisis: a reminder, a fact kept, a
letter begun, the volume up. A letter's dictated line is one too (Turn.dictating)."""
_PAYLOAD = ("what", "fact")
"""Slots that hold what the action would store."""


def held(turn: Turn, said: str) -> str | None:
    """Why the action this turn asks for is held back before it is done (detect.before_acting:
    "words" or "meaning"); None when it acts on nothing or may act. A dictated line is held on
    words alone: a letter says 'sorry' and 'goodbye' without a crisis."""
    if turn.dictating:
        return before_acting(said, meaning=False)
    if turn.u.intent not in ACTING:
        return None
    payload = " ".join(str(turn.u.slots[k]) for k in _PAYLOAD if turn.u.slots.get(k))
    return before_acting(said, payload)


def exempt(u: Understanding) -> bool:
    """A clear command or plain question with no dark word: done as asked, no check-in."""
    return u.intent in COMMANDS and u.confidence >= CLEAR and not _DARK_WORDS.search(u.text)


def ask(turn: Turn, crisis_line: str) -> list[str]:
    """The check-in: warm, short, a direct question, the crisis line in words and digits."""
    turn.pending = {"kind": KIND}
    words = safety.in_words(crisis_line, turn.lang)
    return [turn.say("checkin", words=words, number=crisis_line)]


def answer(
    turn: Turn, found: Danger | None, yes: bool, no: bool, crisis_line: str, emergency: str
) -> list[str] | None:
    """The reply to a turn said while a check-in waits: the full crisis reply to a yes (or a
    crisis, or a partial yes, or another worrying line), a warm acknowledgement to a no, and
    None (handle the turn as itself) to anything else."""
    if found is Danger.EMERGENCY:
        return safety.respond(turn, found, crisis_line, emergency)
    text = turn.u.text
    answer_words = turn.u.intent not in COMMANDS  # 'remind me at 9, maybe 10' is a command
    partly = answer_words and _PARTLY_YES.search(text)
    if found in (Danger.CRISIS, Danger.CONCERN) or partly or (yes and not no):
        return safety.respond(turn, Danger.CRISIS, crisis_line, emergency)
    if no or (answer_words and NEGATED.search(text)):
        return [turn.say("checkin_no")]
    return None


_DROPPED = re.compile(
    r"필요\s?(?:없|가\s?없)|안\s?(?:알려|울려)\s?(?:줘도|도)\s?(?:돼|되)|그만\s?(?:알려|울려)"
    r"|취소|지워|지우|삭제|없애|\b(?:(?:don'?t|doesn'?t|do\s+not|does\s+not|won'?t|no\s+longer)"
    r"\s+need|not\s+needed|no\s+need\s+for|cancel|delete|remove)\b",
    re.I,
)
"""A reminder let go: '필요 없어요', 'I don't need it anymore', 'cancel…'."""
_A_REMINDER = re.compile(r"알림|알람|\b(?:reminders?|alarms?)\b", re.I)
_LET_GO = re.compile(
    r"^(?:(?:please|ok(?:ay)?|and|also|oh|so)[\s,]+)*(?:forget|cancel|delete|remove|drop|erase)"
    r"\s+(?:about\s+)?(?:the|my|his|her|that|those|our)\s+\w"
    r"|(?:잊어|지워|취소해|삭제해)\s?(?:줘|주세요|줘요|버려)",
    re.I,
)
"""A command that names what is let go ('Forget the clinic's number.', '그 번호 지워 줘')."""
_POINTED = re.compile(r"그거|그건|그것|이거|이건|\b(?:it|that|this|those|them)\b", re.I)
_ONESELF = re.compile(
    r"\b(?:i'?m|i\s+am|me|myself|anyone|anybody|anything|everything|nothing|nobody|life|living|all"
    r"|alive|world|help)\b|(?:^|\s)(?:나|난|저|전|내가|제가)(?:는|도|같은|란|따위)?(?:\s|$)"
    r"|사람|아무것도|아무도|다\s?필요|모든|전부|세상|인생|살(?:아|고|기|래)|존재|내\s?자신",
    re.I,
)
"""Words of oneself or of everything: 'I don't need anything anymore', '나 이제 필요 없는
사람이야' are never taken for a reminder let go."""
_NOT_NEEDED_LATER = re.compile(
    r"\b(?:gave|given|give\s+away|giving\s+away)\b|\bi\s+won'?t\s+need|\bi'?ll\s+(?:not|never)\s+need"
    r"|\bnext\s+week\b|\bafter\s+(?:this|today|tonight)\b|줬|나눠\s?줬|물려\s?줬"
    r"|필요\s?없을\s?(?:거|테|것|듯)|다음\s?주",
    re.I,
)
"""Things given away, or not needed by me later ('I won't need them', '다음 주 알림은 필요 없을
거야'): a warning sign, never taken for a reminder let go."""


_COMMON = frozenset(
    [
        "the",
        "my",
        "to",
        "and",
        "for",
        "of",
        "at",
        "in",
        "on",
        "me",
        "your",
        "his",
        "her",
        "him",
        "them",
        "it",
        "that",
        "this",
        "with",
        "up",
        "out",
        "off",
        "get",
        "take",
        "go",
        "call",
        "do",
        "be",
        "is",
    ]
)
"""English words too common to name a reminder by ('take my pills' is named by 'pills')."""


def lets_a_reminder_go(text: str, tasks: list[str], just_touched: bool) -> bool:
    """Whether every part of a line that might alarm only lets a reminder (or a thing named in
    a command) go ('화분 알림은 이제 필요 없어요', 'I don't need that anymore' right after one
    was set, 'Cancel the pump reminders. He doesn't need them anymore', 'Forget the clinic's
    number. We won't need it anymore'): the classifier's call on it is a false alarm.
    The rules are asked first and still judge every line (a crisis said beside it stays one)."""
    if rules(text) is not None or concern_rules(text) or _ONESELF.search(text):
        return False  # 'Cancel all my reminders. I won't need them anymore' is not let go
    if _NOT_NEEDED_LATER.search(text):
        return False  # 'gave my guitar away, I won't need it': a sign, whatever else is said
    words = {w for t in tasks for w in re.findall(r"[\w가-힣]{2,}", t.lower())} - _COMMON
    named, rest = just_touched, []
    for sentence in re.split(r"(?<=[.!?~])\s+", text.strip()):
        mine = set(re.findall(r"[\w가-힣]{2,}", sentence.lower()))
        let_go = bool(_LET_GO.search(sentence))
        names = (
            let_go
            or bool(_A_REMINDER.search(sentence))
            or bool(
                {w for w in mine - _COMMON for t in words if w.startswith(t) or t.startswith(w)}
            )
        )
        named = named or names
        pointed = named and _POINTED.search(sentence)
        dropped = let_go or _DROPPED.search(sentence)
        if dropped and (names or pointed):
            continue
        rest.append(sentence)
    if len(rest) == len(re.split(r"(?<=[.!?~])\s+", text.strip())):
        return False
    left = " ".join(rest).strip()
    return not left or danger(left) is None


def lets_the_last_go(text: str) -> bool:
    """'I don't need that anymore', '그거 이제 필요 없어요' said right after a reminder was set or
    moved: that reminder let go (the caller knows one was just touched)."""
    line = text.strip()
    return bool(
        _DROPPED.search(line)
        and _POINTED.search(line)
        and not _ONESELF.search(line)
        and not _NOT_NEEDED_LATER.search(line)
        and not _A_REMINDER.search(line)  # one named by its words is found by cancel_matches
        and len(line) <= 60
    )
