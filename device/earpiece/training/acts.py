"""English speech-act labels derived from intents: what teaches (and measures) the English act head.

English has no public set labelled with speech acts, so the labels come from what a line is
for, which HWU64's intents and our own intents say (models/nlu/PUBLIC_DATA.md):

- an intent that asks the device to do something (set an alarm, play music, dim the lights,
  stop, louder, send an email) is a `request`, whatever its form: "i want to hear jazz",
  "darker lights please", "olly that's enough" are requests the sentence-form rules miss;
- social replies and feelings (thanks, praise, yes, no, hello, "i had an awful day") are
  `statement`s;
- an intent that asks for information (the weather, the time, my reminders) is a `question`
  only when it is asked as one (it starts with a question word or an auxiliary, or ends with
  "?"); "tell me the weather" or "weather today" stay unlabelled, since their act is their
  form, not their intent;
- a fact told in passing (remember_fact: "my sister is called Ana") is a `statement`, the
  kind the companion keeps; "remember that ..." / "note this ..." is left unlabelled (the
  rules read it as a request);
- everything else (calendar, chit-chat, unknown) is unlabelled.
"""

from __future__ import annotations

import re
from dataclasses import replace

from earpiece.nlu.featurizer import normalize
from earpiece.training.dataset import Example

HWU64_REQUESTS = frozenset(
    {
        ("alarm", "set"),
        ("alarm", "remove"),
        ("audio", "volume_up"),
        ("audio", "volume_down"),
        ("audio", "volume_mute"),
        ("calendar", "set"),
        ("calendar", "remove"),
        ("email", "sendemail"),
        ("email", "addcontact"),
        ("general", "commandstop"),
        ("general", "repeat"),
        ("general", "joke"),
        ("iot", "cleaning"),
        ("iot", "coffee"),
        ("iot", "hue_lightchange"),
        ("iot", "hue_lightdim"),
        ("iot", "hue_lightoff"),
        ("iot", "hue_lighton"),
        ("iot", "hue_lightup"),
        ("iot", "wemo_off"),
        ("iot", "wemo_on"),
        ("lists", "createoradd"),
        ("lists", "remove"),
        ("music", "settings"),
        ("play", "audiobook"),
        ("play", "game"),
        ("play", "music"),
        ("play", "podcasts"),
        ("play", "radio"),
        ("social", "post"),
        ("takeaway", "order"),
        ("transport", "taxi"),
        ("transport", "ticket"),
    }
)
"""HWU64 intents that ask the device to act."""
HWU64_STATEMENTS = frozenset(
    {("general", "praise"), ("general", "affirm"), ("general", "negate"), ("general", "dontcare")}
)
"""HWU64 intents that tell the device something (a reply, thanks, "i don't care")."""
HWU64_QUERIES = frozenset(
    {
        ("alarm", "query"),
        ("calendar", "query"),
        ("cooking", "recipe"),
        ("datetime", "query"),
        ("datetime", "convert"),
        ("email", "query"),
        ("email", "querycontact"),
        ("lists", "query"),
        ("music", "query"),
        ("news", "query"),
        ("qa", "currency"),
        ("qa", "definition"),
        ("qa", "factoid"),
        ("qa", "maths"),
        ("qa", "stock"),
        ("recommendation", "events"),
        ("recommendation", "locations"),
        ("recommendation", "movies"),
        ("social", "query"),
        ("takeaway", "query"),
        ("transport", "query"),
        ("transport", "traffic"),
        ("weather", "query"),
    }
)
"""HWU64 intents that ask for information: a question when asked as one."""

OUR_REQUESTS = frozenset(
    {
        "set_reminder",
        "cancel_reminder",
        "forget_fact",
        "write_letter",
        "read_letter",
        "tell_joke",
        "repeat",
        "stop",
        "volume_up",
        "volume_down",
        "sync_now",
    }
)
OUR_STATEMENTS = frozenset({"greet", "goodbye", "thanks", "affirm", "deny", "share_feeling"})
OUR_QUERIES = frozenset(
    {
        "help",
        "ask_time",
        "ask_date",
        "list_reminders",
        "recall_fact",
        "ask_companion",
        "ask_companion_feeling",
        "device_status",
    }
)

_ASKED = re.compile(
    r"^(?:(?:hey|so|and|but|ok|okay|um|uh|well|olly|samantha)\s+)*(?:what|whats|when|whens|"
    r"where|wheres|who|whos|whom|why|how|hows|which|whose|is|isnt|are|arent|am|was|were|do|"
    r"does|doesnt|did|didnt|dont|have|has|had|will|would|should|shall|may|might|can|could)\b"
)
_TOLD_TO_KEEP = re.compile(
    r"^(?:(?:hey|so|ok|okay|um|please|samantha)\s+)*(?:remember|note|save|store|keep|jot|write|"
    r"put|add|make|memorize|log|record|dont|do)\b|\bplease\b"
)
_POLITE = re.compile(r"^(?:(?:hey|so|ok|okay|um|olly|samantha)\s+)*(?:can|could|would|will) you\b")


def asked_as_question(text: str) -> bool:
    """True when the line is put as a question (question word or auxiliary first, or '?').

    "can you / could you ..." is a polite request, not counted here.
    """
    norm = normalize(text).replace("'", "")
    if not norm or _POLITE.search(norm):
        return False
    return text.rstrip().endswith("?") or bool(_ASKED.search(norm))


def _by_kind(kind: str | None, text: str) -> str | None:
    if kind == "query":
        return "question" if asked_as_question(text) else None
    return kind


def hwu64_act(scenario: str, intent: str, text: str) -> str | None:
    """The act of one HWU64 line, or None (unlabelled)."""
    key = (scenario, intent)
    kind = (
        "request"
        if key in HWU64_REQUESTS
        else "statement"
        if key in HWU64_STATEMENTS
        else "query"
        if key in HWU64_QUERIES
        else None
    )
    return _by_kind(kind, text)


def intent_act(intent: str | None, text: str) -> str | None:
    """The act of one authored English line from its intent, or None (unlabelled)."""
    if intent == "remember_fact":
        norm = normalize(text).replace("'", "")
        told = _TOLD_TO_KEEP.search(norm) or _POLITE.search(norm) or asked_as_question(text)
        return None if told else "statement"
    kind = (
        "request"
        if intent in OUR_REQUESTS
        else "statement"
        if intent in OUR_STATEMENTS
        else "query"
        if intent in OUR_QUERIES
        else None
    )
    return _by_kind(kind, text)


def with_english_acts(examples: list[Example]) -> list[Example]:
    """The examples, each authored English line that has no act given one from its intent."""
    return [
        replace(ex, act=intent_act(ex.intent, ex.text))
        if ex.lang == "en" and not ex.public and ex.act is None and ex.intent
        else ex
        for ex in examples
    ]
