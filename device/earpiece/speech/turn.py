"""One voice turn after the release: pick a transcript, answer, speak; with timings."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from earpiece.companion.policy import Companion, Reply
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


@dataclass
class VoiceTurn:
    """What happened in one turn, for `earpiece turn --json` and the benchmarks."""

    transcript: str = ""
    decoder: str = ""
    transcripts: dict[str, str | None] = field(default_factory=dict)
    reply: Reply | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        base: dict[str, object] = {"transcript": self.transcript, "decoder": self.decoder,
                                   "transcripts": self.transcripts}  # fmt: skip
        if self.reply is not None:
            base.update(self.reply.to_dict())
        base["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        return base


@dataclass(frozen=True)
class Choice:
    """The transcript a turn trusts, which decoder gave it, both transcripts, and (when the
    choice needed it) what the NLU made of it, so the turn does not understand it twice."""

    text: str
    decoder: str
    transcripts: dict[str, str | None]
    understood: Understanding | None = None


def choose_transcript(session: DecodingSession, companion: Companion) -> Choice:
    """A confident command from the grammar decoder is taken at once, without waiting
    for the open decoder. Free speech (an answer to the companion's question, a
    fact, a letter, a feeling) waits for the open decoder, whose words are the
    person's own; it is taken unless it understands worse than the grammar's.
    """
    grammar = session.finish(wait_open=False).grammar or ""
    question = (companion.state.get("pending") or {}).get("kind")
    free = question in FREE_SPEECH_QUESTIONS
    by_grammar = companion.understand(grammar) if grammar else None
    if by_grammar and not free and by_grammar.intent not in (UNKNOWN, *FREE_SPEECH_INTENTS):
        return Choice(grammar, "grammar", {"grammar": grammar, "open": None}, by_grammar)
    open_text = session.open_result() or ""
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
) -> VoiceTurn:
    """Everything after the release. Returns a turn without reply when nothing was heard.

    When the grammar transcript was taken, the open decoder is stopped at once so it does
    not take the CPU from rendering the reply; `keep_open` lets it finish (to report it).
    """
    released = released_at or time.perf_counter()
    turn = VoiceTurn()
    choice = choose_transcript(session, companion)
    if choice.transcripts.get("open") is None and not keep_open:
        session.cancel()
    turn.transcript, turn.decoder, turn.transcripts = (
        choice.text,
        choice.decoder,
        choice.transcripts,
    )
    heard = time.perf_counter()
    turn.timings_ms["stt_final"] = (heard - released) * 1000
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
    spoken = tts.speak(turn.reply.text, turn.reply.lang, speaker)
    if spoken.first_audio_ms is not None:
        turn.timings_ms["tts_first_audio"] = spoken.first_audio_ms
        turn.timings_ms["release_to_first_audio"] = (replied - released) * 1000 + (
            spoken.first_audio_ms)  # fmt: skip
    turn.timings_ms["total"] = (time.perf_counter() - released) * 1000
    return turn
