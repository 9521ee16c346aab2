"""`earpiece run`'s loop, driven by a gpiozero MockFactory button, with a WAV-backed microphone."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import wave
from pathlib import Path

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory, MockPWMPin

from earpiece.hardware.controls import PushToTalk, StatusLed
from earpiece.hardware.earcons import EARCONS
from earpiece.hardware.microphone import WavMicrophone
from earpiece.hardware.speaker import WavSpeaker
from earpiece.runtime import PressRules, Runtime
from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration


@pytest.fixture
def pins():
    Device.pin_factory = MockFactory(pin_class=MockPWMPin)
    yield Device.pin_factory
    Device.pin_factory.reset()
    Device.pin_factory = None


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def start(runtime: Runtime) -> threading.Thread:
    thread = threading.Thread(target=runtime.run, daemon=True)
    thread.start()
    assert runtime.ready.wait(10)
    return thread


def make_runtime(make_companion, stt, tts, wav: Path, out: Path, rules: PressRules):
    mic = WavMicrophone(wav)
    led = StatusLed(18)
    runtime = Runtime(make_companion(), stt, tts, mic, WavSpeaker(out), PushToTalk(17), led, rules)
    return runtime, mic, led


def test_a_press_gives_a_spoken_reply_and_the_led_follows(pins, make_companion, stt, tts, say,
                                                          tmp_path: Path):  # fmt: skip
    out = tmp_path / "earpiece.wav"
    runtime, mic, led = make_runtime(make_companion, stt, tts, say("오늘 무슨 요일이야"), out,
                                     PressRules())  # fmt: skip
    thread = start(runtime)
    button = pins.pin(17)
    button.drive_low()  # hold to talk
    assert mic.finished.wait(15)
    time.sleep(0.2)
    button.drive_high()
    wait_for(lambda: runtime.turns and runtime.state == "idle")
    runtime.stop()
    thread.join(10)
    assert runtime.turns[0].reply, runtime.turns[0].to_dict()
    assert runtime.turns[0].reply.intent == "ask_date", runtime.turns[0].to_dict()
    assert led.history[:5] == ["idle", "listening", "thinking", "speaking", "idle"]
    with wave.open(str(out)) as spoken:
        earcon = len(EARCONS["listen_start"])
        assert spoken.getnframes() > earcon + spoken.getframerate()  # earcon plus a reply
    timings = runtime.turns[0].timings_ms
    assert timings["release_to_first_audio"] < timings["total"]


def test_a_short_press_is_only_an_earcon(pins, make_companion, stt, tts, say, tmp_path: Path):
    runtime, _, led = make_runtime(make_companion, stt, tts, say("멈춰"), tmp_path / "o.wav",
                                   PressRules(min_press_s=0.3))  # fmt: skip
    thread = start(runtime)
    pins.pin(17).drive_low()
    time.sleep(0.1)
    pins.pin(17).drive_high()
    wait_for(lambda: led.history[-1] == "idle" and len(led.history) >= 3)
    assert runtime.companion.store.count("turns") == 0
    runtime.stop()
    thread.join(10)
    assert runtime.turns == []
    assert led.history[:3] == ["idle", "listening", "idle"]
    assert len(runtime.speaker.played) == 2  # listening earcon, then the too-short blip


def test_a_press_held_too_long_ends_with_an_earcon(pins, make_companion, stt, tts, say,
                                                   tmp_path: Path):  # fmt: skip
    runtime, _, _ = make_runtime(make_companion, stt, tts, say("오늘 무슨 요일이야", 175),
                                     tmp_path / "o.wav", PressRules(max_press_s=3.0))  # fmt: skip
    thread = start(runtime)
    pins.pin(17).drive_low()  # and never released
    wait_for(lambda: runtime.turns and runtime.state == "idle", timeout=40)
    pins.pin(17).drive_high()
    runtime.stop()
    thread.join(10)
    assert runtime.turns[0].reply is not None
    assert runtime.turns[0].reply.intent == "ask_date", runtime.turns[0].to_dict()


def test_run_shuts_down_cleanly_on_sigterm(say, cli_env, tmp_path: Path):
    env = {**cli_env, "GPIOZERO_PIN_FACTORY": "mock"}
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run", "--mic-wav", str(say("멈춰")), "--out", str(tmp_path / "o.wav")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    time.sleep(8)  # models load before the first press
    assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
