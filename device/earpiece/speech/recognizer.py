"""What the loop and a turn may ask of a speech recogniser and of one press's session.

One language (`stt.SpeechRecognizer`, `stt.DecodingSession`, with Vosk or Whisper as its open
decoder) and two (`bilingual.TwoLanguages`, `bilingual.TwoLanguageSession`) both satisfy these
Protocols; the type checker (`make lint`) holds each to every method and keyword the callers use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from earpiece.speech.stt import Transcripts
from earpiece.speech.words import Word

if TYPE_CHECKING:
    from earpiece.speech.english_grammar import EnglishHeard
    from earpiece.speech.whisper import WhisperHeard


class RecognizerSession(Protocol):
    """One press being heard, whichever decoders hear it. Threads: the microphone's reader
    calls `feed`; the loop thread calls the rest."""

    @property
    def phrases(self) -> list[str]:
        """The grammar's command phrases (empty without a grammar)."""
        ...

    @property
    def fillers(self) -> frozenset[str]:
        """Words the grammar accepts that carry no meaning ("um", "uh")."""
        ...

    @property
    def english_heard(self) -> EnglishHeard | None:
        """What the English command grammar heard, after finish (None: not run)."""
        ...

    @property
    def hears_english(self) -> bool:
        """Whether the English command grammar hears this press."""
        ...

    @property
    def loudest(self) -> float: ...
    @property
    def partial(self) -> str: ...
    @property
    def lang(self) -> str: ...
    @property
    def open_name(self) -> str: ...
    @property
    def lang_while_held(self) -> str | None:
        """The language Whisper detected while the button was held (None: not yet, or the
        open decoder is not Whisper)."""
        ...

    @property
    def whisper_held(self) -> tuple[int, float, bool]:
        """(decodes Whisper made while the button was held, their ms together, whether one of
        them was the answer); zeros when the open decoder is not Whisper."""
        ...

    def feed(self, frame: np.ndarray) -> None:
        """Queue one frame of 16 kHz mono audio (never decodes on the caller's thread)."""
        ...

    def finish(self, wait_open: bool = True) -> Transcripts:
        """The release: the grammar decoder's result now, the open one's if `wait_open`."""
        ...

    def open_result(self, timeout: float | None = None) -> str | None:
        """The open decoder's text; None when not done within `timeout` s, "" if cancelled."""
        ...

    def open_words(self) -> tuple[Word, ...]:
        """The open decoder's words with their confidences (empty until it is done)."""
        ...

    def whisper_heard(self) -> WhisperHeard | None:
        """Whisper's signals for this press when it is the open decoder, else None."""
        ...

    def open_expected_ms(self) -> float:
        """After the release: how long the open decoder should still take (ms, 0: ready)."""
        ...

    def bias(self, words: dict[str, list[str]]) -> None:
        """Words this person says (names, places) to bias the open decoder toward, by language;
        set when the press starts, before anything is decoded (runtime/bias.py)."""
        ...

    def cancel(self, wait: bool = True) -> None:
        """Stop decoding; with `wait`, until the decoders let go (never blocks without)."""
        ...


class Recognizer(Protocol):
    """A loaded recogniser: a fresh session per press."""

    lang: str
    """The language of the next session's open decoder ("ko", "en")."""
    phrases: list[str]
    """The grammar's command phrases (empty without a grammar)."""

    def session(self) -> RecognizerSession:
        """A fresh session for a press; never blocks."""
        ...

    def hear(
        self,
        samples: np.ndarray,
        realtime: bool = False,
        frame: int = 800,
        words: dict[str, list[str]] | None = None,
    ) -> RecognizerSession:
        """A session fed a whole recording, as a held button would feed it; biased toward
        `words` before the first frame, as a press is."""
        ...

    def transcribe(self, samples: np.ndarray) -> Transcripts:
        """Both decoders over a whole recording."""
        ...
