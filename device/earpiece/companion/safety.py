"""Safety first: crisis and medical-emergency statements, found by rules and by meaning."""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cache

import numpy as np

from earpiece.companion.context import Turn


class Danger(StrEnum):
    """What kind of danger one utterance speaks of."""

    CRISIS = "crisis"
    """Thoughts of suicide or self-harm, said directly or indirectly."""
    EMERGENCY = "emergency"
    """A medical emergency happening now (chest pain, not breathing, a fall)."""


_CRISIS_EN = re.compile(
    r"\b(?:kill(?:ing)?\s+my\s*self|end(?:ing)?\s+(?:my\s+(?:own\s+)?life|it\s+all|things|everything)"
    r"|take\s+my\s+(?:own\s+)?life|suicid\w*|(?:want|wanna|going|need|ready)\s+(?:to\s+)?die\b"
    r"|wish\s+i\s+(?:was|were)\s+(?:dead|never\s+born|gone)|wish\s+i\s+(?:wasn'?t|weren'?t)\s+"
    r"(?:alive|here|born)|better\s+off\s+(?:dead|without\s+me)|(?:don'?t|do\s+not|no\s+longer)\s+"
    r"(?:want|wanna)\s+(?:to\s+)?(?:live|be\s+alive|exist|be\s+here|wake\s+up)"
    r"|no\s+(?:reason|point)\s+(?:to|in)\s+(?:live|living|go(?:ing)?\s+on|being\s+alive)"
    r"|can'?t\s+go\s+on|can'?t\s+(?:do|take)\s+(?:this|it)\s+any\s*more|(?:hurt|harm|cut)(?:ing)?\s+"
    r"my\s*self|not\s+wake\s+up|disappear\s+(?:forever|for\s+good)|want\s+to\s+disappear"
    r"|(?:never|not)\s+wake\s+up\s+again|never\s+wake\s+up|done\s+with\s+(?:life|living|everything)"
    r"|(?:a|such\s+a)\s+burden\s+to\s+every\w*|(?:what'?s|whats)\s+the\s+point\s+(?:of|in)\s+"
    r"(?:anything|living|life|going\s+on)|want\s+to\s+vanish|(?:about|of)\s+not\s+existing"
    r"|take\s+all\s+(?:of\s+)?my\s+pills|(?:jump|jumping)\s+off\s+(?:a|the)\s+(?:bridge|building|roof)|life\s+(?:is|isn'?t)\s+"
    r"(?:not\s+)?worth\s+living|nobody\s+would\s+(?:miss|care\s+if)\s+i)",
    re.I,
)
_CRISIS_KO = re.compile(
    r"죽고\s?싶|죽어\s?버리고\s?싶|죽어야\s?겠|죽을래|자살|목숨을?\s?끊|생을\s?마감|사라지고\s?싶"
    r"|없어지고\s?싶|살고\s?싶지\s?않|살기\s?싫|살\s?이유가?\s?없|더\s?이상\s?살|자해|손목을?\s?(?:긋|그|그어)"
    r"|뛰어내리(?:고\s?싶|고\s?말|려고|ㄹ|릴)|세상을?\s?떠나고\s?싶|(?:삶|인생|모든\s?걸|다)\s?끝내고\s?싶"
    r"|(?:안|못)\s?깨어났으면|깨어나지\s?않았으면|태어나지\s?말|나\s?없으면\s?(?:다|모두|다들)"
    r"|나\s?(?:하나\s?)?없어도\s?(?:아무도|다들|다)|그만\s?살고\s?싶|없어졌으면\s?좋겠|나\s?(?:같은\s?건\s?)?없는\s?게\s?(?:나아|나을|낫)|사라졌으면\s?좋겠"
    r"|살아서\s?뭐|사는\s?게\s?(?:의미가?\s?없|무슨\s?의미)|영원히\s?잠들|약을?\s?(?:다|전부)\s?먹어\s?버리"
)
_EMERGENCY_EN = re.compile(
    r"\b(?:can'?t|cannot|can\s+not|hard\s+to|trouble|struggling\s+to)\s+breath(?:e|ing)"
    r"|chest\s+(?:pain|hurts|is\s+(?:really\s+)?(?:hurting|tight|crushing))|my\s+chest\s+hurts"
    r"|heart\s+attack|(?:having|had|have)\s+a\s+(?:stroke|seizure)|i'?m\s+choking|(?:i\s+)?fell"
    r"\s+(?:down\s+)?and\s+(?:can'?t|cannot)\s+(?:get\s+up|move)|bleeding\s+(?:a\s+lot|badly|heavily"
    r"|won'?t\s+stop)|passed\s+out|took\s+too\s+many\s+pills|overdos\w+|call\s+(?:an?\s+)?"
    r"ambulance|face\s+is\s+drooping|can'?t\s+feel\s+my\s+(?:arm|leg|face)",
    re.I,
)
_EMERGENCY_KO = re.compile(
    r"숨(?:을|이)?\s?(?:못\s?쉬|안\s?쉬어|막혀|막힐|안\s?쉬어져|쉬기\s?(?:힘들|어려))|숨쉬기\s?(?:가\s?)?(?:힘들|어려)"
    r"|가슴이?\s?(?:너무\s?|엄청\s?|막\s?)?(?:아파|아프|답답해|조여|쥐어짜|찢어질)|심장이?\s?(?:너무\s?)?(?:아파|멎)"
    r"|쓰러졌|쓰러질\s?것|피가\s?(?:많이|안\s?멈|멈추지)|의식이?\s?없|발작|구급차|넘어져서\s?(?:못|일어날)"
    r"|약을?\s?너무\s?많이\s?먹었|한쪽이?\s?마비|마비가?\s?(?:왔|됐)"
)
_NOT_LITERAL = re.compile(r"dying\s+to\s+(?:see|try|know|hear|meet)|kill\s+myself\s+laughing", re.I)
"""Figures of speech that look like danger but are not."""

