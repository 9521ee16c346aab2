"""One voice turn after the release: pick a transcript, decide how surely it was heard, answer.

Act, ask first, or "I didn't catch that" (speech/decision.py) from one calibrated turn
confidence (speech/confidence.py); with timings.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from earpiece.companion.outcome import Certainty, Outcome
from earpiece.companion.policy import Companion, Reply
from earpiece.hardware.earcons import EARCONS
from earpiece.hardware.earcons import RATE as EARCON_RATE
from earpiece.hardware.microphone import CaptureStats
from earpiece.hardware.speaker import Speaker
from earpiece.nlu.labels import UNKNOWN
from earpiece.nlu.model import Understanding
from earpiece.speech.confidence import Heard, TurnConfidence, features
from earpiece.speech.decision import (
    STATE_CHANGING,
    Decision,
    decide,
    decide_fast,
    decide_free,
    decide_whisper,
    pick_decoder,
)
from earpiece.speech.recognizer import RecognizerSession
from earpiece.speech.tts import Spoken, Synthesizer

FREE_SPEECH_QUESTIONS = (
    "letter",
    "letter_recipient",
    "remember_what",
    "ask_back",
    "mood_followup",
    "reminder_time",
)
"""After these questions the person answers in free speech: trust the open decoder."""
FREE_SPEECH_INTENTS = ("remember_fact", "write_letter", "share_feeling")
"""Requests whose words matter beyond their intent: take the open transcript."""
ANSWERS = ("affirm", "deny")
"""With a question pending, a yes or no is what changes state: never taken without waiting."""
NOT_HEARD_WORDS = {"ko": "잘 못 들었어요. 다시 말해 줄래요?", "en": "Sorry, I didn't catch that."}
NO_DEADLINE = float("inf")
ENGLISH_GRAMMAR = "grammar_en"
"""The English command grammar's name in a turn's `decoder` and `transcripts`
(speech/english_grammar.py); its takes carry turn confidence 1.0: a rule (a whole phrase
shaped like the speech, read by the NLU as the phrase's intent), not a calibrated figure."""
THINKING_MS = 400.0
"""A turn whose free-speech decoder should still take longer than this after the release
(ms) sounds the "thinking" earcon at once, so the wait is not silent."""


@dataclass
class VoiceTurn:
    """What happened in one turn, for `earpiece turn --json` and the benchmarks."""

    transcript: str = ""
    decoder: str = ""
    transcripts: dict[str, str | None] = field(default_factory=dict)
    reply: Reply | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    decision: Decision = Decision.NOT_HEARD
    confidence: float = 0.0
    """The calibrated probability that the intent heard is the one said."""
    stage: str = ""
    """fast (decided at the release on the grammar decoder) or full (after the open one)."""
    spoke: bool = False
    """Something was said back (a reply, or "I didn't catch that")."""
    open_timed_out: bool = False
    """The open decoder had not caught up by the deadline; the grammar's transcript was used."""
    interrupted: bool = False
    """A press came before the reply was (fully) spoken."""
    spoken: bool = False
    """The whole reply was played."""
    capture: CaptureStats | None = None
    """What the audio input delivered and lost during the press (None: not a live press)."""
    lang: str = ""
    """The language heard (Whisper's choice per turn; else the recogniser's)."""
    whisper: dict[str, object] | None = None
    """Whisper's signals for the turn (None: Whisper did not decode it)."""
    speech: Spoken | None = None
    """How the reply was spoken: which voice, and synthesis ms per sentence."""
    english: dict[str, object] | None = None
    """What the English command grammar heard (None: not run)."""

    @property
    def outcome(self) -> Outcome:
        return self.reply.outcome if self.reply is not None else Outcome.NOT_HEARD

    def to_dict(self) -> dict[str, object]:
        base: dict[str, object] = {
            "transcript": self.transcript,
            "decoder": self.decoder,
            "transcripts": self.transcripts,
            "lang": self.lang,
        }
        if self.whisper is not None:
            base["whisper"] = self.whisper
        if self.english is not None:
            base["english_grammar"] = self.english
        if self.reply is not None:
            base.update(self.reply.to_dict())
        base.setdefault("danger", "none")  # nothing heard: nothing met
        base["outcome"] = self.outcome.value
        base["decision"] = self.decision.value
        base["turn_confidence"] = round(self.confidence, 3)
        base["stage"] = self.stage
        base["timings_ms"] = {k: round(v, 1) for k, v in self.timings_ms.items()}
        base.update(
            open_timed_out=self.open_timed_out, interrupted=self.interrupted, spoken=self.spoken
        )
        if self.capture is not None:
            base["capture"] = self.capture.to_dict()
        if self.speech is not None:
            base["tts"] = self.speech.to_dict()
        return base


@dataclass(frozen=True)
class Choice:
    """The transcript a turn trusts, which decoder gave it, both transcripts, what the NLU
    made of it (so the turn does not understand it twice), and how surely it was heard."""

    text: str
    decoder: str
    transcripts: dict[str, str | None]
    understood: Understanding | None = None
    decision: Decision = Decision.NOT_HEARD
    confidence: float = 0.0
    stage: str = "full"
    open_timed_out: bool = False
    interrupted: bool = False
    agreed: bool = True
    """Whether a state change may follow from the words without a yes: False for Whisper's
    words unless the grammar decoder heard the same whole command (its ACT is for answers:
    the companion may still find a fact told, a reminder asked for, in what it answers)."""


def certainty_of(choice: Choice) -> Certainty:
    """How the companion is to take the chosen words: sure only when acting on them was
    decided and the decoders agree; otherwise nothing changes state without a yes."""
    if choice.decision is Decision.ACT and choice.agreed:
        return Certainty.SURE
    return Certainty.UNSURE


def _heard(u: Understanding | None) -> Heard | None:
    return Heard(u.intent, u.confidence) if u is not None else None


def _wait_open(
    session: RecognizerSession, deadline_s: float, interrupt: threading.Event | None
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
    session: RecognizerSession,
    companion: Companion,
    open_deadline_s: float = NO_DEADLINE,
    interrupt: threading.Event | None = None,
    model: TurnConfidence | None = None,
    thinking: Callable[[], object] | None = None,
) -> Choice:
    """At the release the grammar decoder's command is taken at once when the fast model is
    sure of it and it changes nothing, and a turn far too unsure to be saved is not heard.
    Otherwise (and always for free speech: an answer to the companion's question, a fact, a
    letter, a feeling) the turn waits for the open decoder and the full model decides: act,
    ask first, or not heard. The open decoder is waited for at most `open_deadline_s`; past
    it the fast model decides on the grammar's transcript, and a command that would change
    state is only asked about, never done.

    When the open decoder is Whisper, a turn the grammar decoder does not take at once
    always waits for it (the grammar's doubt says nothing about free speech), and Whisper's
    own confidence decides (speech/decision.py: decide_whisper). `thinking` is called
    before that wait when the open decoder expects to take longer than THINKING_MS.
    """
    model = model or TurnConfidence.load()
    name = session.open_name
    whisper = name == "whisper"
    # the grammar knows one language's commands: speech Whisper heard as the other one while
    # the button was held is never taken from the grammar at once
    other_lang = whisper and session.lang_while_held not in (None, companion.settings.stt.lang)
    early = other_lang and not session.hears_english  # else English may be answered at once
    if early and thinking is not None and session.open_expected_ms() > THINKING_MS:
        thinking()  # Whisper's text is waited for whatever the grammar heard: say so now
        thinking = None
    heard = session.finish(wait_open=False)
    grammar = heard.grammar or ""
    question = companion.question_kind()
    free = question in FREE_SPEECH_QUESTIONS
    harmless = (UNKNOWN, *FREE_SPEECH_INTENTS, *STATE_CHANGING, *(ANSWERS if question else ()))
    english = session.english_heard
    by_english = None
    if english is not None and english.taken and not free:
        # the English grammar heard a whole command phrase, shaped like the speech: the
        # press is English, and the Korean grammar's nearest phrase is not taken from it
        by_english = companion.understand(english.text)
        if by_english.intent != english.intent:
            by_english = None  # the NLU reads the phrase otherwise: not a sure command
    if by_english is not None and by_english.intent not in harmless:
        return Choice(
            english.text,  # type: ignore[union-attr]
            ENGLISH_GRAMMAR,
            {"grammar": grammar or None, ENGLISH_GRAMMAR: english.text, name: None},  # type: ignore[union-attr]
            by_english,
            Decision.ACT,
            1.0,
            "fast",
        )
    if by_english is not None or (english is not None and english.likely and not free):
        # a state change or an answer heard in English, or a press likely English: not the
        # Korean grammar's nearest phrase; Whisper's words decide, agreed with or asked
        other_lang = True
        if thinking is not None and session.open_expected_ms() > THINKING_MS:
            thinking()
            thinking = None
    by_grammar = companion.understand(grammar) if grammar else None
    phrases, fillers = session.phrases, session.fillers
    command = bool(by_grammar) and by_grammar.intent not in harmless  # type: ignore[union-attr]
    at_release = features(heard, _heard(by_grammar), None, phrases, fillers)
    p_fast = model.fast.probability(at_release)
    whole = at_release["g_phrase_match"] == 1.0  # the grammar heard a whole command phrase
    if not free and not other_lang:
        fast = decide_fast(p_fast, model.thresholds)
        # acting without the open decoder's view needs a whole command phrase from the grammar
        if (fast is Decision.NOT_HEARD and not whisper) or (
            fast is Decision.ACT and command and whole
        ):
            return Choice(
                grammar,
                "grammar",
                {"grammar": grammar or None, name: None},
                by_grammar,
                fast,
                p_fast,
                "fast",
            )
    if thinking is not None and session.open_expected_ms() > THINKING_MS:
        thinking()
    waited, interrupted = _wait_open(session, open_deadline_s, interrupt)
    if waited is None and by_english is not None:
        session.cancel(wait=False)  # Whisper missed its deadline: the English words, asked
        return Choice(
            english.text,  # type: ignore[union-attr]
            ENGLISH_GRAMMAR,
            {"grammar": grammar or None, ENGLISH_GRAMMAR: english.text, name: None},  # type: ignore[union-attr]
            by_english,
            Decision.CONFIRM,
            1.0,
            "fast",
            open_timed_out=not interrupted,
            interrupted=interrupted,
        )
    if waited is None:
        session.cancel(wait=False)
        both = {"grammar": grammar or None, name: None}
        decision = decide(p_fast, model.thresholds, anything_heard=bool(grammar.strip()))
        if decision is Decision.ACT and not command:
            decision = Decision.CONFIRM
        return Choice(
            grammar,
            "grammar",
            both,
            by_grammar,
            decision,
            p_fast,
            "fast",
            open_timed_out=not interrupted,
            interrupted=interrupted,
        )
    open_text = waited
    if whisper:
        by_whisper = companion.understand(open_text) if open_text.strip() else None
        signals = session.whisper_heard()
        sureness = signals.confidence if signals is not None else 0.0
        intent = by_whisper.intent if by_whisper else UNKNOWN
        grammar_intent = by_grammar.intent if by_grammar else None
        if by_english is not None:  # the English grammar's is the press's grammar view
            grammar_intent, whole = by_english.intent, True
        decision = decide_whisper(
            sureness,
            intent,
            grammar_intent,
            free,
            bool(question),
            anything_heard=bool(open_text.strip()),
            grammar_whole=whole,
        )
        both = {"grammar": grammar or None, name: open_text or None}
        if english is not None:
            both[ENGLISH_GRAMMAR] = english.text or None
        agreed = by_whisper is not None and grammar_intent == intent and whole
        return Choice(open_text, name, both, by_whisper, decision, sureness, "full", agreed=agreed)
    heard = replace(heard, open=open_text, open_words=session.open_words())
    by_open = companion.understand(open_text) if open_text else None
    both = {"grammar": grammar or None, "open": open_text or None}
    p_full = model.full.probability(
        features(heard, _heard(by_grammar), _heard(by_open), phrases, fillers)
    )
    if pick_decoder(_heard(by_grammar), _heard(by_open), free) == "open":
        text, decoder, understood = open_text, "open", by_open
    else:
        text, decoder, understood = grammar, "grammar", by_grammar
    judge = decide_free if free else decide
    decision = judge(p_full, model.thresholds, anything_heard=bool(text.strip()))
    return Choice(text, decoder, both, understood, decision, p_full, "full")


def run_turn(
    session: RecognizerSession,
    companion: Companion,
    tts: Synthesizer,
    speaker: Speaker,
    released_at: float | None = None,
    keep_open: bool = False,
    open_deadline_s: float = NO_DEADLINE,
    interrupt: threading.Event | None = None,
) -> VoiceTurn:
    """Everything after the release. Returns a turn without reply when nothing was heard:
    silence (nothing said back), or speech not heard surely enough (earcon + "I didn't
    catch that", nothing changed, the companion not asked).

    When the grammar transcript was taken, the open decoder is stopped at once so it does
    not take the CPU from rendering the reply; `keep_open` lets it finish (to report it).
    `interrupt` (a new press, set from another thread) abandons the turn before anything is
    stored when it comes before the answer, and stops the reply when it comes after.
    """
    released = released_at or time.perf_counter()
    turn = VoiceTurn()
    earcons: list[threading.Thread] = []

    def thinking() -> None:
        turn.timings_ms["thinking_earcon"] = (time.perf_counter() - released) * 1000
        play = threading.Thread(
            target=speaker.play, args=(EARCONS["thinking"], EARCON_RATE), daemon=True, name="earcon"
        )
        play.start()
        earcons.append(play)

    choice = choose_transcript(session, companion, open_deadline_s, interrupt, thinking=thinking)
    if (
        choice.transcripts.get(session.open_name) is None
        and not keep_open
        and not choice.open_timed_out
    ):
        # not waited for: a Whisper decode begun at a pause cannot be stopped midway, and
        # waiting for it held an English command's fast reply ~2.5 s here (loaded)
        session.cancel(wait=False)
    turn.transcript, turn.decoder, turn.transcripts = (
        choice.text,
        choice.decoder,
        choice.transcripts,
    )
    turn.decision, turn.confidence, turn.stage = choice.decision, choice.confidence, choice.stage
    turn.open_timed_out = choice.open_timed_out
    heard = time.perf_counter()
    turn.timings_ms["stt_final"] = (heard - released) * 1000
    turn.lang = "en" if choice.decoder == ENGLISH_GRAMMAR else session.lang
    if session.english_heard is not None:
        turn.english = session.english_heard.to_dict()
    signals = session.whisper_heard()
    if signals is not None:
        turn.whisper = signals.to_dict()
        turn.timings_ms["whisper_decode"] = signals.decode_ms  # after the release
        decodes, held_ms, reused = session.whisper_held
        turn.whisper.update(held_decodes=decodes, reused=reused)
        if decodes:
            turn.timings_ms["whisper_while_held"] = held_ms
    if choice.interrupted or (interrupt is not None and interrupt.is_set()):
        turn.interrupted = True  # nothing stored, nothing said: the person speaks again
        return turn
    if not choice.text.strip() and not any(choice.transcripts.values()):
        return turn  # silence: the caller's soft blip says so
    tts.volume = companion.volume() / 100
    if choice.decision is Decision.NOT_HEARD:
        replied = time.perf_counter()
        speaker.play(EARCONS["too_short"], EARCON_RATE)
        turn.timings_ms["earcon"] = (time.perf_counter() - replied) * 1000
        lang = session.lang or companion.settings.stt.lang
        spoken = tts.speak(NOT_HEARD_WORDS[lang], lang, speaker, interrupt)
        turn.spoke = True
        turn.spoken = spoken.completed
        turn.interrupted = not spoken.completed
        _finish_timings(turn, spoken, released, replied)
        turn.timings_ms["release_to_first_audio"] = (replied - released) * 1000  # the earcon
        return turn
    understood = choice.understood or companion.understand(choice.text)
    understood_at = time.perf_counter()
    turn.timings_ms["nlu"] = (understood_at - heard) * 1000  # 0 when choosing understood it
    known: list[float] = []

    def ahead(text: str, lang: str) -> None:  # the reply is known: render it while it commits
        known.append(time.perf_counter())
        tts.prepare(text, lang)

    turn.reply = companion.respond(
        choice.text, understood, certainty=certainty_of(choice), on_reply=ahead
    )
    turn.spoke = True
    replied = time.perf_counter()
    turn.timings_ms["reply"] = (replied - understood_at) * 1000
    if known:
        turn.timings_ms["policy"] = (known[0] - understood_at) * 1000
        turn.timings_ms["commit"] = (replied - known[0]) * 1000
    spoken = tts.speak(turn.reply.text, turn.reply.lang, speaker, interrupt)
    turn.spoken = spoken.completed
    turn.interrupted = not spoken.completed
    _finish_timings(turn, spoken, released, replied)
    return turn


def _finish_timings(turn: VoiceTurn, spoken: Spoken, released: float, replied: float) -> None:
    turn.speech = spoken
    if spoken.first_audio_ms is not None:
        turn.timings_ms["tts_first_audio"] = spoken.first_audio_ms
        turn.timings_ms["release_to_first_audio"] = (replied - released) * 1000 + (
            spoken.first_audio_ms
        )
    turn.timings_ms["total"] = (time.perf_counter() - released) * 1000
