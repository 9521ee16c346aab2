"""Text to speech, sentence by sentence, the first sounding while the next renders: English in
the Piper neural voice (speech/piper.py), Korean (and English when so configured) in espeak-ng
through pyttsx3.

A little over the usual length: `Synthesizer` holds both engines, the cache of fixed phrases
filled on its own thread (pausing while a reply is spoken) and the rendering ahead of the
sentence being played, with the barge-in that cuts it short: one object's threads and locks.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import io
import logging
import os
import queue
import re
import tempfile
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from earpiece.hardware.speaker import Speaker
from earpiece.speech.piper import PiperVoice, VoiceError, VoiceFiles

if TYPE_CHECKING:
    from earpiece.config import TtsSettings

log = logging.getLogger(__name__)
PIPER, ESPEAK = "piper", "espeak"
"""The two voices a sentence can be spoken in."""
_LEAD_CLAUSE = re.compile(r"^[^,:;]+[,:;](?=\s)")
"""A sentence's first clause ('Got it:' of 'Got it: call mom.'), which may be cached alone."""

_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")
TEMP_PREFIX = "earpiece-tts-"
"""Prefix of the private folder one sentence is rendered in (removed after each render)."""


class TtsError(Exception):
    """The speech engine is missing or failed; the message says how to fix it."""


def sentences(text: str) -> list[str]:
    """Split a reply into sentences, so the first can sound while the rest renders."""
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


RENDER_TRIES = 3
CLOSE_WAIT_S = 10.0
"""At exit, wait at most this long for the phrase being rendered ahead (one takes < 1 s)."""
_SPEAKABLE = re.compile(r"[^\W_]")
"""A letter or a digit: something espeak-ng says."""