PROTOTYPES = (
    "I want to die", "I want to kill myself", "I don't want to live anymore",
    "I'm thinking about ending my life", "I wish I could disappear forever",
    "everyone would be better off without me", "I don't see the point of living",
    "I want it all to end", "I'm going to hurt myself", "I can't go on like this",
    "I have no reason to live",
    "죽고 싶어", "살고 싶지 않아", "사라지고 싶어", "그냥 다 끝내고 싶어", "내가 없어지면 좋겠어",
    "나 같은 건 없는 게 나아", "살 이유가 없어", "자해하고 싶어", "더 이상 버틸 수가 없어",
    "잠들어서 영영 안 깨어났으면 좋겠어", "이제 그만 살고 싶어", "다 포기하고 싶어 인생을",
)  # fmt: skip
"""Crisis statements the sentence encoder compares each utterance with (the model layer)."""
MODEL_THRESHOLD = 0.68
"""Cosine similarity to the nearest prototype at which the model layer calls it a crisis."""
_MODEL_INTENTS = ("share_feeling", "unknown", "remember_fact", "stop", "deny", "goodbye")


def danger(text: str, intent: str = "unknown") -> Danger | None:
    """The danger an utterance speaks of, by rules first and then by meaning; None if none."""
    if _NOT_LITERAL.search(text) and not (_CRISIS_KO.search(text)):
        return None
    if _CRISIS_EN.search(text) or _CRISIS_KO.search(text):
        return Danger.CRISIS
    if _EMERGENCY_EN.search(text) or _EMERGENCY_KO.search(text):
        return Danger.EMERGENCY
    if intent in _MODEL_INTENTS and crisis_similarity(text) >= MODEL_THRESHOLD:
        return Danger.CRISIS
    return None


@cache
def _prototype_vectors() -> np.ndarray:
    from earpiece.nlu.encoder import embed

    return embed(list(PROTOTYPES))


def crisis_similarity(text: str) -> float:
    """Cosine similarity of the utterance to the nearest crisis prototype (0 if unavailable)."""
    try:
        from earpiece.nlu.encoder import EncoderError, embed
    except ImportError:  # pragma: no cover - the encoder module ships with the package
        return 0.0
    try:
        vector = embed([text[:500]])[0]
        return float((_prototype_vectors() @ vector).max())
    except EncoderError:
        return 0.0  # the rules still answer; `earpiece doctor` reports the missing encoder


_KO_DIGITS = "공일이삼사오육칠팔구"
_EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def in_words(number: str, lang: str) -> str:
    """A phone number digit by digit in words: '109' -> '일 공 구' / 'one zero nine'."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if lang == "ko":
        return " ".join(_KO_DIGITS[d] for d in digits)
    return " ".join(_EN_DIGITS[d] for d in digits)


def respond(turn: Turn, found: Danger, crisis_line: str, emergency: str) -> list[str]:
    """A warm, direct reply that gives the number to call, in words and in digits."""
    lang = turn.lang
    if found is Danger.EMERGENCY:
        turn.pending = {"kind": "safety", "danger": found.value}
        return [turn.say("emergency", words=in_words(emergency, lang), number=emergency)]
    turn.pending = {"kind": "safety", "danger": found.value}
    return [
        turn.say("crisis", words=in_words(crisis_line, lang), number=crisis_line),
        turn.say("crisis_emergency", words=in_words(emergency, lang), number=emergency),
    ]
