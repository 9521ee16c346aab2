"""Whisper (faster-whisper, CTranslate2 int8) as the free-speech decoder, Korean or English.

One `WhisperHearing` per process holds the models (base, multilingual; tiny.en for English
turns when configured). A press's audio is kept while the button is held; once it has a
second of speech the language (Korean or English only) is told on the audio so far, and at
each pause in the speech the audio so far is decoded, so a press released after a pause
finds its transcript ready. One encoder pass per decode, on the speech and a little silence
when `window_pad_s` allows (Whisper pads to 30 s). What Whisper says is kept only when
it passes the guards against words from silence and noise (docs/voice.md): Silero VAD
(faster-whisper's), no-speech probability, mean log-probability, compression ratio
(repetition), and a list of sign-offs Whisper is known to invent on noise.

Longer than most modules: the models, the guards and the per-press decoder share the
process-wide model lock and the press's audio, and each decode path (held, released, longer
than one window) ends in the same guards; split apart they would pass that state around.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from earpiece.hardware.wavfile import STT_RATE
from earpiece.speech.whispermodel import WhisperModelError, model_dir
from earpiece.speech.words import Word

log = logging.getLogger(__name__)
RATE = STT_RATE  # what the microphone delivers (hardware/wavfile.py)
DETECT_AFTER_S = 1.0
"""Audio (seconds) held before the language is told on the audio so far (for the grammar's
fast path: speech in the other language is never taken from it at the release)."""
END_PAUSE_S = 0.25
"""A pause this long (seconds, quiet by level) after speech while the button is held: the
audio so far is decoded at once, so a press released after it finds its transcript ready."""
MIN_HELD_S = 0.5
"""No decode while held before this much audio (seconds)."""
QUIET_RMS = 300
"""A 50 ms chunk quieter than this (int16 RMS, about -40 dBFS) is no speech..."""
QUIET_SHARE = 0.1
"""...nor is one 20 dB or more below the loudest chunk of the press."""
REALTIME_SLACK_S = 0.6
"""Audio may run ahead of the time since the first frame by this much (the pre-roll comes
at once) and still count as a press at the pace of speech."""
DETECT_PAD_S = 4.0
"""Silence after the audio in the encoder pass that only tells the language: on the first
1.2 s of 40 presses (real Korean, English in the Piper voice) it told as many right as
Whisper's padded 30 s window (39), at an eighth of the CPU time."""
PRIOR_MS_PER_AUDIO_S = 300.0
"""Decode time per second of audio assumed before the first decode (ms; learnt after)."""
OVERDUE_SHARE = 0.25
"""A decode that has run longer than expected is expected to need this share of its time
so far again."""
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

# fmt: skip (at its end): a word list read as a table, several words a line.
SIGN_OFFS = (
    "시청해주셔서감사합니다",
    "시청해주셔서고맙습니다",
    "구독과좋아요",
    "구독좋아요알림설정",
    "다음영상에서만나요",
    "mbc뉴스",
    "kbs뉴스",
    "sbs뉴스",
    "이덕영입니다",
    "자막제공",
    "thanksforwatching",
    "thankyouforwatching",
    "pleasesubscribe",
    "subscribetomychannel",
    "seeyouinthenextvideo",
    "subtitlesby",
    "amaraorg",
)
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
    dual_below: float = 0.95
    """A press of at most `dual_max_s` of speech whose language was told with less than this
    share (0-1; 0: never; `default_lang` can be told with less than half, under the switch
    share) is decoded in both languages and the transcript Whisper is surer of is kept: a
    short press gives the language detection little to go on, and a decode in the wrong
    language turns English words into Korean ones ("Quieter." -> "좋아요") or the reverse.
    The encoder pass is shared; the second decode costs only decoder steps."""
    dual_max_s: float = 3.0
    """Longest speech (s, after VAD) decoded in both languages when the language is unsure."""
    dual_margin: float = 0.0
    """How much surer (confidence, 0-1) the other language's transcript must be to replace
    the one in the language told."""
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
    window_pad_s: float = 30.0
    """Whisper's encoder sees the speech (after VAD) plus this much silence, rounded up to a
    whole second and 30 s at most; 30: always its full 30-second window, as trained."""


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
    rival: dict[str, object] | None = None
    """When the press was decoded in both languages: the other decode (to_dict), not kept."""

    @property
    def confidence(self) -> float:
        """exp(mean token log-probability) x (1 - no-speech probability), 0-1."""
        return float(np.exp(self.avg_logprob)) * (1.0 - self.no_speech_prob) if self.text else 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "raw": self.raw,
            "lang": self.lang,
            "lang_prob": round(self.lang_prob, 3),
            "avg_logprob": round(self.avg_logprob, 3),
            "no_speech_prob": round(self.no_speech_prob, 3),
            "compression_ratio": round(self.compression_ratio, 3),
            "confidence": round(self.confidence, 3),
            "model": self.model,
            "dropped": self.dropped,
            "rival": self.rival,
        }


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


