"""How the runtime tells the companion to take the words it chose."""

from __future__ import annotations

from earpiece.companion.outcome import Certainty
from earpiece.runtime.turn import Choice, certainty_of
from earpiece.speech.decision import Decision


def _choice(decision: Decision, agreed: bool = True) -> Choice:
    return Choice("x", "whisper", {}, None, decision, 0.9, "full", agreed=agreed)


def test_only_an_agreed_act_is_sure():
    assert certainty_of(_choice(Decision.ACT)) is Certainty.SURE
    assert certainty_of(_choice(Decision.CONFIRM)) is Certainty.UNSURE


def test_whisper_alone_answers_but_changes_nothing_without_a_yes():
    # Whisper's ACT is for answers; a fact told inside the same words must be asked about
    assert certainty_of(_choice(Decision.ACT, agreed=False)) is Certainty.UNSURE
