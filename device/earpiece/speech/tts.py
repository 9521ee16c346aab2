"""Text to speech with pyttsx3 on espeak-ng: sentence by sentence, the first sounding first."""

from __future__ import annotations

import contextlib
import io
import queue
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from earpiece.hardware.speaker import Speaker

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


class TtsError(Exception):
    """The speech engine is missing or failed; the message says how to fix it."""


def sentences(text: str) -> list[str]:
    """Split a reply into sentences, so the first can sound while the rest renders."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@dataclass
class Spoken:
    """How speaking one reply went."""

    first_audio_ms: float | None
    """From the call to the first audio handed to the speaker."""
    completed: bool
    """False when interrupted (barge-in or stop)."""


class Synthesizer:
    """espeak-ng through pyttsx3, rendering one sentence at a time to audio samples.

    >>> tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, rate=170)
    >>> samples, rate = tts.render("안녕하세요.", "ko")
    """

    def __init__(self, voices: dict[str, str], rate: int = 170, volume: float = 0.7) -> None:
        self.voices = voices
        self.rate = rate
        self.volume = volume
        self._lock = threading.Lock()
        self._dir = Path(tempfile.mkdtemp(prefix="earpiece-tts-"))
        try:
            import pyttsx3

            self._engine = pyttsx3.init("espeak")
        except Exception as exc:  # pyttsx3 raises whatever its driver raised
            raise TtsError(
                f"espeak-ng could not be started ({exc}); install it with "
                "`apt-get install espeak-ng` (make does this)"
            ) from None
        known = {v.id for v in self._engine.getProperty("voices")}
        for lang, voice in voices.items():
            if voice not in known:
                raise TtsError(f"[tts] voice_{lang} = {voice!r} is not an espeak-ng voice "
                               "(list them with `espeak-ng --voices`)")  # fmt: skip

    def render(self, text: str, lang: str) -> tuple[np.ndarray, int]:
        """One sentence as int16 mono samples and their rate."""
        import soundfile

        with self._lock:
            self._dir.mkdir(parents=True, exist_ok=True)  # a /tmp cleaner may have taken it
            out = self._dir / "sentence.wav"
            out.unlink(missing_ok=True)  # never read back the previous sentence
            self._engine.setProperty("voice", self.voices.get(lang, self.voices["en"]))
            self._engine.setProperty("rate", self.rate)
            self._engine.setProperty("volume", self.volume)
            with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved to"
                self._engine.save_to_file(text, str(out))
                self._engine.runAndWait()
            if not out.is_file() or out.stat().st_size <= 44:
                return np.zeros(0, np.int16), 22050  # nothing espeak-ng could say
            samples, rate = soundfile.read(str(out), dtype="int16")
        return samples.reshape(-1), rate

    def speak(self, text: str, lang: str, speaker: Speaker) -> Spoken:
        """Render sentence by sentence on a thread while the speaker plays what is ready."""
        start = time.perf_counter()
        ready: queue.Queue[tuple[np.ndarray, int] | None] = queue.Queue()
        stop = threading.Event()

        failed: list[BaseException] = []

        def produce() -> None:
            try:
                for sentence in sentences(text):
                    if stop.is_set():
                        break
                    ready.put(self.render(sentence, lang))
            except Exception as exc:  # re-raised on the caller's thread below
                failed.append(exc)
            finally:
                ready.put(None)  # the player never waits for a producer that died

        threading.Thread(target=produce, daemon=True, name="tts").start()
        first: float | None = None
        completed = True
        while (item := ready.get()) is not None:
            if not len(item[0]):
                continue
            if first is None:
                first = (time.perf_counter() - start) * 1000
            if not speaker.play(*item):
                completed = False
                stop.set()
                break
        if failed:
            raise TtsError(f"espeak-ng failed to render the reply: {failed[0]}")
        return Spoken(first, completed)
