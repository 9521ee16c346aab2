"""Whisper (faster-whisper, CTranslate2 int8) as the free-speech decoder, Korean or English.

One `WhisperHearing` per process holds the models (base, multilingual; tiny.en for English
turns when configured). A press's audio is kept while the button is held; once it has a
second of speech the language (Korean or English only) is detected on the audio so far in
the background, so at the release one decode is left. What Whisper says is kept only when
it passes the guards against words from silence and noise (docs/voice.md): Silero VAD
(faster-whisper's), no-speech probability, mean log-probability, compression ratio
(repetition), and a list of sign-offs Whisper is known to invent on noise.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from earpiece.speech.whispermodel import WhisperModelError, model_dir
from earpiece.speech.words import Word

log = logging.getLogger(__name__)
RATE = 16_000
DETECT_AFTER_S = 1.0
"""Audio (seconds) held before the language is detected on the audio so far."""
SPECULATE_EVERY_S = 1.0
"""While the button is held, the audio so far is decoded again once this much more came
(only when it holds speech after the last decode)."""
REDETECT_SHARE = 0.8
"""A switch to the other language detected on less than this share of the press is checked
again on the whole press at the release (an exclamation like "와" opening a Korean line was
heard as English on its first second)."""
QUIET_RECHECK_S = 0.3
"""After new audio held no speech, look again this much later (seconds)."""
TAIL_SPEECH_MS = 100
"""Speech shorter than this (ms) in the audio after the last decode made while the button
was held does not make it decode again (Silero's own default is 250 ms)."""

PROMPT_TOKENS = 200
"""Most tokens of the initial prompt. faster-whisper keeps only the last 223 tokens of a
prompt (half of Whisper's 448-token window): a longer one silently loses its first words,
which are the person's own (names come first). The command phrases the grammar knows made
the Korean prompt ~500 tokens, so no remembered name ever reached Whisper."""

SIGN_OFFS = (
    "시청해주셔서감사합니다", "시청해주셔서고맙습니다", "구독과좋아요", "구독좋아요알림설정",
    "다음영상에서만나요", "mbc뉴스", "kbs뉴스", "sbs뉴스", "이덕영입니다", "자막제공",
    "thanksforwatching", "thankyouforwatching", "pleasesubscribe", "subscribetomychannel",
    "seeyouinthenextvideo", "subtitlesby", "amaraorg",
)  # fmt: skip
"""Squashed (lower case, no spaces or punctuation) phrases Whisper writes for noise and
silence (video sign-offs and subtitle credits learnt from its training data); a transcript
that contains one is dropped."""


def squash(text: str) -> str:
    """Lower case, letters and digits only (for comparing transcripts)."""
    return re.sub(r"[\W_]+", "", text.lower())


@dataclass(frozen=True)
class WhisperOptions:
    """How Whisper is run ([stt] whisper_* settings)."""

    model: str = "base"
    """Multilingual model for Korean (and English when `english_model` is empty)."""
    english_model: str = ""
    """Model for turns heard as English; empty: the multilingual model (tiny.en measured
    worse on synthetic English here: WER 1.31 against base's 0.46, benchmarks/README.md)."""
    lang: str = "auto"
    """auto (Korean or English, detected per turn), ko or en."""
    default_lang: str = "ko"
    """The language a turn is heard in unless the other one is clearly more likely."""
    switch: float = 0.8
    """Share of P(ko) + P(en) the other language needs to be chosen over `default_lang`
    (0.5-1): short Korean answers ("네, 좋아요") were detected as English at 0.53."""
    bias: bool = True
    """Give Whisper the person's words as its initial prompt (see WhisperHearing.bias)."""
    beam: int = 1
    """Beam size (1-10); 1 is greedy."""
    threads: int = 2
    """CPU threads of CTranslate2 (1-8)."""
    vad: bool = True
    """Silero VAD before decoding (drops silence and noise-only stretches)."""
    no_speech_max: float = 0.6
    """A transcript whose no-speech probability is above this is dropped (0-1)."""
    logprob_min: float = -1.0
    """A transcript whose mean token log-probability is below this is dropped."""
    compression_max: float = 2.4
    """A transcript whose gzip compression ratio is above this (repetition) is dropped."""


@dataclass(frozen=True)
class WhisperHeard:
    """What Whisper made of one press, with its own signals and why it was dropped, if so."""

    text: str
    """The transcript kept ("" when dropped or nothing was said)."""
    raw: str
    """What Whisper wrote, before the guards."""
    lang: str
    lang_prob: float
    """Probability of `lang` against the other of Korean and English (0-1)."""
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float
    decode_ms: float
    """Time of the decode after the release (ms)."""
    model: str
    dropped: str = ""
    """Why the transcript was dropped: vad, no_speech, logprob, repetition, sign_off, prompt,
    ''."""

    @property
    def confidence(self) -> float:
        """exp(mean token log-probability) x (1 - no-speech probability), 0-1."""
        return float(np.exp(self.avg_logprob)) * (1.0 - self.no_speech_prob) if self.text else 0.0

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "raw": self.raw, "lang": self.lang,
                "lang_prob": round(self.lang_prob, 3), "avg_logprob": round(self.avg_logprob, 3),
                "no_speech_prob": round(self.no_speech_prob, 3),
                "compression_ratio": round(self.compression_ratio, 3),
                "confidence": round(self.confidence, 3), "model": self.model,
                "dropped": self.dropped}  # fmt: skip


