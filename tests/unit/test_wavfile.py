"""Any WAV in (rate, channels, 8/16/32-bit, float), 16 kHz mono int16 out; bad files say why."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from earpiece.hardware.wavfile import STT_RATE, AudioError, read_for_stt


def tone(rate: int, seconds: float = 0.5, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    mono = 0.5 * np.sin(2 * np.pi * 440 * t)
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono


@pytest.mark.parametrize(
    ("rate", "channels", "subtype"),
    [
        (16000, 1, "PCM_16"),
        (44100, 2, "PCM_16"),
        (8000, 1, "PCM_U8"),
        (48000, 2, "PCM_32"),
        (22050, 1, "FLOAT"),
        (11025, 1, "PCM_24"),
    ],
)
def test_any_wav_becomes_16k_mono_int16(tmp_path: Path, rate: int, channels: int, subtype: str):
    path = tmp_path / "in.wav"
    soundfile.write(path, tone(rate, channels=channels), rate, subtype=subtype)
    samples = read_for_stt(path)
    assert samples.dtype == np.int16
    assert abs(len(samples) - STT_RATE * 0.5) <= 16
    peak = np.abs(samples[1000:-1000]).max()
    assert 0.4 * 32767 < peak < 0.6 * 32767  # the level survives the conversion


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a readable audio file"),
        (b"RIFF\x10\x00\x00\x00WAVEjunkjunk", "not a readable"),
        (b"hello, I am a text file\n" * 20, "not a readable audio file"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError, match=message):
        read_for_stt(path)


def test_a_wav_with_no_samples_is_named(tmp_path: Path):
    path = tmp_path / "empty.wav"
    soundfile.write(path, np.zeros(0), 16000)
    with pytest.raises(AudioError, match="no samples"):
        read_for_stt(path)


def test_missing_file(tmp_path: Path):
    with pytest.raises(AudioError, match="no such file"):
        read_for_stt(tmp_path / "nope.wav")