def guard(
    raw: str,
    avg_logprob: float,
    no_speech_prob: float,
    ratio: float,
    options: WhisperOptions,
    prompt: str = "",
) -> str:
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
    ms_per_audio_s: float = field(default=PRIOR_MS_PER_AUDIO_S, init=False)
    """Decode time per second of audio on this machine, from the decodes so far (ms)."""
    _built: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict, init=False)
    """Per language, the words the prompt was last built from, and that prompt."""

    def __post_init__(self) -> None:
        self.main: Any = _load(self.options.model, self.options.threads)
        self.english: Any = (
            _load(self.options.english_model, self.options.threads)
            if self.options.english_model and self.options.lang != "ko"
            else None
        )

    def bias(self, lang: str, words: list[str]) -> None:
        """Give Whisper these words (most important first) as context for `lang`'s turns;
        those past PROMPT_TOKENS are left out, the last first. Called at every press: the
        prompt built from the same words is kept, not tokenised again."""
        built = self._built.get(lang)
        if built is None or built[0] != tuple(words):
            built = (tuple(words), self._fit(words))
            self._built[lang] = built
        self.prompt[lang] = built[1]

    def _fit(self, words: list[str]) -> str:
        """The words joined by commas, as many as fit in PROMPT_TOKENS."""
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
        return prompt

    def tokens(self, text: str) -> int:
        """How many tokens Whisper makes of `text` as a prompt (as faster-whisper encodes it)."""
        return len(self.main.hf_tokenizer.encode(" " + text.strip(), add_special_tokens=False).ids)

    def choose(self, probs: dict[str, float]) -> tuple[str, float]:
        """(ko or en, its probability against the other) from Whisper's language
        probabilities: `default_lang` unless the other is clearly more likely."""
        share = {"ko": probs.get("ko", 0.0), "en": probs.get("en", 0.0)}
        total = share["ko"] + share["en"]
        default = self.options.default_lang
        other = "en" if default == "ko" else "ko"
        if total <= 0:
            return default, 0.5
        if share[other] / total >= self.options.switch:
            return other, share[other] / total
        return default, share[default] / total

    def detect(self, samples: np.ndarray) -> tuple[str, float]:
        """(ko or en, its probability against the other) from the multilingual model: one
        encoder pass over the audio and DETECT_PAD_S of silence, no decode."""
        if self.options.lang in ("ko", "en"):
            return self.options.lang, 1.0
        features = self.main.feature_extractor(_float(samples)[: CHUNK_S * RATE])[:, :-1]
        encoded = self.main.encode(_window(features, DETECT_PAD_S))
        return self._told(encoded)

    def _told(self, encoded: Any) -> tuple[str, float]:
        """(ko or en, its probability against the other) from one encoder pass's output."""
        found = self.main.model.detect_language(encoded)[0]
        return self.choose({token[2:-2]: p for token, p in found})

    def decode(
        self, samples: np.ndarray, lang: str | None = None, lang_prob: float = 1.0
    ) -> WhisperHeard:
        """Transcribe one press (int16 or float samples at 16 kHz), guarded. With `lang`
        None (and `[stt] whisper_lang = auto`) the language is told from the same encoder
        pass that the decode uses: one encoder run per press, not two."""
        heard = self._decode(samples, lang, lang_prob)
        if len(samples) >= RATE // 2:
            now = heard.decode_ms / (len(samples) / RATE)
            self.ms_per_audio_s = 0.7 * self.ms_per_audio_s + 0.3 * now
        return heard

    def _decode(self, samples: np.ndarray, lang: str | None, lang_prob: float) -> WhisperHeard:
        began = time.perf_counter()
        if lang is None and self.options.lang in ("ko", "en"):
            lang, lang_prob = self.options.lang, 1.0
        audio = _float(samples)
        speech = _speech(audio) if self.options.vad else audio
        if len(speech) > CHUNK_S * RATE:  # longer than one window: faster-whisper's own loop
            return self._decode_long(audio, lang, lang_prob, began)
        main_name = self.options.model
        if not len(speech):
            return self._heard(
                "", lang or self.options.default_lang, lang_prob, -10.0, 1.0, 0.0, began, main_name
            )
        features = self.main.feature_extractor(speech)[:, :-1]
        encoded = self.main.encode(_window(features, self.options.window_pad_s))
        told = lang is None
        if lang is None:
            lang, lang_prob = self._told(encoded)
        heard = self._in(lang, lang_prob, speech, encoded, began)
        if not (
            told
            and lang_prob < self.options.dual_below
            and len(speech) <= self.options.dual_max_s * RATE
        ):
            return heard
        other = self._in("en" if lang == "ko" else "ko", 1.0 - lang_prob, speech, encoded, began)
        return self.surer(heard, other)

    def surer(self, told: WhisperHeard, other: WhisperHeard) -> WhisperHeard:
        """Of one press decoded in the language told (`told`) and in the other one: the
        transcript Whisper is surer of (a kept one over a dropped one; else by confidence,
        the other one needing `dual_margin` more), with the one not kept as its rival."""
        margin = self.options.dual_margin
        if other.text and (not told.text or other.confidence > told.confidence + margin):
            kept, rival = other, told
        else:
            kept, rival = told, other
        return replace(kept, decode_ms=max(told.decode_ms, other.decode_ms), rival=rival.to_dict())

    def _in(
        self, lang: str, lang_prob: float, speech: np.ndarray, encoded: Any, began: float
    ) -> WhisperHeard:
        """One decode of `speech` (encoded by the multilingual model) in `lang`."""
        if lang == "en" and self.english is not None:
            model, name = self.english, self.options.english_model
            encoded = model.encode(
                _window(model.feature_extractor(speech)[:, :-1], self.options.window_pad_s)
            )
        else:
            model, name = self.main, self.options.model
        text, logprob, no_speech, ratio = _generate(
            model, encoded, lang, self._prompt(lang), self.options.beam, len(speech) / RATE
        )
        return self._heard(text, lang, lang_prob, logprob, no_speech, ratio, began, name)

    def _prompt(self, lang: str) -> str | None:
        return (self.prompt.get(lang) or None) if self.options.bias else None

    def _heard(
        self,
        raw: str,
        lang: str,
        lang_prob: float,
        logprob: float,
        no_speech: float,
        ratio: float,
        began: float,
        name: str,
    ) -> WhisperHeard:
        dropped = guard(raw, logprob, no_speech, ratio, self.options, self._prompt(lang) or "")
        return WhisperHeard(
            "" if dropped else raw,
            raw,
            lang,
            lang_prob,
            logprob,
            no_speech,
            ratio,
            (time.perf_counter() - began) * 1000,
            name,
            dropped,
        )

    def _decode_long(
        self, audio: np.ndarray, lang: str | None, lang_prob: float, began: float
    ) -> WhisperHeard:
        """More speech than one 30-second window: faster-whisper's transcribe, window by
        window (a press that long is rare; the language told on its first window)."""
        if lang is None:
            lang, lang_prob = self.detect(audio)
        use_english = lang == "en" and self.english is not None
        model = self.english if use_english else self.main
        name = self.options.english_model if use_english else self.options.model
        segments, _info = model.transcribe(
            audio,
            language=None if use_english else lang,
            beam_size=self.options.beam,
            temperature=0.0,
            vad_filter=self.options.vad,
            initial_prompt=self._prompt(lang),
            condition_on_previous_text=False,
            without_timestamps=True,
        )
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
        return self._heard(raw, lang, lang_prob, logprob, no_speech, ratio, began, name)


