"""Where the person's voice comes from: a microphone (sounddevice) or a WAV file.

A microphone delivers 16 kHz mono int16 frames to a callback, all the time, so
that the runtime can keep a short pre-roll from just before the press. The
PortAudio callback only copies each block into a bounded queue; resampling and
everything downstream happen on the microphone's own reader thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from earpiece.hardware.wavfile import STT_RATE, read_for_stt

log = logging.getLogger(__name__)

FRAME_S = 0.05
FRAME = int(STT_RATE * FRAME_S)
"""Samples per frame delivered to the recogniser (50 ms)."""
QUEUE_BLOCKS = 40
"""Blocks (50 ms each, so 2 s) the PortAudio callback may get ahead of the reader thread."""

OnFrame = Callable[[np.ndarray], None]


@dataclass(frozen=True)
class CaptureStats:
    """What the audio input delivered and lost: frames, PortAudio overflows, queue-full drops."""

    frames: int = 0
    """16 kHz frames delivered to the consumer."""
    overflows: int = 0
    """Blocks PortAudio flagged with input overflow (samples lost before they reached us)."""
    dropped: int = 0
    """Blocks dropped because the reader thread was too far behind (the queue was full)."""

    def __sub__(self, other: CaptureStats) -> CaptureStats:
        return CaptureStats(
            self.frames - other.frames,
            self.overflows - other.overflows,
            self.dropped - other.dropped,
        )

    def to_dict(self) -> dict[str, int]:
        return {"frames": self.frames, "overflows": self.overflows, "dropped": self.dropped}


class Microphone(Protocol):
    """Calls `on_frame` with consecutive 16 kHz int16 frames once started."""

    def start(self, on_frame: OnFrame) -> None: ...

    def utterance_starts(self) -> None:
        """The button went down (a file source starts its speech here)."""
        ...

    def stats(self) -> CaptureStats: ...

    def close(self) -> None: ...


class WavMicrophone:
    """Plays a WAV file into the recogniser as if spoken when the button goes down.

    Before and after the file: silence, frame by frame, at real-time pace
    (or as fast as the consumer takes it when `realtime` is False).
    Threads: the `wav-mic` thread calls `on_frame`; the owner calls the rest.
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
        self._frames = 0

    def start(self, on_frame: OnFrame) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(on_frame,), daemon=True, name="wav-mic"
        )
        self._thread.start()

    def utterance_starts(self) -> None:
        with self._lock:
            self._pending = self.speech.copy()
            self.finished.clear()

    def stats(self) -> CaptureStats:
        return CaptureStats(frames=self._frames)

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
            self._frames += 1
            if done:
                self.finished.set()
            next_at += FRAME_S
            if self.realtime:
                time.sleep(max(0.0, next_at - time.perf_counter()))

    def close(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)


class CaptureQueue:
    """The only thing PortAudio's callback touches: a bounded queue of copied blocks.

    Threads: PortAudio's callback thread calls `callback` (copy, count, never block);
    the microphone's reader thread calls `get`; any thread may call `stats`.
    """

    def __init__(self, blocks: int = QUEUE_BLOCKS) -> None:
        self._queue: queue.Queue[np.ndarray] = queue.Queue(maxsize=blocks)
        self.overflows = 0
        self.dropped = 0

    def callback(self, indata: np.ndarray, _frames: int, _time, status) -> None:
        if status and status.input_overflow:
            self.overflows += 1
        try:
            self._queue.put_nowait(indata.copy())
        except queue.Full:
            self.dropped += 1

    def get(self, timeout: float) -> np.ndarray | None:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None


STALL_S = 2.0
"""No block from the stream for this long: it is dead (a dropped Bluetooth or USB device),
and is closed and reopened."""
DEAD_S = 30.0
"""No frame for this long, reopens included: `alive()` is False (the watchdog stops)."""
REOPEN_MAX_S = 10.0
"""Longest wait between two reopen attempts (they back off 0.5, 1, 2, ... s)."""


