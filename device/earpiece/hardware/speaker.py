"""Where the companion's voice goes: the earpiece (sounddevice) or a WAV file."""

from __future__ import annotations

import contextlib
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

BLOCK_S = 0.05
"""Playback is written in blocks this long, so a stop (barge-in) takes effect within it."""


def _nothing() -> None:
    pass


class Speaker(Protocol):
    """Plays int16 mono audio; `stop()` interrupts what is playing and what follows.

    One clip plays at a time: a play from a second thread (an earcon) waits for the one
    playing to end, so two sounds never mix or interleave.

    A stop holds until `resume()`: a sentence that starts after the stop (the next one of
    the same reply) does not play either. Only the owner of the reply calls `resume()`.
    """

    def play(self, samples: np.ndarray, rate: int) -> bool:
        """Play to the end (True) or until stopped (False, at once when already stopped)."""
        ...

    def stop(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


class _OneClipAtATime:
    """What both speakers share: one play at a time (a clip from another thread waits for the
    one playing), and a stop that any thread may set and that a play checks block by block."""

    def __init__(self) -> None:
        self.on_block: Callable[[], None] = _nothing
        """Called after each block is written (the watchdog's heartbeat while a reply plays)."""
        self._stop = threading.Event()
        self._playing = threading.Lock()
        """Held for a whole play: clips from two threads follow each other, never interleave."""

    def play(self, samples: np.ndarray, rate: int) -> bool:
        with self._playing:
            return self._play(samples, rate)

    def _play(self, samples: np.ndarray, rate: int) -> bool:
        raise NotImplementedError

    def stop(self) -> None:
        self._stop.set()

    def resume(self) -> None:
        self._stop.clear()


class WavSpeaker(_OneClipAtATime):
    """Writes everything played into one WAV file, at the first clip's rate.

    With `realtime`, it takes as long as the audio lasts (a stand-in for a real earpiece
    that a test can read back). Threads: any thread may call stop(); play, resume and
    close come from the thread that owns the reply; a play from another thread waits its turn.

    >>> speaker = WavSpeaker("reply.wav")
    >>> speaker.play(np.zeros(2205, np.int16), 22050)
    True
    """

    def __init__(self, path: Path | str, realtime: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.realtime = realtime
        self.played: list[tuple[float, int]] = []
        """(end time, samples written) of each play, stopped or not."""
        self._out: wave.Wave_write | None = None
        self._rate = 0
        self._lock = threading.Lock()

    def _play(self, samples: np.ndarray, rate: int) -> bool:
        from earpiece.hardware.wavfile import resample

        if self._stop.is_set():
            return False
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
        written = 0
        for start in range(0, len(samples), block):
            if self._stop.is_set():
                self.played.append((time.perf_counter(), written))
                return False
            chunk = samples[start : start + block].astype(np.int16)
            with self._lock:
                if self._out is None:  # closed under us (shutdown)
                    return False
                self._out.writeframes(chunk.tobytes())
            written += len(chunk)
            self.on_block()
            if self.realtime:
                self._stop.wait(len(chunk) / self._rate)
        self.played.append((time.perf_counter(), written))
        return True

    def close(self) -> None:
        self._stop.set()
        with self._lock:
            if self._out is not None:
                self._out.close()
                self._out = None


class SoundDeviceSpeaker(_OneClipAtATime):
    """The earpiece: one sounddevice output stream, kept open and written block by block.

    Opening a PortAudio stream takes tens of milliseconds on ALSA, so the stream is
    opened once (per sample rate) and reused, not opened for every sentence. A PortAudio
    error (a Bluetooth earpiece that dropped) closes the stream, so the next play reopens it.
    Threads: any thread may call stop(); play, resume and close come from the reply's owner;
    a play from another thread (an earcon) waits until the one playing ends.
    """

    def __init__(self, device: str | int | None = None) -> None:
        super().__init__()
        self.device = device
        self._stream: Any = None
        """The open sounddevice.OutputStream (an untyped library), or None."""
        self._rate = 0

    def _stream_for(self, rate: int) -> Any:
        import sounddevice

        if self._stream is None or self._rate != rate:
            self._close_stream()
            self._stream = sounddevice.OutputStream(
                samplerate=rate, channels=1, dtype="int16", device=self.device
            )
            self._rate = rate
        if not self._stream.active:
            self._stream.start()
        return self._stream

    def _play(self, samples: np.ndarray, rate: int) -> bool:
        import sounddevice

        if self._stop.is_set():
            return False
        try:
            stream = self._stream_for(rate)
            block = int(rate * BLOCK_S)
            for start in range(0, len(samples), block):
                if self._stop.is_set():
                    stream.abort()  # drop what is queued: barge-in is immediate
                    return False
                stream.write(samples[start : start + block].reshape(-1, 1))
                self.on_block()
        except sounddevice.PortAudioError:
            self._close_stream()
            raise
        return True

    def _close_stream(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            with contextlib.suppress(Exception):  # a device that dropped cannot close cleanly
                stream.close()

    def close(self) -> None:
        self._stop.set()  # a play ends within a block; the stream is closed after it
        got = self._playing.acquire(timeout=1.0)
        try:
            self._close_stream()
        finally:
            if got:
                self._playing.release()
