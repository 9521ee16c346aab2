"""One voice turn after the release: pick a transcript, answer, speak; with timings."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from earpiece.companion.policy import Companion, Reply
from earpiece.hardware.microphone import CaptureStats
from earpiece.hardware.speaker import Speaker
from earpiece.nlu.labels import UNKNOWN
from earpiece.nlu.model import Understanding
from earpiece.speech.stt import DecodingSession
from earpiece.speech.tts import Synthesizer

FREE_SPEECH_QUESTIONS = ("letter", "letter_recipient", "remember_what", "ask_back",
                         "mood_followup", "reminder_time")  # fmt: skip
"""After these questions the person answers in free speech: trust the open decoder."""
FREE_SPEECH_INTENTS = ("remember_fact", "write_letter", "share_feeling")
"""Requests whose words matter beyond their intent: take the open transcript."""
NO_DEADLINE = float("inf")


@dataclass
class VoiceTurn:
    """What happened in one turn, for `earpiece turn --json` and the benchmarks."""

    transcript: str = ""
    decoder: str = ""
    transcripts: dict[str, str | None] = field(default_factory=dict)
    reply: Reply | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    open_timed_out: bool = False
    """The open decoder had not caught up by the deadline; the grammar's transcript was used."""
    interrupted: bool = False
    """A press came before the reply was (fully) spoken."""
    spoken: bool = False
    """The whole reply was played."""
    capture: CaptureStats | None = None
    """What the audio input delivered and lost during the press (None: not a live press)."""

    def to_dict(self) -> dict[str, object]:
        base: dict[str, object] = {"transcript": self.transcript, "decoder": self.decoder,
                                   "transcripts": self.transcripts}  # fmt: skip
        if self.reply is not None:
            base.update(self.reply.to_dict())
        base["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        base.update(open_timed_out=self.open_timed_out, interrupted=self.interrupted,
                    spoken=self.spoken)  # fmt: skip
        if self.capture is not None:
            base["capture"] = self.capture.to_dict()
        return base


@dataclass(frozen=True)
class Choice:
    """The transcript a turn trusts, which decoder gave it, both transcripts, and (when the
    choice needed it) what the NLU made of it, so the turn does not understand it twice."""

    text: str
    decoder: str
    transcripts: dict[str, str | None]
    understood: Understanding | None = None
    open_timed_out: bool = False
    interrupted: bool = False


def _wait_open(
    session: DecodingSession, deadline_s: float, interrupt: threading.Event | None
) -> tuple[str | None, bool]:
    """(open transcript or None, interrupted): waits until the open decoder is done, the
    deadline passes, or `interrupt` is set, whichever comes first."""
    until = time.perf_counter() + deadline_s
    while True:
        left = until - time.perf_counter()
        if left <= 0:
            return None, False
        slice_s = min(left, 0.02) if interrupt is not None else left
        text = session.open_result(timeout=None if slice_s == NO_DEADLINE else slice_s)
        if text is not None:
            return text, False
        if interrupt is not None and interrupt.is_set():
            return None, True


def choose_transcript(
    session: DecodingSession,
    companion: Companion,
    open_deadline_s: float = NO_DEADLINE,
    interrupt: threading.Event | None = None,
) -> Choice:
    """A confident command from the grammar decoder is taken at once, without waiting
    for the open decoder. Free speech (an answer to the companion's question, a
    fact, a letter, a feeling) waits for the open decoder, whose words are the
    person's own; it is taken unless it understands worse than the grammar's.
    The open decoder is waited for at most `open_deadline_s` after the grammar's result;
    past it (or when `interrupt` is set) it is cancelled and the grammar's transcript used.
    """
    grammar = session.finish(wait_open=False).grammar or ""
    question = (companion.state.get("pending") or {}).get("kind")
    free = question in FREE_SPEECH_QUESTIONS
    by_grammar = companion.understand(grammar) if grammar else None
    if by_grammar and not free and by_grammar.intent not in (UNKNOWN, *FREE_SPEECH_INTENTS):
        return Choice(grammar, "grammar", {"grammar": grammar, "open": None}, by_grammar)
    waited, interrupted = _wait_open(session, open_deadline_s, interrupt)
    if waited is None:
        session.cancel(wait=False)
        both = {"grammar": grammar or None, "open": None}
        return Choice(grammar, "grammar", both, by_grammar, open_timed_out=not interrupted,
                      interrupted=interrupted)  # fmt: skip
    open_text = waited
    both = {"grammar": grammar or None, "open": open_text or None}
    if not open_text:
        return Choice(grammar, "grammar", both, by_grammar)
    if free or by_grammar is None:
        return Choice(open_text, "open", both)
    by_open = companion.understand(open_text)
    same = by_open.intent == by_grammar.intent
    if by_grammar.intent != UNKNOWN and not same and by_open.confidence < by_grammar.confidence:
        return Choice(grammar, "grammar", both, by_grammar)
    return Choice(open_text, "open", both, by_open)


def run_turn(
    session: DecodingSession,
    companion: Companion,
    tts: Synthesizer,
    speaker: Speaker,
    released_at: float | None = None,
    keep_open: bool = False,
    open_deadline_s: float = NO_DEADLINE,
    interrupt: threading.Event | None = None,
) -> VoiceTurn:
    """Everything after the release. Returns a turn without reply when nothing was heard.

    When the grammar transcript was taken, the open decoder is stopped at once so it does
    not take the CPU from rendering the reply; `keep_open` lets it finish (to report it).
    `interrupt` (a new press, set from another thread) abandons the turn before anything is
    stored when it comes before the answer, and stops the reply when it comes after.
    """
    released = released_at or time.perf_counter()
    turn = VoiceTurn()
    choice = choose_transcript(session, companion, open_deadline_s, interrupt)
    if choice.transcripts.get("open") is None and not keep_open and not choice.open_timed_out:
        session.cancel()
    turn.transcript, turn.decoder, turn.transcripts = (
        choice.text,
        choice.decoder,
        choice.transcripts,
    )
    turn.open_timed_out = choice.open_timed_out
    heard = time.perf_counter()
    turn.timings_ms["stt_final"] = (heard - released) * 1000
    if choice.interrupted or (interrupt is not None and interrupt.is_set()):
        turn.interrupted = True  # nothing stored, nothing said: the person speaks again
        return turn
    if not choice.text.strip():
        return turn
    understood = choice.understood or companion.understand(choice.text)
    understood_at = time.perf_counter()
    turn.timings_ms["nlu"] = (understood_at - heard) * 1000  # 0 when choosing understood it
    turn.reply = companion.respond(choice.text, understood)
    replied = time.perf_counter()
    turn.timings_ms["reply"] = (replied - understood_at) * 1000
    volume = (companion.store.get("settings", "volume") or {}).get("value", 70)
    tts.volume = volume / 100
    spoken = tts.speak(turn.reply.text, turn.reply.lang, speaker, interrupt)
    turn.spoken = spoken.completed
    turn.interrupted = not spoken.completed
    if spoken.first_audio_ms is not None:
        turn.timings_ms["tts_first_audio"] = spoken.first_audio_ms
        turn.timings_ms["release_to_first_audio"] = (replied - released) * 1000 + (
            spoken.first_audio_ms)  # fmt: skip
    turn.timings_ms["total"] = (time.perf_counter() - released) * 1000
    return turn