@dataclass(frozen=True)
class SentenceSpoken:
    """One rendered piece of a reply (a sentence, or a sentence's cached first clause)."""

    voice: str
    """piper (the neural voice) or espeak."""
    chars: int
    """Length of the text, characters."""
    synth_ms: float
    """Time to render it (ms); 0 when it came from the start-up cache."""
    cached: bool
    """Rendered ahead at start-up (a fixed phrase)."""
    ahead: bool = False
    """Rendered while the turn was being committed (`Synthesizer.prepare`)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "voice": self.voice,
            "chars": self.chars,
            "synth_ms": round(self.synth_ms, 1),
            "cached": self.cached,
            "ahead": self.ahead,
        }


@dataclass
class Spoken:
    """How speaking one reply went."""

    first_audio_ms: float | None
    """From the call to the first audio handed to the speaker."""
    completed: bool
    """False when interrupted (barge-in or stop)."""
    sentences: list[SentenceSpoken] = field(default_factory=list)
    """Each piece rendered, in order (those cut off by an interruption are missing)."""

    @property
    def voice(self) -> str:
        """The voice that spoke: piper, espeak, both as 'piper+espeak', or '' (nothing)."""
        return "+".join(dict.fromkeys(s.voice for s in self.sentences))

    def to_dict(self) -> dict[str, object]:
        return {"voice": self.voice, "sentences": [s.to_dict() for s in self.sentences]}


class Synthesizer:
    """Speech out: English in the Piper neural voice when one is given, everything else (and
    English when the neural voice would keep the person waiting) in espeak-ng via pyttsx3.

    Threads: `speak` plays on its caller's thread while a `tts` thread renders; `render`
    (espeak-ng) may be called from any thread, one at a time under a lock; `render_ahead`
    fills the cache of fixed phrases on a `tts-cache` thread, pausing while a reply is spoken.

    >>> tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, rate=170)
    >>> samples, rate = tts.render("안녕하세요.", "ko")
    >>> tts = Synthesizer({"ko": "ko", "en": "gmw/en-us"}, english=VoiceFiles.packaged())
    >>> tts.speak("Hello there. How was your day?", "en", speaker).voice
    'piper'
    """

    def __init__(
        self,
        voices: dict[str, str],
        rate: int = 170,
        volume: float = 0.7,
        english: VoiceFiles | None = None,
        speed: float = 1.0,
        threads: int = 1,
        max_first_wait_ms: float = float("inf"),
    ) -> None:
        self.voices = voices
        self.rate = rate
        self.volume = volume
        self.english = english
        """The English neural voice's files (None: English in espeak-ng); loaded at first use."""
        self.speed, self.threads = speed, threads
        self.max_first_wait_ms = max_first_wait_ms
        """An English reply whose first sentence is not cached and would take longer than this
        to render here (ms, estimated from the renders so far) is spoken by espeak-ng."""
        self._neural: PiperVoice | None = None
        self._neural_lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        """Neural renders of fixed phrases (text -> int16 samples at the voice's rate)."""
        self._current: set[str] = set()
        """The phrases in the cache that hold for a while only (`keep_current`)."""
        self._idle = threading.Event()
        self._idle.set()
        self._closing = threading.Event()
        self._ahead: threading.Thread | None = None
        self._prepared: _Prepared | None = None
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
                raise TtsError(
                    f"[tts] voice_{lang} = {voice!r} is not an espeak-ng voice "
                    "(list them with `espeak-ng --voices`)"
                )

    @classmethod
    def from_settings(cls, settings: TtsSettings) -> Synthesizer:
        """The synthesizer `[tts]` describes; a missing neural voice is a TtsError now."""
        english = None
        if settings.english_voice == PIPER:
            try:
                english = VoiceFiles.packaged()
            except VoiceError as exc:
                raise TtsError(str(exc)) from None
        return cls(
            {"ko": settings.voice_ko, "en": settings.voice_en},
            settings.rate,
            english=english,
            speed=settings.speed,
            threads=settings.threads,
            max_first_wait_ms=settings.max_first_wait_ms,
        )

    def neural(self) -> PiperVoice:
        """The English neural voice, loaded on first use (~1.5 s, ~240 MB)."""
        with self._neural_lock:
            if self._neural is None:
                if self.english is None:
                    raise TtsError('no neural voice is configured ([tts] english_voice = "espeak")')
                try:
                    self._neural = PiperVoice(self.english, self.threads, self.speed)
                except VoiceError as exc:
                    raise TtsError(str(exc)) from None
            return self._neural

    def render(self, text: str, lang: str) -> tuple[np.ndarray, int]:
        """One sentence in espeak-ng as int16 mono samples and their rate."""
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

    def render_ahead(self, phrases: Iterable[str], now: int = 1) -> threading.Thread | None:
        """Render fixed English phrases in the neural voice once, so they sound at once later.

        The first `now` are rendered before returning (this also loads and warms the voice and
        gives the first render-time estimate); the rest on a `tts-cache` thread, which pauses
        while a reply is spoken. Returns that thread (None without a neural voice).
        """
        if self.english is None:
            return None
        todo = [p.strip() for p in dict.fromkeys(phrases) if p.strip()]
        voice = self.neural()
        for phrase in todo[:now]:
            self._cache_one(voice, phrase)

        def fill() -> None:
            lowest_priority()  # decoding and the live reply come first
            for phrase in todo[now:]:
                self._idle.wait()
                if self._closing.is_set() or not self._cache_one(voice, phrase):
                    return

        thread = threading.Thread(target=fill, daemon=True, name="tts-cache")
        thread.start()
        self._ahead = thread
        atexit.register(self.close)  # onnxruntime aborts the process if it runs at exit
        return thread

    def keep_current(self, phrases: Iterable[str]) -> int:
        """Render phrases that hold for a while only (the clock's replies) into the cache, and
        drop those an earlier call rendered that are not among them: the cache stays bounded.
        Meant for a background thread; pauses while a reply is spoken. How many it rendered.
        """
        if self.english is None:
            return 0
        wanted = [p.strip() for p in dict.fromkeys(phrases) if p.strip()]
        for stale in self._current.difference(wanted):
            self._cache.pop(stale, None)  # a turn that looked it up just before renders it
        self._current.intersection_update(wanted)
        voice = self.neural()
        done = 0
        for phrase in wanted:
            if phrase in self._cache:
                continue
            self._idle.wait()
            if self._closing.is_set() or not self._cache_one(voice, phrase):
                break
            self._current.add(phrase)
            done += 1
        return done

    @property
    def closing(self) -> bool:
        return self._closing.is_set()

    def close(self) -> None:
        """Stop rendering ahead; waits for the phrase being rendered (a fraction of a second)."""
        self._closing.set()
        self._idle.set()  # a cache thread paused for a reply wakes up to stop
        if self._ahead is not None and self._ahead is not threading.current_thread():
            self._ahead.join(CLOSE_WAIT_S)

    def _cache_one(self, voice: PiperVoice, phrase: str) -> bool:
        if phrase in self._cache:
            return True
        try:
            self._cache[phrase] = voice.render(phrase)[0]
        except VoiceError as exc:
            log.warning("the neural voice could not render a fixed phrase: %s", exc)
            return False
        return True

    @property
    def cached(self) -> int:
        """How many fixed phrases are rendered ahead so far."""
        return len(self._cache)

    def plan(self, text: str, lang: str) -> list[tuple[str, str]]:
        """(piece of text, voice) in speaking order: the reply's sentences, the first split
        after its first clause when that clause alone is cached ('Got it:' + 'call mom.')."""
        pieces = sentences(text)
        if lang != "en" or self.english is None or not pieces:
            return [(p, ESPEAK) for p in pieces]
        first = pieces[0]
        lead = _LEAD_CLAUSE.match(first)
        if first not in self._cache and lead and lead.group(0) in self._cache:
            pieces[:1] = [lead.group(0), first[lead.end() :].strip()]
        try:
            neural = self.neural()
        except TtsError as exc:  # the reply is still said; the voice is not tried again
            log.warning("%s; English is spoken by espeak-ng from now on", exc)
            self.english = None
            return [(p, ESPEAK) for p in sentences(text)]
        if pieces[0] not in self._cache:
            estimate = neural.estimate_ms(pieces[0])
            if estimate is not None and estimate > self.max_first_wait_ms:
                return [(p, ESPEAK) for p in sentences(text)]
        return [(p, PIPER) for p in pieces]

    def _render_piece(
        self, text: str, voice: str, lang: str
    ) -> tuple[tuple[np.ndarray, int], SentenceSpoken]:
        started = time.perf_counter()
        if voice == PIPER:
            neural = self.neural()
            cached = self._cache.get(text)
            if cached is not None:
                return (self._louder(cached), neural.rate), SentenceSpoken(
                    PIPER, len(text), 0.0, True
                )
            try:
                samples, rate = neural.render(text)
                ms = (time.perf_counter() - started) * 1000
                return (self._louder(samples), rate), SentenceSpoken(PIPER, len(text), ms, False)
            except VoiceError as exc:  # the sentence is still said, in espeak-ng
                log.warning("the neural voice failed (%s); espeak-ng says the sentence", exc)
        audio = self.render(text, lang)
        ms = (time.perf_counter() - started) * 1000
        return audio, SentenceSpoken(ESPEAK, len(text), ms, False)

    def _louder(self, samples: np.ndarray) -> np.ndarray:
        """Neural audio at the set volume (espeak-ng applies it while rendering)."""
        return (samples.astype(np.float32) * self.volume).astype(np.int16)

    def prepare(self, text: str, lang: str) -> None:
        """Start rendering a reply's first piece now, on a `tts-ahead` thread, while the turn
        is still being committed; `speak` of the same text then takes that render instead of
        starting its own. Nothing is played. A first piece cached at start-up needs nothing."""
        plan = self.plan(text, lang)
        if not plan or (plan[0][1] == PIPER and plan[0][0] in self._cache):
            self._prepared = None
            return
        piece, voice = plan[0]
        future: Future[tuple[tuple[np.ndarray, int], SentenceSpoken]] = Future()

        def render() -> None:
            try:
                future.set_result(self._render_piece(piece, voice, lang))
            except BaseException as exc:  # handed to speak(), which says what failed
                future.set_exception(exc)

        threading.Thread(target=render, daemon=True, name="tts-ahead").start()
        self._prepared = _Prepared(text, lang, plan, future)

    def speak(
        self, text: str, lang: str, speaker: Speaker, interrupt: threading.Event | None = None
    ) -> Spoken:
        """Render sentence by sentence on a thread while the speaker plays what is ready.

        Threads: the caller's thread plays; a `tts` thread renders. `interrupt` (set from
        any thread, e.g. a press) ends the reply at once, also while a sentence renders.
        """
        start = time.perf_counter()
        self._idle.clear()  # the cache thread waits until this reply is done
        try:
            return self._speak(text, lang, speaker, interrupt, start)
        finally:
            self._idle.set()

    def _speak(
        self,
        text: str,
        lang: str,
        speaker: Speaker,
        interrupt: threading.Event | None,
        start: float,
    ) -> Spoken:
        ready: queue.Queue[tuple[np.ndarray, int] | None] = queue.Queue()
        stop = threading.Event()
        rendered: list[SentenceSpoken] = []
        failed: list[BaseException] = []
        prepared, self._prepared = self._prepared, None
        if prepared is not None and (prepared.text, prepared.lang) != (text, lang):
            prepared = None  # rendered for another reply (its commit failed): not this one
        plan = prepared.plan if prepared is not None else self.plan(text, lang)

        def produce() -> None:
            try:
                for n, (piece, voice) in enumerate(plan):
                    if stop.is_set():
                        break
                    if n == 0 and prepared is not None:
                        audio, report = prepared.first.result()
                        report = dataclasses.replace(report, ahead=True)
                    else:
                        audio, report = self._render_piece(piece, voice, lang)
                    rendered.append(report)
                    ready.put(audio)
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
            raise TtsError(f"the reply could not be rendered: {failed[0]}")
        return Spoken(first, completed, list(rendered))


@dataclass(frozen=True)
class _Prepared:
    """A reply whose first piece is being rendered ahead (`Synthesizer.prepare`)."""

    text: str
    lang: str
    plan: list[tuple[str, str]]
    first: Future[tuple[tuple[np.ndarray, int], SentenceSpoken]]


def lowest_priority() -> None:
    """Give the calling thread the lowest CPU priority (Linux: nice applies per thread)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def remove_leftover_audio() -> int:
    """Remove this user's render folders left in the temp dir (a crash, or an older earpiece);
    returns how many files they held."""
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