CHUNK_S = 30
"""Whisper's window (seconds of audio one encoder pass sees)."""
FRAMES_PER_S = 100
"""Whisper's log-mel frames per second of audio."""
MAX_TOKENS_PER_S = 25
"""Most tokens a second of speech is decoded into: read Korean took at most 8.5 (its true
text) here, so only a decode caught in a loop reaches it."""
MIN_TOKENS = 16
"""Tokens allowed beside those (a one-word press)."""


def _speech(audio: np.ndarray) -> np.ndarray:
    """The stretches of `audio` Silero VAD (faster-whisper's, its defaults) finds speech in,
    joined; empty when there is none."""
    from faster_whisper.vad import VadOptions, collect_chunks, get_speech_timestamps

    found = get_speech_timestamps(audio, VadOptions(max_speech_duration_s=CHUNK_S))
    if not found:
        return np.zeros(0, np.float32)
    return np.concatenate(collect_chunks(audio, found)[0])


def _window(features: np.ndarray, pad_s: float) -> np.ndarray:
    """The encoder's input: the features followed by `pad_s` of silence (zeros, as
    faster-whisper pads), rounded up to a whole second, Whisper's 30 s at most."""
    from faster_whisper.audio import pad_or_trim

    seconds = min(CHUNK_S, int(np.ceil(features.shape[-1] / FRAMES_PER_S + pad_s)))
    return pad_or_trim(features, seconds * FRAMES_PER_S)


