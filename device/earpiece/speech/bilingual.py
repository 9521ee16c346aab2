"""Two Vosk models (e.g. Korean and English), one language chosen per turn.

While the button is held both grammar decoders hear the press (cheap: each runs at
about a tenth of real time) but only one open decoder does, the one of the language
heard last: two open decoders would not keep up on a Pi 4. At the release the language
whose grammar decoder is surer wins; if it is the other one, its open decoder catches
up on the press after the release (slower, and only on a change of language).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from earpiece.speech.confidence import phrase_match
from earpiece.speech.stt import RATE, DecodingSession, SpeechRecognizer, Transcripts
from earpiece.speech.words import Word

if TYPE_CHECKING:
    from earpiece.speech.english_grammar import EnglishHeard
    from earpiece.speech.whisper import WhisperHeard


def grammar_score(heard: Transcripts, phrases: list[str], fillers: frozenset[str]) -> float:
    """How well a grammar decoder heard its own language: 0 (garbage) to 1 (a sure phrase)."""
    words = [w for w in heard.grammar_words if w.text not in fillers and w.text[:1] not in "[<"]
    if not words:
        return 0.0
    conf = sum(w.conf for w in words) / len(words)
    return (1.0 - heard.garbage) * conf * phrase_match(heard.grammar or "", phrases)


class TwoLanguageSession:
    """One press heard in two languages; after finish() it is the chosen language's session."""

    def __init__(self, sessions: dict[str, DecodingSession], live: str) -> None:
        self._sessions = sessions
        self.lang = live
        """The language chosen (before the release: the one whose open decoder runs)."""
        for lang, session in sessions.items():
            if lang != live:
                session.pause_open()

    @property
    def chosen(self) -> DecodingSession:
        return self._sessions[self.lang]

    def feed(self, frame: np.ndarray) -> None:
        for session in self._sessions.values():
            session.feed(frame)

    @property
    def english_heard(self) -> EnglishHeard | None:
        return self.chosen.english_heard

    @property
    def hears_english(self) -> bool:
        return self.chosen.hears_english

    @property
    def loudest(self) -> float:
        return self.chosen.loudest

    @property
    def partial(self) -> str:
        return self.chosen.partial

    @property
    def open_name(self) -> str:
        return self.chosen.open_name

    def whisper_heard(self) -> WhisperHeard | None:
        return self.chosen.whisper_heard()

    @property
    def lang_while_held(self) -> str | None:
        return self.chosen.lang_while_held

    @property
    def whisper_held(self) -> tuple[int, float, bool]:
        return self.chosen.whisper_held

    def open_expected_ms(self) -> float:
        return self.chosen.open_expected_ms()

    def bias(self, words: dict[str, list[str]]) -> None:
        for session in self._sessions.values():
            session.bias(words)

    @property
    def phrases(self) -> list[str]:
        return self.chosen.phrases

    @property
    def fillers(self) -> frozenset[str]:
        return self.chosen.fillers

    def finish(self, wait_open: bool = True) -> Transcripts:
        """Flush both grammar decoders, keep the surer language, drop the other."""
        released = time.perf_counter()
        heard = {lang: s.finish(wait_open=False) for lang, s in self._sessions.items()}
        scores = {
            lang: grammar_score(h, self._sessions[lang].phrases, self._sessions[lang].fillers)
            for lang, h in heard.items()
        }
        best = max(scores, key=lambda lang: (scores[lang], lang == self.lang))
        for lang, session in self._sessions.items():
            if lang != best:
                session.cancel()
        self.lang = best
        self.chosen.resume_open()
        result = heard[best]
        if wait_open:
            text = self.chosen.open_result()
            result = Transcripts(
                result.grammar,
                text,
                result.grammar_ms,
                (time.perf_counter() - released) * 1000,
                result.audio_s,
                result.grammar_words,
                self.chosen.open_words(),
                result.garbage,
            )
        return result

    def open_result(self, timeout: float | None = None) -> str | None:
        return self.chosen.open_result(timeout)

    def open_words(self) -> tuple[Word, ...]:
        return self.chosen.open_words()

    def cancel(self, wait: bool = True) -> None:
        """Stop both languages' decoders; with `wait`, until they let go."""
        for session in self._sessions.values():
            session.cancel(wait)


class TwoLanguages:
    """Two recognisers, one per language, used as one (`[stt] second_model`).

    >>> stt = TwoLanguages(SpeechRecognizer.load("", "ko"), SpeechRecognizer.load(en_dir, "en"))
    >>> session = stt.session()   # feed it; finish() picks the language
    """

    def __init__(self, first: SpeechRecognizer, second: SpeechRecognizer) -> None:
        self.recognizers = {first.lang: first, second.lang: second}
        self.lang = first.lang
        """The language heard last: its open decoder runs while the button is held."""
        self.phrases = first.phrases
        self._current: TwoLanguageSession | None = None

    def session(self) -> TwoLanguageSession:
        if self._current is not None:
            self.lang = self._current.lang
        sessions = {lang: rec.session() for lang, rec in self.recognizers.items()}
        self._current = TwoLanguageSession(sessions, self.lang)
        return self._current

    def hear(
        self,
        samples: np.ndarray,
        realtime: bool = False,
        frame: int = 800,
        words: dict[str, list[str]] | None = None,
    ) -> TwoLanguageSession:
        """A session fed a whole recording frame by frame (see SpeechRecognizer.hear)."""
        session = self.session()
        if words is not None:
            session.bias(words)
        began = time.perf_counter()
        for start in range(0, len(samples), frame):
            session.feed(samples[start : start + frame])
            if realtime:
                time.sleep(max(0.0, began + (start + frame) / RATE - time.perf_counter()))
        return session

    def transcribe(self, samples: np.ndarray) -> Transcripts:
        return self.hear(samples).finish(wait_open=True)