class SoundDeviceMicrophone:
    """A real microphone at its own rate, resampled to 16 kHz on a reader thread.

    A stream that stops delivering (the device dropped: a Bluetooth earpiece out of range,
    a USB headset pulled) is closed and reopened on the same device, backing off, until it
    delivers again; `reopens` counts the reopens and `alive()` says whether frames come.
    Threads: PortAudio's callback thread only fills the `CaptureQueue`; the `mic-reader`
    thread resamples, calls `on_frame` and reopens; the owner calls start, stats and close.
    """

    def __init__(
        self,
        device: str | int | None = None,
        blocks: int = QUEUE_BLOCKS,
        stall_s: float = STALL_S,
        dead_s: float = DEAD_S,
    ) -> None:
        self.device = device
        self.stall_s, self.dead_s = stall_s, dead_s
        self.reopens = 0
        """Times the stream was reopened after it stopped delivering."""
        self._capture = CaptureQueue(blocks)
        self._stream: Any = None
        """The open sounddevice.InputStream (an untyped library), or None."""
        self._stream_lock = threading.Lock()
        self._stop = threading.Event()
        self._reader: threading.Thread | None = None
        self._frames = 0
        self._last_block = time.monotonic()
        self._last_frame: float | None = None

    def _open(self, rate: int) -> None:
        import sounddevice

        stream = sounddevice.InputStream(
            samplerate=rate,
            channels=1,
            dtype="float32",
            device=self.device,
            callback=self._capture.callback,
            blocksize=int(rate * FRAME_S),
        )
        with self._stream_lock:
            if self._stop.is_set():
                stream.close()
                return
            self._stream = stream
        stream.start()

    def _close_stream(self) -> None:
        with self._stream_lock:
            stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.close()
            except Exception:  # a device that dropped cannot close cleanly
                log.debug("closing a dead input stream failed", exc_info=True)

    def start(self, on_frame: OnFrame) -> None:
        import sounddevice

        info = sounddevice.query_devices(self.device, "input")
        rate = int(info["default_samplerate"])
        self._last_block = time.monotonic()
        try:
            self._open(rate)
        except sounddevice.PortAudioError as exc:  # e.g. a Bluetooth earpiece not yet back
            log.warning("the microphone did not open (%s); retrying", exc)
            self._last_block = float("-inf")  # the reader reopens at once, backing off
        self._reader = threading.Thread(
            target=self._read, args=(rate, on_frame), daemon=True, name="mic-reader"
        )
        self._reader.start()

    def _reopen(self, rate: int, wait: float) -> float:
        """Close the dead stream and open it again; the next wait (backing off on failure)."""
        self._close_stream()
        if self._stop.wait(wait):
            return wait
        try:
            self._open(rate)
        except Exception as exc:
            log.warning(
                "the microphone is gone (%s); trying again in %.0f s",
                exc,
                min(wait * 2, REOPEN_MAX_S),
            )
            return min(wait * 2, REOPEN_MAX_S)
        self.reopens += 1
        log.warning("the microphone stream stopped; reopened it (%d so far)", self.reopens)
        self._last_block = time.monotonic()  # give it stall_s to deliver
        return 0.5

    def _read(self, rate: int, on_frame: OnFrame) -> None:
        import soxr

        resampler = soxr.ResampleStream(rate, STT_RATE, 1, dtype="float32")
        pending = np.zeros(0, np.float32)
        wait = 0.5
        self._last_frame = time.monotonic()
        while not self._stop.is_set():
            block = self._capture.get(timeout=min(0.5, self.stall_s / 2))
            if block is None:
                if time.monotonic() - self._last_block > self.stall_s:
                    wait = self._reopen(rate, wait)
                continue
            self._last_block = time.monotonic()
            wait = 0.5
            mono = np.nan_to_num(block.mean(axis=1), copy=False).astype(np.float32)
            pending = np.concatenate([pending, resampler.resample_chunk(mono)])
            while len(pending) >= FRAME:
                chunk, pending = pending[:FRAME], pending[FRAME:]
                on_frame((np.clip(chunk, -1, 1) * 32767).astype(np.int16))
                self._frames += 1
                self._last_frame = time.monotonic()

    def alive(self) -> bool:
        """Whether frames came within `dead_s` (before start: True)."""
        last = self._last_frame
        return last is None or time.monotonic() - last < self.dead_s

    def utterance_starts(self) -> None:
        pass

    def stats(self) -> CaptureStats:
        return CaptureStats(self._frames, self._capture.overflows, self._capture.dropped)

    def close(self) -> None:
        self._stop.set()
        self._close_stream()
        if self._reader is not None:
            self._reader.join(timeout=2)