PROMPT_ECHO_ITEMS = 3
"""A transcript holding this many of the prompt's items, in the prompt's order, is Whisper
copying its prompt (a list of words invites it: "Who are you?" in espeak-ng English came out
"volume up, volume down, stop, pause,"), not what was said."""


def echoes(raw: str, prompt: str) -> bool:
    """Whether `raw` is Whisper copying `prompt` (PROMPT_ECHO_ITEMS items of it in order)."""
    items = [squash(p) for p in prompt.split(",") if squash(p)]
    said = [squash(p) for p in raw.split(",") if squash(p)]
    if len(said) < PROMPT_ECHO_ITEMS:
        return False
    at, found = 0, 0
    for piece in said:
        if piece in items[at:]:
            at = items.index(piece, at) + 1
            found += 1
    return found >= PROMPT_ECHO_ITEMS


def guard(raw: str, avg_logprob: float, no_speech_prob: float, ratio: float,
          options: WhisperOptions, prompt: str = "") -> str:  # fmt: skip
    """Why a transcript must be dropped ("" when it may be kept)."""
    squashed = squash(raw)
    if not squashed:
        return "vad"
    if any(s in squashed for s in SIGN_OFFS):
        return "sign_off"
    if prompt and echoes(raw, prompt):
        return "prompt"
    if no_speech_prob > options.no_speech_max:
        return "no_speech"
    if avg_logprob < options.logprob_min:
        return "logprob"
    if ratio > options.compression_max:
        return "repetition"
    return ""


_LOCK = threading.Lock()
_LOADED: dict[tuple[str, int], object] = {}


