"""WAV files in and out: any rate, channels and sample format in; 16 kHz mono int16 for the ear."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

STT_RATE = 16_000
"""What the speech recogniser hears: 16 kHz mono int16."""


class AudioError(Exception):
    """An audio file is missing, empty, corrupt or not audio at all."""


def to_int16(samples: np.ndarray) -> np.ndarray:
    """float [-1, 1] -> int16, clipped."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype(np.int16)


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """float32 mono at rate_in -> float32 mono at rate_out (soxr, high quality)."""
    if rate_in == rate_out or samples.size == 0:
        return samples.astype(np.float32)
    import soxr

    return soxr.resample(samples, rate_in, rate_out).astype(np.float32)


def read_for_stt(path: Path | str) -> np.ndarray:
    """A WAV (or any libsndfile format) as 16 kHz mono int16 samples.

    >>> read_for_stt("missing.wav")
    Traceback (most recent call last):
    AudioError: missing.wav: no such file
    """
    import soundfile

    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    if data.size == 0:
        raise AudioError(f"{path}: the audio file holds no samples")
    mono = data.mean(axis=1)
    if not np.isfinite(mono).all():
        raise AudioError(f"{path}: the audio holds invalid (NaN or infinite) samples")
    return to_int16(resample(mono, rate, STT_RATE))


def write(path: Path | str, samples: np.ndarray, rate: int) -> None:
    """Write int16 mono samples as a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.asarray(samples, dtype=np.int16).tobytes())
