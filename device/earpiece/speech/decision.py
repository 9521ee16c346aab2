"""What a spoken turn may do, from how surely it was heard: act, ask first, or say 'not heard'.

Pure functions of the transcripts, what the NLU made of them and the calibrated
confidence (speech/confidence.py); no companion imports: the turn code maps a
Decision onto the companion's certainty.
"""

from __future__ import annotations

from enum import StrEnum

from earpiece.nlu.labels import STATE_CHANGING
from earpiece.speech.confidence import Heard, Thresholds


class Decision(StrEnum):
    """The three outcomes of hearing."""

    ACT = "act"
    """Heard surely: pass on as SURE."""
    CONFIRM = "confirm"
    """Heard, not surely: pass on as UNSURE (anything that changes state asks a yes first)."""
    NOT_HEARD = "not_heard"
    """Not heard well enough to do anything: earcon + "I didn't catch that", nothing changes."""


def decide(confidence: float, thresholds: Thresholds, anything_heard: bool = True) -> Decision:
    """The full model's confidence -> one of the three outcomes."""
    if not anything_heard or confidence < thresholds.heard:
        return Decision.NOT_HEARD
    return Decision.ACT if confidence >= thresholds.act else Decision.CONFIRM


def decide_free(confidence: float, thresholds: Thresholds, anything_heard: bool = True) -> Decision:
    """An answer in free speech (a letter, a fact, a name the companion asked for): the turn
    confidence is calibrated on commands, so it only rejects what is far too unsure (the
    fast path's floor); anything else goes on as UNSURE, and the companion reads it back
    before it keeps it."""
    if not anything_heard or confidence < thresholds.fast_reject:
        return Decision.NOT_HEARD
    return Decision.CONFIRM


def decide_fast(confidence: float, thresholds: Thresholds) -> Decision | None:
    """At the release, before the open decoder: ACT at once when the fast model is sure
    enough, NOT_HEARD at once when it is far too unsure for the open decoder to save the
    turn, else None (wait for the open decoder and decide with the full model)."""
    if confidence >= thresholds.fast_act:
        return Decision.ACT
    return Decision.NOT_HEARD if confidence < thresholds.fast_reject else None


def pick_decoder(by_grammar: Heard | None, by_open: Heard | None, free: bool) -> str:
    """Which transcript a turn that waited for the open decoder trusts: "grammar" or "open".

    Free speech (an answer to the companion's question) takes the open decoder's words, the
    person's own; otherwise the open transcript too, unless it is empty or understands worse
    than the grammar's (another intent with lower confidence, while the grammar's is known).
    """
    if by_open is None:
        return "grammar"
    if free or by_grammar is None:
        return "open"
    if (
        by_grammar.intent != "unknown"
        and by_open.intent != by_grammar.intent
        and by_open.confidence < by_grammar.confidence
    ):
        return "grammar"
    return "open"


WHISPER_HEARD = 0.35
"""Whisper's confidence (exp(mean token log-probability) x (1 - no-speech probability))
under which a turn is not heard. Set just under every clip of a 41-clip subset of real
read Korean (deeply_ko, every 14th clip: lowest 0.36, CER <= 0.28 each, docs/voice.md):
below it is speech Whisper itself could hardly read; noise is dropped before (guards)."""
WHISPER_ACT = 0.6
"""At or above this confidence a turn Whisper heard that changes nothing is acted on
(answered) at once; between WHISPER_HEARD and this it goes on as UNSURE (asks first)."""


def decide_whisper(
    confidence: float,
    intent: str,
    grammar_intent: str | None,
    free: bool,
    answer_pending: bool,
    anything_heard: bool = True,
    grammar_whole: bool = False,
    heard_at: float = WHISPER_HEARD,
    act_at: float = WHISPER_ACT,
) -> Decision:
    """A turn heard by Whisper (its own confidence; the grammar decoder's intent, if any,
    and whether its words were a whole command phrase).

    Nothing heard or too unsure: not heard. An answer in free speech: read back first
    (CONFIRM). Anything that changes state (and a yes/no to a pending question) acts only
    when the grammar decoder independently heard a whole command phrase of the same intent,
    else it asks first (on free speech the grammar decoder strings command words together,
    and its intent alone once agreed with a long sentence about sending a blanket: a letter
    was written); anything else (a question, a feeling, small talk) is answered when
    Whisper is sure. `heard_at` and `act_at` are the thresholds (the benchmarks try others)."""
    if not anything_heard or confidence < heard_at:
        return Decision.NOT_HEARD
    if free:
        return Decision.CONFIRM
    if confidence < act_at:
        return Decision.CONFIRM
    if intent in STATE_CHANGING or (answer_pending and intent in ("affirm", "deny")):
        return Decision.ACT if grammar_intent == intent and grammar_whole else Decision.CONFIRM
    return Decision.ACT
