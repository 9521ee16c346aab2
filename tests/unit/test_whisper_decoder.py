"""The Whisper press's threading and language choice, with Whisper's decode stubbed out
(the real model is tested in tests/integration/test_whisper.py)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from earpiece.speech import whisper
from earpiece.speech.whisper import WhisperDecoder, WhisperHeard, WhisperOptions

RATE = 16_000


@dataclass
class _Hearing:
    """Detects English on a short start and Korean on the whole press; records decodes."""

    options: WhisperOptions = field(default_factory=WhisperOptions)
    decodes: list[str] = field(default_factory=list)

    def detect(self, samples: np.ndarray) -> tuple[str, float]:
        return ("en", 0.9) if len(samples) < 2 * RATE else ("ko", 0.95)

    def decode(self, samples: np.ndarray, lang: str | None = None,
               lang_prob: float = 1.0) -> WhisperHeard:  # fmt: skip
        lang = lang or self.detect(samples)[0]
        self.decodes.append(lang)
        return WhisperHeard(lang, lang, lang, lang_prob, -0.1, 0.0, 1.0, 1.0, "stub")


def _press(decoder: WhisperDecoder, seconds: float) -> None:
    rng = np.random.default_rng(1)
    samples = (rng.normal(0, 3000, int(seconds * RATE))).astype(np.int16)
    began = time.perf_counter()
    for i, at in enumerate(range(0, len(samples), 800)):
        decoder.feed(samples[at : at + 800].tobytes())
        time.sleep(max(0.0, began + (i + 1) * 800 / RATE - time.perf_counter()))
    decoder.close_input()
    assert decoder.done.wait(10)


def test_a_switch_told_from_the_first_second_is_checked_on_the_whole_press(monkeypatch):
    # the stub's noise is speech here (Silero VAD itself is tested with real audio elsewhere)
    monkeypatch.setattr(whisper, "_silent", lambda tail: len(tail) == 0)
    hearing = _Hearing()
    decoder = WhisperDecoder(hearing)  # type: ignore[arg-type]
    _press(decoder, 3.0)
    assert decoder.lang == ("en", 0.9)  # told from the first second while held
    assert hearing.decodes == ["ko"]  # the release decodes the whole press in its own language
    assert decoder.heard is not None and decoder.heard.lang == "ko"


def test_a_short_press_released_before_a_second_is_detected_whole():
    hearing = _Hearing()
    decoder = WhisperDecoder(hearing)  # type: ignore[arg-type]
    _press(decoder, 0.5)
    assert decoder.lang is None  # nothing was detected while held
    assert hearing.decodes == ["en"]  # the stub's answer for the whole (short) press
