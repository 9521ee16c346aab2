"""The safety verdict on one utterance: the rules first, then its meaning."""

from __future__ import annotations

import re

from earpiece.nlu.safety.model import model_danger
from earpiece.nlu.safety.patterns import (
    AFTER_EN,
    AFTER_KO,
    Danger,
    concern_rules,
    rules,
    without_figures,
)


def danger(text: str, intent: str = "unknown") -> Danger | None:
    """The danger an utterance speaks of, by rules first and then by the classifier; None if none.

    Recall comes first: the rules are a floor (what they catch stays caught); the learned
    classifier (models/safety/crisis.npz) reads every turn that is not a plain yes or no.
    CONCERN (the check-in band, companion/checkin.py) comes from the classifier alone.
    """
    found = rules(text)
    if found is not None or intent in _NO_MODEL_INTENTS:
        return found
    literal = without_figures(text)
    if not literal.strip():
        return None
    by_model = model_danger(literal)
    if by_model is Danger.EMERGENCY and _WOKE.search(text.strip()):
        by_model = None  # 'I just woke up' is not 'he won't wake up'
    if by_model is Danger.CONCERN and _ROUTINE_DOSE.search(text.strip()):
        by_model = None  # 'I take insulin every morning': a routine, not a worry (the rules
        # still catch an amount taken, pills hoarded or counted)
    if by_model in (None, Danger.CONCERN) and concern_rules(text):
        return Danger.CONCERN  # 'when I'm gone': ask, give the line, serve nothing
    return by_model


_ROUTINE_DOSE = re.compile(
    r"^(?:i|we|my\s+\w+)\s+(?:take|takes|use|uses|am\s+on|is\s+on)\s+(?:my\s+|his\s+|her\s+)?"
    r"[\w-]+(?:\s+[\w-]+)?(?:\s+(?:pills?|tablets?|shots?|medicine|meds))?\s+"
    r"(?:every|each|twice\s+a|once\s+a|in\s+the)\s+(?:morning|day|night|evening|week)s?[.!]?$"
    r"|^(?:(?:저는|나는|난|전)\s?)?(?:매일|아침마다|저녁마다|밤마다|하루\s?(?:에\s?)?(?:한|두|세)\s?번)\s?"
    r"[가-힣]+(?:을|를)?\s?(?:먹어|먹어요|먹습니다|맞아|맞아요|맞습니다|놔|놔요)[.!]?$",
    re.I,
)
"""A routine dose said plainly ('I take insulin every morning', '매일 아침 혈압약 먹어요'): the
classifier's check-in band, fed on 'pills' beside worries, must not ask a crisis question."""


_NO_MODEL_INTENTS = ("affirm", "deny")
"""Intents the classifier does not read: a yes or no to a question is never a crisis by meaning."""


def still_acute(text: str) -> bool:
    """With its 'help is called / it is over' words taken out, does the line still say a
    danger: an emergency still happening ('I called 911 but he's still not breathing'), or a
    crisis or a worry beside the aftermath ('they pumped my stomach, next time I'll take
    more')? Then the companion answers that, not the aftermath."""
    rest = AFTER_KO.sub(" ", AFTER_EN.sub(" ", text))
    if not rest.strip():
        return False
    if rules(rest) is not None or concern_rules(rest):
        return True
    # a word or two left over ('아기가', 'and') is too little for the classifier to read
    return len(rest.split()) >= _LEAST_WORDS and model_danger(rest) is not None


_LEAST_WORDS = 3
"""Fewest words left beside the aftermath for the classifier to call it still acute."""


_WOKE = re.compile(
    r"^(?:(?:oh|ok|okay|hi|hey|morning|yeah)[\s,]+)?i\s+(?:just|only\s+just|have\s+just|'ve\s+just)\s+"
    r"(?:woke|got|gotten)\s+up\b|^(?:나\s?|저\s?)?(?:방금|이제\s?막|막|이제|지금)\s?(?:일어났|깼|잠에서\s?깼)",
    re.I,
)
"""'I just woke up': a classifier fed on 'he won't wake up' / '못 일어나' must not call it an
emergency."""