def _load(name: str, threads: int):
    """A faster_whisper.WhisperModel, once per process (per model and thread count)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
    with _LOCK:
        if (name, threads) not in _LOADED:
            from faster_whisper import WhisperModel

            folder: Path = model_dir(name)
            try:
                _LOADED[name, threads] = WhisperModel(
                    str(folder), device="cpu", compute_type="int8", cpu_threads=threads
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise WhisperModelError(
                    f"{folder}: Whisper {name} failed to load ({exc})"
                ) from None
        return _LOADED[name, threads]


@dataclass
class WhisperHearing:
    """The Whisper models of a process and the words to bias them toward."""

    options: WhisperOptions = WhisperOptions()
    prompt: dict[str, str] = field(default_factory=dict)
    """Per language, the person's words (names, places, command phrases) given to Whisper
    as its initial prompt; set with `bias`."""

    def __post_init__(self) -> None:
        self.main: Any = _load(self.options.model, self.options.threads)
        self.english: Any = (
            _load(self.options.english_model, self.options.threads)
            if self.options.english_model and self.options.lang != "ko"
            else None
        )

    def bias(self, lang: str, words: list[str]) -> None:
        """Give Whisper these words (most important first) as context for `lang`'s turns;
        those past PROMPT_TOKENS are left out, the last first."""
        prompt = ""
        seen: set[str] = set()
        for word in words:
            if not word or word in seen:
                continue
            seen.add(word)
            longer = f"{prompt}, {word}" if prompt else word
            if self.tokens(longer) > PROMPT_TOKENS:
                break
            prompt = longer
        self.prompt[lang] = prompt

    def tokens(self, text: str) -> int:
        """How many tokens Whisper makes of `text` as a prompt (as faster-whisper encodes it)."""
        return len(self.main.hf_tokenizer.encode(" " + text.strip(),
                                                 add_special_tokens=False).ids)  # fmt: skip

    def detect(self, samples: np.ndarray) -> tuple[str, float]:
        """(ko or en, its probability against the other) from the multilingual model."""
        if self.options.lang in ("ko", "en"):
            return self.options.lang, 1.0
        audio = _float(samples)
        _, _, probs = self.main.detect_language(audio=audio)
        by = dict(probs)
        share = {"ko": by.get("ko", 0.0), "en": by.get("en", 0.0)}
        total = share["ko"] + share["en"]
        default = self.options.default_lang
        other = "en" if default == "ko" else "ko"
        if total <= 0:
            return default, 0.5
        if share[other] / total >= self.options.switch:
            return other, share[other] / total
        return default, share[default] / total

    def decode(self, samples: np.ndarray, lang: str | None = None,
               lang_prob: float = 1.0) -> WhisperHeard:  # fmt: skip
        """Transcribe one press (int16 or float samples at 16 kHz), guarded."""
        began = time.perf_counter()
        if lang is None:
            lang, lang_prob = self.detect(samples)
        use_english = lang == "en" and self.english is not None
        model = self.english if use_english else self.main
        name = self.options.english_model if use_english else self.options.model
        prompt = (self.prompt.get(lang) or None) if self.options.bias else None
        segments, _info = model.transcribe(
            _float(samples), language=None if use_english else lang, beam_size=self.options.beam,
            temperature=0.0, vad_filter=self.options.vad, initial_prompt=prompt,
            condition_on_previous_text=False, without_timestamps=True,
        )  # fmt: skip
        segments = list(segments)
        raw = " ".join(s.text.strip() for s in segments).strip()
        if segments:
            tokens = [max(1, len(s.tokens)) for s in segments]
            logprob = sum(s.avg_logprob * n for s, n in zip(segments, tokens, strict=True)) / sum(
                tokens
            )
            no_speech = max(s.no_speech_prob for s in segments)
            ratio = max(s.compression_ratio for s in segments)
        else:
            logprob, no_speech, ratio = -10.0, 1.0, 0.0
        dropped = guard(raw, logprob, no_speech, ratio, self.options, prompt or "")
        return WhisperHeard("" if dropped else raw, raw, lang, lang_prob, logprob, no_speech,
                            ratio, (time.perf_counter() - began) * 1000, name,
                            dropped)  # fmt: skip


def _silent(tail: np.ndarray) -> bool:
    """No speech in `tail` (int16) by Silero VAD (faster-whisper's), or nothing at all."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(tail) < RATE // 20:
        return True
    return not get_speech_timestamps(
        _float(tail), VadOptions(min_speech_duration_ms=TAIL_SPEECH_MS)
    )


def _float(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return np.asarray(samples, dtype=np.float32)


class WhisperDecoder:
    """One press for Whisper: the same surface as the Vosk decoder of a DecodingSession.

    Threads: the feeding thread calls `feed` and `close_input`; the `stt-whisper` worker
    detects the language once a second of audio is held and decodes after the release; any
    thread may `cancel` or wait for `done`.
    """

    def __init__(self, hearing: WhisperHearing, name: str = "stt-whisper") -> None:
        self.hearing = hearing
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._paused = False
        self.text: str | None = None
        self.partial = ""
        self.heard: WhisperHeard | None = None
        self.lang: tuple[str, float] | None = None
        """(language, probability) detected while the button was held."""
        self.detect_ms = 0.0
        self._lang_on = 0
        """Samples the language was detected on while held."""
        self._first: float | None = None
        """When the first frame came (perf_counter)."""
        self._spec: tuple[int, WhisperHeard] | None = None
        """The last decode made while the button was held: (samples it covered, result)."""
        self.reused = False
        """The release's answer was the decode made while the button was held."""
        self.done = threading.Event()
        self.cancelled = threading.Event()
        self._worker = threading.Thread(target=self._run, daemon=True, name=name)
        self._worker.start()

    def feed(self, data: bytes | None) -> None:
        with self._wake:
            if data is None:
                self._closed = True
            else:
                if self._first is None:
                    self._first = time.perf_counter()
                self._chunks.append(data)
            self._wake.notify()

    def close_input(self) -> None:
        self.feed(None)

    def pause(self) -> None:
        with self._wake:
            self._paused = True

    def resume(self) -> None:
        with self._wake:
            self._paused = False
            self._wake.notify()

    def caught_up(self) -> None:
        """Nothing to catch up: audio is only kept while the button is held."""

    def _samples(self) -> np.ndarray:
        with self._lock:
            data = b"".join(self._chunks)
        return np.frombuffer(data, dtype=np.int16)

    def _held_bytes(self) -> int:
        return sum(len(c) for c in self._chunks)

    def _held_for(self) -> tuple[float, float]:
        """(seconds of audio held, seconds since the first frame came), under the lock."""
        return self._held_bytes() / (2 * RATE), time.perf_counter() - (self._first or 0.0)

    def _wait_while_held(self, audio_s: float) -> bool:
        """Wait until `audio_s` of audio has been held for as long (a real press), or the
        release; True when the button is still held."""
        with self._wake:
            while not self._closed and not self.cancelled.is_set():
                if not self._paused and self._first is not None:
                    held, since = self._held_for()
                    if held >= audio_s and since >= audio_s:
                        return True
                self._wake.wait(0.05)
        return False

    def _run(self) -> None:
        """While held: detect the language after a second, then decode the audio so far
        each time another SPECULATE_EVERY_S has come with speech in it. After the release:
        the last such decode is the answer when nothing but silence (Silero VAD) came after
        it; else one decode of the whole press."""
        try:
            if self._wait_while_held(DETECT_AFTER_S):
                if self.hearing.options.lang == "auto":
                    began = time.perf_counter()
                    held = self._samples()
                    self.lang = self.hearing.detect(held)
                    self._lang_on = len(held)
                    self.detect_ms = (time.perf_counter() - began) * 1000
                lang, prob = self.lang or (self.hearing.options.lang, 1.0)
                due = DETECT_AFTER_S
                while self._wait_while_held(due):
                    samples = self._samples()
                    if self._spec is not None and _silent(samples[self._spec[0] :]):
                        due = len(samples) / RATE + QUIET_RECHECK_S  # nothing new was said
                        continue
                    self._spec = (len(samples), self.hearing.decode(samples, lang, prob))
                    due = len(samples) / RATE + SPECULATE_EVERY_S
            with self._wake:
                while not self._closed and not self.cancelled.is_set():
                    self._wake.wait(0.1)
                while self._paused and not self.cancelled.is_set():
                    self._wake.wait(0.1)
            if self.cancelled.is_set():
                return
            began = time.perf_counter()
            samples = self._samples()
            first = self.lang
            switched = first is not None and first[0] != self.hearing.options.default_lang
            if first is not None and switched and self._lang_on < REDETECT_SHARE * len(samples):
                # the other language, told from the first second or so: check on the whole press
                again = self.hearing.detect(samples)
                if again[0] != first[0]:
                    self._spec = None
                self.lang = again
            if self._spec is not None and _silent(samples[self._spec[0] :]):
                self.heard = replace(self._spec[1], decode_ms=(time.perf_counter() - began) * 1000)
                self.reused = True
            else:
                if self.lang is not None:
                    self.heard = self.hearing.decode(samples, *self.lang)
                else:
                    self.heard = self.hearing.decode(samples)
            self.text = self.heard.text
        except Exception:  # a decoder that failed hears nothing; the turn says so
            log.exception("the Whisper decoder failed")
        finally:
            self.done.set()

    @property
    def words(self) -> tuple:
        """Whisper's transcript as one Word with its confidence (for the turn's features)."""
        if self.heard is None or not self.heard.text or self.cancelled.is_set():
            return ()
        return tuple(Word(w, self.heard.confidence) for w in self.heard.text.split())

    def cancel(self, wait: bool = True) -> None:
        self.cancelled.set()
        with self._wake:
            self._wake.notify()
        if wait:
            self._worker.join()
