"""How a line reads by its words, whatever the NLU made of it: a plain yes or no to the
question in flight, and a statement about oneself (small talk, not a missed request). Read by
the turn (policy.py) before it routes."""

from __future__ import annotations

import re

from earpiece.companion import checkin
from earpiece.nlu.model import Understanding

_YES = re.compile(
    r"^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|please do|do it|go ahead|correct|right|that'?s right|"
    r"응|어|네|예|그래|그래요|맞아|맞아요|좋아|좋아요|해 ?줘|해 ?주세요|ㅇㅇ|웅|엉)"
    r"(?:[\s,.!~]+[^\s,.!~]+){0,3}[\s,.!~]*$",
    re.I,
)
_BUT_NOT = re.compile(r"\b(?:not|no|don'?t|but|wait)\b|아니|말고|하지\s?마|잠깐|근데", re.I)
_NO = re.compile(
    r"^(?:no|nope|nah|don'?t|never ?mind|cancel|stop|wait|not now|아니|아니야|아니요|아뇨|아냐|"
    r"하지 ?마|됐어|괜찮아|취소|ㄴㄴ|노)(?:[\s,.!~]+.*)?$",
    re.I,
)


def is_yes(u: Understanding) -> bool:
    """A plain yes: 'yes', '응 해 줘', 'sure go ahead'; never 'yes but not now'. The model's
    `affirm` alone is not a yes when the words are negated ('그런 생각 안 해', 'not really'):
    short answers sit close together, and a no read as a yes would act or alarm wrongly."""
    text = u.text.strip()
    if _BUT_NOT.search(text):
        return False
    return bool(_YES.match(text)) or (
        u.intent == "affirm" and len(text.split()) <= 4 and not checkin.NEGATED.search(text)
    )


def is_no(u: Understanding) -> bool:
    """A plain no: the model's deny or stop, or a line that opens with one ('아니', 'not now',
    '취소'), unless the words read as a yes and the model did not hear a deny."""
    if is_yes(u) and u.intent != "deny":
        return False
    return u.intent in ("deny", "stop") or bool(_NO.match(u.text.strip()))


_ONESELF_EN = re.compile(
    r"^(?:(?:oh|so|well|hmm+|um+|ah+|yeah|honestly)[\s,]+)*(?:i|i'm|im|i've|ive|i'd|my|we|we're|it|"
    r"it's|its|today|tonight|this|that|there|life|work)\b",
    re.I,
)
_KO_STATEMENT_END = re.compile(
    r"(?:어|았어|었어|했어|야|네|다|요|지|아|해|더라|거든|는데|래)[.!~…]*$"
)


def about_oneself(u: Understanding) -> bool:
    """A statement about oneself or one's day (small talk), not a request the NLU missed."""
    text = u.text.strip()
    if u.lang == "ko":
        last = text.rstrip(".!~…ㅋㅎㅠㅜ ")[-1:]
        noun_end = bool(last) and "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 == 16
        return bool(_KO_STATEMENT_END.search(text)) or noun_end  # '알바 잘림', '피곤함'

    return bool(_ONESELF_EN.match(text))
