"""WAV files in and out: any rate, channels and sample format in; 16 kHz mono int16 for the ear."""

from __future__ import annotations

import wave
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Recording:
    """Samples read for the recogniser, and how long the file really was."""

    samples: np.ndarray
    """16 kHz mono int16, at most `max_s` long."""
    file_s: float
    """Duration of the whole file (seconds)."""
    cut_to_s: float | None
    """The length it was cut to when the file was longer than allowed, else None."""


def read_for_stt(path: Path | str, max_s: float | None = None) -> np.ndarray:
    """A WAV (or any libsndfile format) as 16 kHz mono int16 samples (the first `max_s`).

    >>> read_for_stt("missing.wav")
    Traceback (most recent call last):
    AudioError: missing.wav: no such file
    """
    return read_recording(path, max_s).samples


def read_recording(path: Path | str, max_s: float | None = None) -> Recording:
    """Like `read_for_stt`, also saying whether the file was cut; reads only what is kept,
    so a long file takes no more memory than `max_s` of it."""
    import soundfile

    path = Path(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        with soundfile.SoundFile(str(path)) as f:
            rate, total = f.samplerate, f.frames
            keep = total if max_s is None else min(total, int(max_s * rate))
            data = f.read(keep, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioError(f"{path}: not a readable audio file ({exc})") from None
    samples = _decoded(path, data, rate)
    cut = max_s if max_s is not None and keep < total else None
    return Recording(samples, total / rate if rate else 0.0, cut)


def _decoded(path: Path, data: np.ndarray, rate: int) -> np.ndarray:
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
