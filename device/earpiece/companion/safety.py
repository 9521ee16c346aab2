"""Safety first, the replies: a crisis gets the crisis line warmly, an emergency the emergency
number first, and the companion stays with the person after; detection is nlu/safety/."""

from __future__ import annotations

import re

from earpiece.companion.context import Turn
from earpiece.nlu.safety.patterns import Danger, self_inflicted

_KO_DIGITS = "공일이삼사오육칠팔구"
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: str, lang: str) -> str:
    """A phone number digit by digit in words: '109' -> '일 공 구' / 'one zero nine'."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if lang == "ko":
        return " ".join(_KO_DIGITS[d] for d in digits)
    return " ".join(_EN_DIGITS[d] for d in digits)


def respond(turn: Turn, found: Danger, crisis_line: str, emergency: str) -> list[str]:
    """A warm, direct reply that gives the number to call, in words and in digits. An
    emergency's reply begins with its number; one the person did to themselves (pills taken,
    a cut that will not stop) gives the crisis line after it."""
    lang = turn.lang
    if found is Danger.EMERGENCY:
        turn.pending = {"kind": "safety", "danger": found.value, "at": turn.at}
        parts = [turn.say("emergency", words=in_words(emergency, lang), number=emergency)]
        if self_inflicted(turn.u.text):
            words = in_words(crisis_line, lang)
            parts.append(turn.say("emergency_crisis_too", words=words, number=crisis_line))
        return parts
    turn.pending = {"kind": "safety", "danger": found.value}
    return [
        turn.say("crisis", words=in_words(crisis_line, lang), number=crisis_line),
        turn.say("crisis_emergency", words=in_words(emergency, lang), number=emergency),
    ]


def stay_after(turn: Turn, over: bool = False) -> list[str]:
    """Help is there or the worst is `over` (home now, out of surgery): stay with them and ask
    how they are, no number again, no question about their nerves; the companion follows up
    later (policy)."""
    turn.pending = {"kind": "safety_after"}
    return [turn.say("emergency_over" if over else "emergency_after")]


def stay_during(turn: Turn, emergency: str, since: str) -> list[str]:
    """Another worried line while an emergency is still happening: the number first, then
    company; never 'what are you nervous about'. `since`: when the emergency was first met
    (staying does not extend the window)."""
    turn.pending = {"kind": "safety", "danger": Danger.EMERGENCY.value, "at": since}
    words = in_words(emergency, turn.lang)
    return [turn.say("emergency_during", words=words, number=emergency)]


_HELP_NAMED = re.compile(
    r"\b(?:ambulance|paramedics|medics|911|999|112|119|pumped\s+(?:his|her|my)\s+stomach"
    r"|firem[ae]n|firefighters|fire\s+brigade|a\s*&\s*e|emergency\s+room|icu|resus)(?!\w)"
    r"|구급차|구급대|119|위세척|소방관|소방대|응급실|중환자실|실려\s?(?:갔|가|왔)|이송",
    re.I,
)


def help_named(text: str) -> bool:
    """The aftermath names the help itself ('the ambulance came', '위세척 했대'): recognised even
    said alone, with no emergency before it in this talk."""
    return bool(_HELP_NAMED.search(text))


_WHAT_TO_DO = re.compile(
    r"\b(?:what\s+(?:do|should|can)\s+i\s+do|what\s+now|help\s+me|please\s+help|hurry)\b"
    r"|어떡해|어떻게\s?해|어떻게\s?하지|뭘\s?해야|도와\s?줘|빨리",
    re.I,
)


def asks_what_to_do(text: str) -> bool:
    """'What do I do', '어떡해': asked while an emergency is still happening."""
    return bool(_WHAT_TO_DO.search(text))


_WAITING = re.compile(
    r"괜찮아지는\s?것\s?같|나아지는\s?것\s?같|쉬면\s?(?:되|나아|괜찮|낫)|좀\s?(?:있다가|기다려|지켜\s?보)"
    r"|별거\s?아닌|별일\s?아닌|병원\s?안\s?가도|참아\s?볼|기다려\s?볼|자고\s?나면"
    r"|\b(?:wait\s+and\s+see|see\s+if\s+it\s+(?:passes|goes|settles)|probably\s+(?:nothing|fine|ok(?:ay)?)"
    r"|sleep\s+it\s+off|lie\s+down\s+for\s+a\s+bit|rest\s+for\s+a\s+bit|feeling\s+(?:a\s+bit\s+)?better"
    r"|it'?s\s+(?:going\s+away|passing|easing)|(?:might|may)\s+be\s+(?:easing|passing|going\s+away|settling)"
    r"|(?:lie|lay)\s+down|have\s+a\s+(?:rest|nap|lie[-\s]down)|just\s+rest"
    r"|don'?t\s+want\s+to\s+(?:make\s+a\s+fuss|bother\s+anyone))",
    re.I,
)
_STILL_SIGNS = re.compile(
    r"\b(?:heavy|numb\w*|tingl\w*|weak(?:er)?|slurr\w*|dizz\w*|faint\w*|sweat\w*|chest|breath\w*"
    r"|bleed\w*|worse|can'?t\s+(?:feel|move|lift|talk|speak|see))\b"
    r"|저려|저리|무거워|무겁|마비|어지러|식은땀|숨이|숨을|가슴|피가|더\s?(?:아파|심해)|말이\s?(?:안|잘\s?안)",
    re.I,
)


_NO_PLAN = re.compile(
    r"\b(?:not|n'?t)\s+(?:gonna|going\s+to)\s+do\s+(?:anything|it)\b|\bjust\s+(?:really\s+)?(?:tired"
    r"|exhausted|worn\s+out)\b|\bnot\s+(?:like\s+that|that\s+kind\s+of)\b"
    r"|뭘?\s?(?:하겠다는|하려는|할\s?거라는)\s?(?:건|게|거)\s?아니|그냥\s?(?:너무\s?|좀\s?)?(?:지쳐|피곤해|힘들어)"
    r"|그런\s?(?:생각|뜻)(?:은|까지는?)?\s?(?:안|없|아니)",
    re.I,
)


def no_plan(text: str) -> bool:
    """After the crisis reply: 'no, I'm not gonna do anything, I'm just tired', '뭘 하겠다는 건
    아니고 그냥 지쳐서': believed, met warmly, the line left with them once more."""
    return bool(_NO_PLAN.search(text))


def waits_it_out(text: str) -> bool:
    """While an emergency is happening: 'maybe I'll just rest', '좀 괜찮아지는 것 같기도 하고',
    or another sign told ('the arm's heavy too'): the number again, first, not a question."""
    return bool(_WAITING.search(text) or _STILL_SIGNS.search(text))
