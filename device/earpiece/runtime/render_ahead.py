"""The English phrases a reply is certain to open with, for the neural voice to render once."""

from __future__ import annotations

import re

from earpiece.companion import replies
from earpiece.runtime.turn import NOT_HEARD_WORDS
from earpiece.speech.tts import sentences

_LEAD_CLAUSE = re.compile(r"^[^,:;{]+[,:;](?=\s)")
"""The fixed first clause of a sentence that goes on with a placeholder ('Got it:')."""


def opening_phrases() -> list[str]:
    """ "I didn't catch that", then each English reply template's first sentence when it has
    no placeholder, else its first clause when that has none ('Got it: {what}, {when}.' ->
    'Got it:'). Only the first sentence waits for synthesis: the rest renders while it plays.

    >>> opening_phrases()[:2]
    ["Sorry, I didn't catch that.", 'Hi!']
    """
    found = [NOT_HEARD_WORDS["en"]]
    for key in replies.keys("en"):
        for template in replies.variants("en", key):
            first = (sentences(template) or [""])[0]
            if first and not replies.placeholders(first):
                found.append(first)
            elif lead := _LEAD_CLAUSE.match(first):
                found.append(lead.group(0))
    return list(dict.fromkeys(found))