def _generate(
    model: Any, encoded: Any, lang: str, prompt: str | None, beam: int, speech_s: float
) -> tuple[str, float, float, float]:
    """(text, mean token log-probability, no-speech probability, compression ratio): one
    greedy or beam decode at temperature 0 (no fallback to sampling: an unclear press is
    better dropped than decoded three or four times), without timestamps, at most
    MAX_TOKENS_PER_S tokens per second of speech (a decode caught in a loop stops there and
    its repetition is dropped by the guards, instead of running on to 448 tokens)."""
    from faster_whisper.tokenizer import Tokenizer
    from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

    tokenizer = Tokenizer(
        model.hf_tokenizer,
        model.model.is_multilingual,
        task="transcribe",
        language=lang if model.model.is_multilingual else "en",
    )
    previous = tokenizer.encode(" " + prompt.strip()) if prompt else []
    tokens = model.get_prompt(tokenizer, previous, without_timestamps=True)
    most = len(tokens) + MIN_TOKENS + int(MAX_TOKENS_PER_S * speech_s)
    result = model.model.generate(
        encoded,
        [tokens],
        beam_size=beam,
        patience=1.0,
        length_penalty=1.0,
        max_length=min(model.max_length, most),
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
    )[0]
    ids = result.sequences_ids[0]
    text = tokenizer.decode(ids).strip()
    logprob = result.scores[0] * len(ids) / (len(ids) + 1) if ids else -10.0
    return text, logprob, result.no_speech_prob, get_compression_ratio(text) if text else 0.0


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
    decodes the audio so far while the button is held (each decode tells the language on
    its own encoder pass) and, unless one of those covers the whole press, once more after
    the release; any thread may `cancel`, ask `expected_ms` or wait for `done`.
    """

    def __init__(self, hearing: WhisperHearing, name: str = "stt-whisper") -> None:
        self.hearing = hearing
        self._chunks: list[bytes] = []
        self._levels: list[tuple[int, float]] = []
        """(samples held after the chunk, RMS of the chunk) for each chunk fed."""
        self._loudest = 0.0
        self._held = 0
        """Samples fed so far."""
        self._at_once = False
        """The audio ran ahead of the time it took to come: a recording, not a press."""
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closed = False
        self._paused = False
        self.text: str | None = None
        self.partial = ""
        self.heard: WhisperHeard | None = None
        self.lang: tuple[str, float] | None = None
        """(language, probability) of the latest decode made while the button was held."""
        self.held_decodes = 0
        """Decodes made while the button was held."""
        self.held_ms = 0.0
        """Their time, all together (ms)."""
        self._first: float | None = None
        """When the first frame came (perf_counter)."""
        self._spec: tuple[int, WhisperHeard] | None = None
        """The last decode made while the button was held: (samples it covered, result)."""
        self._busy: tuple[int, float] | None = None
        """The decode running now: (samples it covers, when it began)."""
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
                now = time.perf_counter()
                if self._first is None:
                    self._first = now
                self._chunks.append(data)
                chunk = np.frombuffer(data, dtype=np.int16)
                self._held += len(chunk)
                if self._held / RATE - (now - self._first) > REALTIME_SLACK_S:
                    self._at_once = True
                if len(chunk):
                    rms = float(np.sqrt(np.mean(chunk.astype(np.float32) ** 2)))
                    self._levels.append((self._held, rms))
                    self._loudest = max(self._loudest, rms)
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

    def _loud_after(self, at: int) -> bool:
        """A chunk after sample `at` is loud enough to be speech (by level, not by VAD)."""
        floor = max(QUIET_RMS, QUIET_SHARE * self._loudest)
        for end, rms in reversed(self._levels):
            if end <= at:
                return False
            if rms >= floor:
                return True
        return False

    def _paused_speaking(self) -> bool:
        """The last END_PAUSE_S held is quiet after something loud: an utterance ended
        (or paused) while the button is still held. Under the lock."""
        if self._held < RATE * MIN_HELD_S or self._loudest < QUIET_RMS:
            return False
        return not self._loud_after(self._held - int(RATE * END_PAUSE_S))

    def _realtime(self) -> bool:
        """Under the lock: the audio came at the pace of speech (a press), never all at once
        (a recording, decoded once after the release)."""
        return not self._at_once

    def _due(self, detect_at_s: float, quiet_at: int) -> str:
        """Under the lock: what to do with the audio so far now: "decode" at a pause in the
        speech (looked at once per pause), "detect" (the language, once, after
        DETECT_AFTER_S), or "" (wait)."""
        if self._paused or self._first is None or not self._realtime():
            return ""
        if self._paused_speaking() and self._loud_after(quiet_at):
            return "decode"
        if self.lang is None and self._held >= detect_at_s * RATE:
            return "detect"
        return ""

    def _run(self) -> None:
        """While held: tell the language once a second of audio is held, and decode the
        audio so far at each pause in the speech (when something was said since the last
        decode). After the release: the last such decode is the answer when nothing but
        silence (Silero VAD) came after it; else one decode of the whole press.

        Decodes while the speech goes on are not made: a decode covers the audio up to
        where it began, so one begun before the last word is never the answer and would
        only hold up the one that can be."""
        try:
            detect_at = DETECT_AFTER_S
            quiet_at = 0  # samples held when the last pause was looked at
            fixed = self.hearing.options.lang
            while True:
                with self._wake:
                    while not (self._closed or self.cancelled.is_set()) and not (
                        due := self._due(detect_at, quiet_at)
                    ):
                        self._wake.wait(0.05)
                    if self._closed or self.cancelled.is_set():
                        break
                    if due == "decode":
                        quiet_at = self._held
                samples = self._samples()
                covered = self._spec[0] if self._spec is not None else 0
                if _silent(samples[covered:]):  # nothing (new) was said
                    detect_at = len(samples) / RATE + QUIET_RECHECK_S
                    continue
                if due == "detect":
                    self.lang = self.hearing.detect(samples)
                    continue
                self._busy = (len(samples), time.perf_counter())
                heard = self.hearing.decode(samples, None if fixed == "auto" else fixed)
                self._busy = None
                self._spec = (len(samples), heard)
                self.lang = (heard.lang, heard.lang_prob)
                self.held_decodes += 1
                self.held_ms += heard.decode_ms
            with self._wake:
                while self._paused and not self.cancelled.is_set():
                    self._wake.wait(0.1)
            if self.cancelled.is_set():
                return
            began = time.perf_counter()
            samples = self._samples()
            if self._spec is not None and _silent(samples[self._spec[0] :]):
                self.heard = replace(self._spec[1], decode_ms=(time.perf_counter() - began) * 1000)
                self.reused = True
            else:
                self._busy = (len(samples), began)
                lang = self.hearing.options.lang
                self.heard = self.hearing.decode(samples, None if lang == "auto" else lang)
                self._busy = None
            self.text = self.heard.text
        except Exception:  # a decoder that failed hears nothing; the turn says so
            log.exception("the Whisper decoder failed")
        finally:
            self.done.set()

    def expected_ms(self) -> float:
        """After the release: how long until the transcript is ready, by the time decodes
        have taken in this process (0 when ready). A decode running now is counted to its
        end; speech after what it (or the last decode) covers costs one more decode of the
        whole press."""
        if self.done.is_set():
            return 0.0
        with self._lock:
            held = self._held
        busy, spec = self._busy, self._spec
        rate = self.hearing.ms_per_audio_s
        covered = busy[0] if busy is not None else (spec[0] if spec is not None else 0)
        left = 0.0
        if busy is not None:  # overdue (the machine is slower now): a quarter more again
            spent = (time.perf_counter() - busy[1]) * 1000
            whole = rate * busy[0] / RATE
            left = whole - spent if spent < whole else OVERDUE_SHARE * spent
        with self._lock:
            more = self._loud_after(covered) or covered == 0
        if more and (busy is None or busy[0] < held):
            left += rate * held / RATE
        return left

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
