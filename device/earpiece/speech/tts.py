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
TEMP_PREFIX = "earpiece-tts-"
"""Prefix of the private folder one sentence is rendered in (removed after each render)."""


class TtsError(Exception):
    """The speech engine is missing or failed; the message says how to fix it."""


def sentences(text: str) -> list[str]:
    """Split a reply into sentences, so the first can sound while the rest renders."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


RENDER_TRIES = 3
_SPEAKABLE = re.compile(r"[^\W_]")
"""A letter or a digit: something espeak-ng says."""


@dataclass
class Spoken:
    """How speaking one reply went."""

    first_audio_ms: float | None
    """From the call to the first audio handed to the speaker."""
    completed: bool
    """False when interrupted (barge-in or stop)."""


class Synthesizer:
    """espeak-ng through pyttsx3, rendering one sentence at a time to audio samples.

    Threads: `speak` plays on its caller's thread while a `tts` thread renders; `render`
    may be called from any thread (one at a time, under a lock).

    >>> tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, rate=170)
    >>> samples, rate = tts.render("안녕하세요.", "ko")
    """

    def __init__(self, voices: dict[str, str], rate: int = 170, volume: float = 0.7) -> None:
        self.voices = voices
        self.rate = rate
        self.volume = volume
        self._lock = threading.Lock()
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

        # The spoken text lands on disk only for this call, in a private (0700) folder that is
        # removed before returning: no reply audio outlives its render (forget means gone).
        with (
            self._lock,
            tempfile.TemporaryDirectory(prefix=TEMP_PREFIX, ignore_cleanup_errors=True) as private,
        ):
            out = Path(private) / "sentence.wav"
            self._engine.setProperty("voice", self.voices.get(lang, self.voices["en"]))
            self._engine.setProperty("rate", self.rate)
            self._engine.setProperty("volume", self.volume)
            # pyttsx3 now and then returns from runAndWait with no audio written (1 render
            # in ~180 on a busy machine): a sentence with a letter or digit is tried again
            # rather than silently left out of the reply
            for _ in range(RENDER_TRIES if _SPEAKABLE.search(text) else 1):
                with contextlib.redirect_stdout(io.StringIO()):  # pyttsx3 prints "Audio saved"
                    self._engine.save_to_file(text, str(out))
                    self._engine.runAndWait()
                if out.is_file() and out.stat().st_size > 44:
                    break
            else:
                return np.zeros(0, np.int16), 22050  # nothing espeak-ng could say
            samples, rate = soundfile.read(str(out), dtype="int16")
        return samples.reshape(-1), rate

    def speak(
        self, text: str, lang: str, speaker: Speaker, interrupt: threading.Event | None = None
    ) -> Spoken:
        """Render sentence by sentence on a thread while the speaker plays what is ready.

        Threads: the caller's thread plays; a `tts` thread renders. `interrupt` (set from
        any thread, e.g. a press) ends the reply at once, also while a sentence renders.
        """
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
        while (item := _next(ready, interrupt)) is not None:
            if interrupt is not None and interrupt.is_set():
                completed = False
                stop.set()
                break
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


def remove_leftover_audio() -> int:
    """Remove this user's render folders left in the temp dir (a crash, or an older earpiece);
    returns how many files they held."""
    import os
    import shutil

    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
                continue
            removed += sum(1 for f in folder.rglob("*") if not f.is_dir())
            shutil.rmtree(folder)
        except OSError:
            continue
    return removed


_INTERRUPTED = (np.zeros(0, np.int16), 0)


def _next(ready: queue.Queue, interrupt: threading.Event | None):
    """The next rendered sentence; a marker item at once when `interrupt` is set."""
    while True:
        if interrupt is not None and interrupt.is_set():
            return _INTERRUPTED
        try:
            return ready.get(timeout=0.02 if interrupt is not None else None)
        except queue.Empty:
            continue
