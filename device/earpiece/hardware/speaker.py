"""Where the companion's voice goes: the earpiece (sounddevice) or a WAV file."""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path
from typing import Protocol

import numpy as np

BLOCK_S = 0.05
"""Playback is written in blocks this long, so a stop (barge-in) takes effect within it."""


class Speaker(Protocol):
    """Plays int16 mono audio; `stop()` interrupts what is playing."""

    def play(self, samples: np.ndarray, rate: int) -> bool:
        """Play to the end (True) or until stopped (False)."""
        ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


class WavSpeaker:
    """Writes everything played into one WAV file, at the first clip's rate.

    >>> speaker = WavSpeaker("reply.wav")
    >>> speaker.play(np.zeros(2205, np.int16), 22050)
    True
    """

    def __init__(self, path: Path | str, realtime: bool = False) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.played: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._out: wave.Wave_write | None = None
        self._rate = 0
        self._lock = threading.Lock()

    def play(self, samples: np.ndarray, rate: int) -> bool:
        from earpiece.hardware.wavfile import resample

        self._stop.clear()
        with self._lock:
            if self._out is None:
                self._out = wave.open(str(self.path), "wb")  # noqa: SIM115 - open across play() calls
                self._out.setnchannels(1)
                self._out.setsampwidth(2)
                self._out.setframerate(rate)
                self._rate = rate
            if rate != self._rate:
                samples = (resample(samples / 32768.0, rate, self._rate) * 32767).astype(np.int16)
        block = int(self._rate * BLOCK_S)
        for start in range(0, len(samples), block):
            if self._stop.is_set():
                return False
            with self._lock:
                self._out.writeframes(samples[start : start + block].astype(np.int16).tobytes())
            if self.realtime:
                time.sleep(BLOCK_S)
        self.played.append((time.perf_counter(), len(samples)))
        return True

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        with self._lock:
            if self._out is not None:
                self._out.close()
                self._out = None


class SoundDeviceSpeaker:
    """The earpiece: one sounddevice output stream, kept open and written block by block.

    Opening a PortAudio stream takes tens of milliseconds on ALSA, so the stream is
    opened once (per sample rate) and reused, not opened for every sentence.
    """

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        self._stop = threading.Event()
        self._stream = None
        self._rate = 0

    def _stream_for(self, rate: int):
        import sounddevice

        if self._stream is None or self._rate != rate:
            self.close()
            self._stream = sounddevice.OutputStream(samplerate=rate, channels=1, dtype="int16",
                                                    device=self.device)  # fmt: skip
            self._rate = rate
        if not self._stream.active:
            self._stream.start()
        return self._stream

    def play(self, samples: np.ndarray, rate: int) -> bool:
        self._stop.clear()
        stream = self._stream_for(rate)
        block = int(rate * BLOCK_S)
        for start in range(0, len(samples), block):
            if self._stop.is_set():
                stream.abort()  # drop what is queued: barge-in is immediate
                return False
            stream.write(samples[start : start + block].reshape(-1, 1))
        return True

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self._stop.set()
        if self._stream is not None:
            self._stream.close()
            self._stream = None
