"""Where the person's voice comes from: a microphone (sounddevice) or a WAV file.

A microphone delivers 16 kHz mono int16 frames to a callback, all the time, so
that the runtime can keep a short pre-roll from just before the press.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from earpiece.hardware.wavfile import STT_RATE, read_for_stt

FRAME_S = 0.05
FRAME = int(STT_RATE * FRAME_S)
"""Samples per frame delivered to the recogniser (50 ms)."""

OnFrame = Callable[[np.ndarray], None]


class Microphone(Protocol):
    """Calls `on_frame` with consecutive 16 kHz int16 frames once started."""

    def start(self, on_frame: OnFrame) -> None: ...

    def utterance_starts(self) -> None:
        """The button went down (a file source starts its speech here)."""
        ...

    def close(self) -> None: ...


class WavMicrophone:
    """Plays a WAV file into the recogniser as if spoken when the button goes down.

    Before and after the file: silence, frame by frame, at real-time pace
    (or as fast as the consumer takes it when `realtime` is False).
    """

    def __init__(self, path: Path | str, realtime: bool = True) -> None:
        self.speech = read_for_stt(path)
        self.realtime = realtime
        self.finished = threading.Event()
        """Set once the whole file has been delivered."""
        self._pending: np.ndarray | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def duration_s(self) -> float:
        return len(self.speech) / STT_RATE

    def start(self, on_frame: OnFrame) -> None:
        self._thread = threading.Thread(target=self._run, args=(on_frame,), daemon=True,
                                        name="wav-mic")  # fmt: skip
        self._thread.start()

    def utterance_starts(self) -> None:
        with self._lock:
            self._pending = self.speech.copy()
            self.finished.clear()

    def _run(self, on_frame: OnFrame) -> None:
        silence = np.zeros(FRAME, np.int16)
        next_at = time.perf_counter()
        while not self._stop.is_set():
            with self._lock:
                if self._pending is not None and len(self._pending):
                    frame, self._pending = self._pending[:FRAME], self._pending[FRAME:]
                    if len(frame) < FRAME:
                        frame = np.concatenate([frame, silence[: FRAME - len(frame)]])
                    if not len(self._pending):
                        self._pending = None
                        done = True
                    else:
                        done = False
                else:
                    frame, done = silence, False
            on_frame(frame)
            if done:
                self.finished.set()
            next_at += FRAME_S
            if self.realtime:
                time.sleep(max(0.0, next_at - time.perf_counter()))

    def close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)


class SoundDeviceMicrophone:
    """A real microphone at its own rate, resampled to 16 kHz as it streams."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        self._stream = None

    def start(self, on_frame: OnFrame) -> None:
        import sounddevice
        import soxr

        info = sounddevice.query_devices(self.device, "input")
        rate = int(info["default_samplerate"])
        resampler = soxr.ResampleStream(rate, STT_RATE, 1, dtype="float32")
        pending = np.zeros(0, np.float32)

        def callback(indata, _frames, _time, _status) -> None:
            nonlocal pending
            mono = indata.mean(axis=1).astype(np.float32)
            pending = np.concatenate([pending, resampler.resample_chunk(mono)])
            while len(pending) >= FRAME:
                chunk, pending = pending[:FRAME], pending[FRAME:]
                on_frame((np.clip(chunk, -1, 1) * 32767).astype(np.int16))

        self._stream = sounddevice.InputStream(samplerate=rate, channels=1, dtype="float32",
                                               device=self.device, callback=callback,
                                               blocksize=int(rate * FRAME_S))  # fmt: skip
        self._stream.start()

    def utterance_starts(self) -> None:
        pass

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
