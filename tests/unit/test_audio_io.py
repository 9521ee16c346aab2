"""Audio in and out without models: the capture queue, device names, the WAV sink, long files."""

from __future__ import annotations

import threading
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest
import sounddevice

from earpiece.hardware.audio_devices import AudioDeviceError, parse_device, resolve_device
from earpiece.hardware.microphone import CaptureQueue
from earpiece.hardware.speaker import WavSpeaker
from earpiece.hardware.wavfile import STT_RATE, read_recording

OVERFLOW = sounddevice.CallbackFlags(2)  # paInputOverflow, as PortAudio passes it


def test_the_callback_only_copies_into_a_bounded_queue_and_counts_what_is_lost():
    capture = CaptureQueue(blocks=2)
    block = np.ones((800, 1), np.float32)
    capture.callback(block, 800, None, sounddevice.CallbackFlags())
    capture.callback(block, 800, None, OVERFLOW)
    capture.callback(block, 800, None, sounddevice.CallbackFlags())  # queue full: dropped
    block[:] = 7  # PortAudio reuses its buffer: what was queued must be a copy
    assert (capture.overflows, capture.dropped) == (1, 1)
    first = capture.get(timeout=0)
    assert first is not None and float(first.max()) == 1.0
    assert capture.get(timeout=0) is not None and capture.get(timeout=0) is None


def test_numeric_devices_are_indexes_and_names_are_names():
    assert parse_device("") is None and parse_device("  ") is None
    assert parse_device("2") == 2 and parse_device(" 11 ") == 11
    assert parse_device("USB Audio") == "USB Audio" and parse_device("hw:1,0") == "hw:1,0"


@pytest.mark.parametrize(("configured", "what"), [("no-such-earpiece", "name"), ("97", "index")])
def test_a_missing_device_is_one_line_naming_the_key(configured: str, what: str):
    with pytest.raises(AudioDeviceError) as info:
        resolve_device(configured, "output")
    message = str(info.value)
    assert message.startswith(f"[audio] output_device = {configured!r}: no output device")
    assert f"with that {what}" in message and "\n" not in message


def test_a_stop_between_two_clips_also_stops_the_second(tmp_path: Path):
    """A press between two sentences: the next sentence must not start (barge-in)."""
    speaker = WavSpeaker(tmp_path / "out.wav")
    clip = np.full(2205, 1000, np.int16)
    assert speaker.play(clip, 22050)
    speaker.stop()
    assert not speaker.play(clip, 22050)
    speaker.resume()  # the owner of the next reply lets it sound again
    assert speaker.play(clip, 22050)
    speaker.close()
    with wave.open(str(tmp_path / "out.wav")) as written:
        assert written.getnframes() == 2 * len(clip)


def test_a_realtime_sink_is_stopped_mid_clip(tmp_path: Path):
    speaker = WavSpeaker(tmp_path / "out.wav", realtime=True)
    clip = np.full(22050 * 5, 1000, np.int16)  # 5 s of audio
    threading.Timer(0.3, speaker.stop).start()
    assert not speaker.play(clip, 22050)
    speaker.close()
    with wave.open(str(tmp_path / "out.wav")) as written:
        assert 0 < written.getnframes() < len(clip) // 2


def _silence(path: Path, seconds: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(STT_RATE)
        chunk = np.zeros(STT_RATE * 10, np.int16).tobytes()
        for _ in range(seconds // 10):
            out.writeframes(chunk)
    return path


def test_a_long_file_is_cut_and_only_its_kept_part_is_read(tmp_path: Path):
    long = _silence(tmp_path / "ten-minutes.wav", 600)
    tracemalloc.start()
    try:
        recording = read_recording(long, max_s=2.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(recording.samples) == 2 * STT_RATE
    assert recording.cut_to_s == 2.0 and recording.file_s == 600.0
    assert peak < 5_000_000  # reading all 600 s as float32 would take 38 MB
    short = read_recording(_silence(tmp_path / "short.wav", 10), max_s=30.0)
    assert short.cut_to_s is None and len(short.samples) == 10 * STT_RATE


def test_two_threads_playing_at_once_are_heard_one_after_the_other(tmp_path: Path):
    """The listening earcon (its own thread) and the loop's too-short blip on one speaker:
    each clip plays whole, never interleaved with the other."""
    out = tmp_path / "o.wav"
    speaker = WavSpeaker(out, realtime=True)
    rate = 8000
    first, second = np.full(rate // 4, 1000, np.int16), np.full(rate // 4, -1000, np.int16)
    started = threading.Event()

    def play_first() -> None:
        started.set()
        speaker.play(first, rate)

    thread = threading.Thread(target=play_first)
    thread.start()
    started.wait()
    speaker.play(second, rate)
    thread.join()
    speaker.close()
    with wave.open(str(out)) as written:
        samples = np.frombuffer(written.readframes(written.getnframes()), np.int16)
    assert len(samples) == len(first) + len(second)
    changes = int(np.count_nonzero(np.diff(np.sign(samples))))
    assert changes == 1, f"the clips took turns {changes + 1} times"  # one clip, then the other
