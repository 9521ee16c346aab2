"""`earpiece run`'s loop, driven by a gpiozero MockFactory button, with a WAV-backed microphone."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import wave
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
import sounddevice
from gpiozero import Device
from gpiozero.pins.mock import MockFactory, MockPWMPin

from earpiece.hardware.controls import PushToTalk, StatusLed
from earpiece.hardware.earcons import EARCONS
from earpiece.hardware.microphone import WavMicrophone
from earpiece.hardware.speaker import WavSpeaker
from earpiece.runtime import DeviceState, PressRules, Runtime
from earpiece.runtime.turn import NOT_HEARD_WORDS
from earpiece.speech.tts import sentences
from tests.conftest import SEOUL, FakeClock, earpiece_cmd

# slow: the device loop over real audio, 2 min in all
pytestmark = [pytest.mark.integration, pytest.mark.slow]


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
                                     PressRules.from_settings())  # fmt: skip
    reported: list = []
    runtime.on_turn = reported.append  # what `earpiece run --json` prints
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
    assert reported == list(runtime.turns) and reported[0].to_dict()["tts"]["voice"] == "espeak"
    assert runtime.turns[0].reply.intent == "ask_date", runtime.turns[0].to_dict()
    assert led.history[:5] == ["idle", "listening", "thinking", "speaking", "idle"]
    with wave.open(str(out)) as spoken:
        earcon = len(EARCONS["listen_start"])
        assert spoken.getnframes() > earcon + spoken.getframerate()  # earcon plus a reply
    timings = runtime.turns[0].timings_ms
    assert timings["release_to_first_audio"] < timings["total"]


def test_a_short_press_is_only_an_earcon(pins, make_companion, stt, tts, say, tmp_path: Path):
    runtime, _, led = make_runtime(make_companion, stt, tts, say("멈춰"), tmp_path / "o.wav",
                                   PressRules.from_settings())  # fmt: skip
    thread = start(runtime)
    pins.pin(17).drive_low()
    time.sleep(0.1)
    pins.pin(17).drive_high()
    wait_for(lambda: led.history[-1] == "idle" and len(led.history) >= 3)
    assert runtime.companion.store.count("turns") == 0
    runtime.stop()
    thread.join(10)
    assert not runtime.turns
    assert led.history[:3] == ["idle", "listening", "idle"]
    assert len(runtime.speaker.played) == 2  # listening earcon, then the too-short blip


def test_a_press_held_too_long_ends_with_an_earcon(pins, make_companion, stt, tts, say,
                                                   tmp_path: Path):  # fmt: skip
    rules = replace(PressRules.from_settings(), max_press_s=3.0)
    runtime, _, _ = make_runtime(make_companion, stt, tts, say("오늘 무슨 요일이야", 175),
                                 tmp_path / "o.wav", rules)  # fmt: skip
    thread = start(runtime)
    pins.pin(17).drive_low()  # and never released
    wait_for(lambda: runtime.turns and runtime.state == "idle", timeout=40)
    pins.pin(17).drive_high()
    runtime.stop()
    thread.join(10)
    turn = runtime.turns[0]  # answered at the cut: right, or "didn't catch that", never wrong
    assert turn.spoke and (turn.reply is None or turn.reply.intent == "ask_date"), turn.to_dict()


def wait_until_ready(proc: subprocess.Popen, patience_s: float = 180) -> list[str]:
    """Read stderr until `earpiece run` says it waits for a press (its models are loaded);
    the lines after that keep arriving in the returned list."""
    assert proc.stderr is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            lines.append(line)
            if line.strip() == "earpiece: ready":
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    assert ready.wait(patience_s), f"earpiece run never got ready: {lines}"
    assert any(line.strip() == "earpiece: ready" for line in lines), (proc.poll(), lines)
    return lines


def test_run_shuts_down_cleanly_on_sigterm(say, cli_env, tmp_path: Path):
    env = {**cli_env, "GPIOZERO_PIN_FACTORY": "mock"}
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run", "--mic-wav", str(say("멈춰")), "--out", str(tmp_path / "o.wav")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        lines = wait_until_ready(proc)
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        wait_for(lambda: any("stopped after 0 turns" in line for line in lines))  # shutdown ran
    finally:
        proc.kill()
        proc.wait()


# --- barge-in, errors, shutdown (issue 7)


def is_earcon(samples) -> bool:
    return any(samples is e for e in EARCONS.values())


class Earpiece(WavSpeaker):
    """A real-time WAV sink (a stand-in earpiece a test can read back) that notes each clip."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, realtime=True)
        self.replies: list[tuple[int, bool]] = []
        """(samples of the clip, whether it played to the end) for every non-earcon clip."""
        self.after_reply_clip = None

    def play(self, samples, rate: int) -> bool:
        done = super().play(samples, rate)
        if not is_earcon(samples):
            self.replies.append((self.played[-1][1], done))
            if self.after_reply_clip is not None:
                hook, self.after_reply_clip = self.after_reply_clip, None
                hook()
        return done


def press_and_release(pins, mic: WavMicrophone, runtime: Runtime) -> None:
    pins.pin(17).drive_low()
    wait_for(lambda: runtime.state is DeviceState.LISTENING)  # the file starts playing
    assert mic.finished.wait(15)
    time.sleep(0.2)
    pins.pin(17).drive_high()


def test_a_press_between_two_sentences_stops_the_reply(pins, make_companion, stt, tts, say,
                                                       tmp_path: Path):  # fmt: skip
    companion = make_companion()  # one reminder, and the list is said in two sentences
    assert companion.respond("30분 뒤에 약 먹으라고 알려 줘").intent == "set_reminder"
    assert len(sentences(companion.respond("알람 뭐 있어").text)) == 1  # the other wording
    mic = WavMicrophone(say("알람 뭐 있어"))
    speaker = Earpiece(tmp_path / "o.wav")
    led = StatusLed(18)
    runtime = Runtime(companion, stt, tts, mic, speaker, PushToTalk(17), led)
    thread = start(runtime)
    speaker.after_reply_clip = lambda: pins.pin(17).drive_low()  # right after the first sentence
    press_and_release(pins, mic, runtime)
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.LISTENING)
    first = runtime.turns[0]
    # the list of reminders, or (when espeak's Korean was not heard surely) "didn't catch that":
    # either way a reply of two sentences, which is what this test needs
    said = first.reply.text if first.reply is not None else NOT_HEARD_WORDS["ko"]
    assert first.spoke and len(sentences(said)) >= 2, first.to_dict()
    assert first.interrupted and not first.spoken
    [(_, complete), *later] = speaker.replies
    assert complete and not any(samples for samples, _ in later)  # no sound after the press
    assert led.history[-1] == "listening"  # the press is heard at once
    pins.pin(17).drive_high()
    runtime.stop()
    thread.join(10)


class PressWhenThinking(StatusLed):
    """The real LED; the test presses the button the moment it shows 'thinking'."""

    def __init__(self, pin: int, press) -> None:
        super().__init__(pin)
        self.press = press

    def thinking(self) -> None:
        super().thinking()
        if self.press is not None:
            press, self.press = self.press, None
            press()


def test_a_press_while_thinking_stops_the_turn_before_it_speaks(pins, make_companion, stt, tts,
                                                                say, tmp_path: Path):  # fmt: skip
    mic = WavMicrophone(say("오늘 무슨 요일이야"))
    speaker = Earpiece(tmp_path / "o.wav")
    led = PressWhenThinking(18, lambda: pins.pin(17).drive_low())
    companion = make_companion()
    runtime = Runtime(companion, stt, tts, mic, speaker, PushToTalk(17), led)
    thread = start(runtime)
    press_and_release(pins, mic, runtime)  # released; thinking; pressed again
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.LISTENING)
    assert runtime.turns[0].interrupted and runtime.turns[0].reply is None
    assert speaker.replies == []  # no word of the first reply was played
    assert companion.store.count("turns") == 0  # and nothing was stored
    assert mic.finished.wait(15)
    time.sleep(0.2)
    pins.pin(17).drive_high()  # the second press is a normal turn
    wait_for(lambda: len(runtime.turns) == 2 and runtime.state is DeviceState.IDLE)
    second = runtime.turns[1]  # answered in full (a reply, or "didn't catch that" when
    assert second.spoke and second.spoken  # espeak's Korean was not heard surely)
    assert companion.store.count("turns") == (1 if second.reply is not None else 0)
    runtime.stop()
    thread.join(10)
    assert led.history[:5] == ["idle", "listening", "thinking", "listening", "thinking"]


def test_no_thread_keeps_the_process_alive_after_a_press(pins, make_companion, stt, tts, say,
                                                         tmp_path: Path):  # fmt: skip
    mic = WavMicrophone(say("멈춰"))
    runtime = Runtime(make_companion(), stt, tts, mic, WavSpeaker(tmp_path / "o.wav"),
                      PushToTalk(17), StatusLed(18))  # fmt: skip
    thread = start(runtime)
    press_and_release(pins, mic, runtime)
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.IDLE)
    runtime.stop()
    thread.join(10)
    main = threading.main_thread()
    alive = [t.name for t in threading.enumerate() if not t.daemon and t is not main]
    assert alive == []  # e.g. no max_press_s timer left running


class DroppingEarpiece(WavSpeaker):
    """A Bluetooth earpiece that drops out for its first `drops` clips (PortAudio's error)."""

    def __init__(self, path: Path, drops: int) -> None:
        super().__init__(path)
        self.drops = drops

    def play(self, samples, rate: int) -> bool:
        if self.drops:
            self.drops -= 1
            raise sounddevice.PortAudioError("Device unavailable [PaErrorCode -9985]")
        return super().play(samples, rate)


def test_a_reminder_that_fails_to_sound_stays_pending_and_the_loop_lives(
    pins, make_companion, stt, tts, say, tmp_path: Path
):
    clock = FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))
    companion = make_companion(clock=clock)
    assert companion.respond("30분 뒤에 약 먹으라고 알려 줘").intent == "set_reminder"
    mic = WavMicrophone(say("오늘 무슨 요일이야"))
    speaker = DroppingEarpiece(tmp_path / "o.wav", drops=2)  # the reminder, then the earcon
    led = StatusLed(18)
    runtime = Runtime(companion, stt, tts, mic, speaker, PushToTalk(17), led)
    thread = start(runtime)
    clock.advance(minutes=31)
    wait_for(lambda: "error" in led.history)
    [(_, reminder)] = companion.store.rows("reminders")
    assert reminder["status"] == "pending"  # not said, so not done
    wait_for(lambda: runtime.stats().reminders_told == 1)  # the next tick says it
    [(_, reminder)] = companion.store.rows("reminders")
    assert reminder["status"] == "done" and speaker.played
    assert thread.is_alive() and runtime.stats().reminder_failures == 1
    press_and_release(pins, mic, runtime)  # and the device still answers
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.IDLE)
    assert runtime.turns[0].spoke and runtime.stats().failed_turns == 0
    runtime.stop()
    thread.join(10)


class DeadMicrophone(WavMicrophone):
    def start(self, on_frame) -> None:
        raise sounddevice.PortAudioError("Invalid device [PaErrorCode -9996]")


def test_the_shutdown_runs_when_the_loop_cannot_start(pins, make_companion, stt, tts, say,
                                                      tmp_path: Path):  # fmt: skip
    companion = make_companion()
    button = PushToTalk(17)
    runtime = Runtime(companion, stt, tts, DeadMicrophone(say("멈춰")),
                      WavSpeaker(tmp_path / "o.wav"), button, StatusLed(18))  # fmt: skip
    with pytest.raises(sounddevice.PortAudioError):
        runtime.run()
    assert button._button.closed
    assert companion.store.count("turns") == 0  # open: its owner closes it after sync stops
    companion.store.close()


def test_run_shuts_down_on_ctrl_c_and_says_so(say, cli_env, tmp_path: Path):
    env = {**cli_env, "GPIOZERO_PIN_FACTORY": "mock"}
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run", "--mic-wav", str(say("멈춰")), "--out", str(tmp_path / "o.wav")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        lines = wait_until_ready(proc)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        wait_for(lambda: any("stopped after 0 turns" in line for line in lines))  # shutdown ran
        assert not any("Traceback" in line for line in lines)
    finally:
        proc.kill()
        proc.wait()


def test_a_turn_that_cannot_be_stored_is_signalled_and_the_next_one_works(
    pins, make_companion, stt, tts, say, tmp_path: Path
):
    import sqlite3

    companion = make_companion()
    mic = WavMicrophone(say("오늘 무슨 요일이야"))
    speaker = Earpiece(tmp_path / "o.wav")
    led = StatusLed(18)
    runtime = Runtime(companion, stt, tts, mic, speaker, PushToTalk(17), led)
    thread = start(runtime)
    other = sqlite3.connect(companion.store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock: StoreBusy
    try:
        for _ in range(6):  # espeak's Korean is not always heard surely (it depends on the
            said, turns = len(speaker.replies), len(runtime.turns)  # silence before it);
            press_and_release(pins, mic, runtime)  # such a turn stores nothing
            wait_for(lambda: runtime.state is DeviceState.IDLE and (
                runtime.stats().failed_turns == 1 or len(runtime.turns) > turns))  # noqa: B023 # fmt: skip
            if runtime.stats().failed_turns:
                break
            assert runtime.turns[-1].reply is None, runtime.turns[-1].to_dict()  # not heard
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert runtime.stats().failed_turns == 1, [t.to_dict() for t in runtime.turns]
    assert "error" in led.history and len(speaker.replies) == said  # signalled; nothing said
    assert any(n == len(EARCONS["error"]) for _, n in speaker.played)  # the error earcon
    before = len(runtime.turns)
    press_and_release(pins, mic, runtime)
    wait_for(lambda: len(runtime.turns) > before and runtime.state is DeviceState.IDLE)
    turn = runtime.turns[-1]  # the next press works: answered, and stored when understood
    assert turn.spoke and runtime.stats().failed_turns == 1  # only the busy one failed
    assert companion.store.count("turns") == (1 if turn.reply is not None else 0)
    runtime.stop()
    thread.join(10)


def test_run_under_systemd_notifies_ready_pings_the_watchdog_and_says_stopping(
    say, cli_env, tmp_path: Path
):
    """issue 12: `earpiece run` speaks sd_notify on $NOTIFY_SOCKET as earpiece.service expects."""
    import socket

    notify = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(notify))
        sock.settimeout(120)  # a bound for a broken run, not a speed limit
        env = {**cli_env, "GPIOZERO_PIN_FACTORY": "mock", "NOTIFY_SOCKET": str(notify),
               "WATCHDOG_USEC": "1500000"}  # fmt: skip
        proc = subprocess.Popen(
            [*earpiece_cmd(), "run", "--mic-wav", str(say("멈춰")), "--out",
             str(tmp_path / "o.wav")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            seen: list[bytes] = []
            while b"WATCHDOG=1" not in seen:
                seen.append(sock.recv(256))
            assert seen[0].startswith(b"READY=1"), seen  # ready first, then the pings
            os.kill(proc.pid, signal.SIGTERM)
            while seen[-1] != b"STOPPING=1":
                seen.append(sock.recv(256))
            assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


# --- issue 24: two languages, every handler guarded, bounded memory


def run_in_thread(runtime: Runtime) -> tuple[threading.Thread, list[BaseException]]:
    """runtime.run() on a thread; what it raised (if anything) lands in the list."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            runtime.run()
        except BaseException as exc:
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert runtime.ready.wait(10)
    return thread, raised


def test_two_languages_survive_a_short_press_a_turn_and_a_shutdown_while_listening(
    pins, make_companion, stt, tts, say, tmp_path: Path
):
    """The paths that cancel a two-language session without waiting (a press too short, the
    shutdown while listening) and a turn between them. The second seat is the Korean model
    with the English phrases (only the Korean model installs offline)."""
    from earpiece.speech.bilingual import TwoLanguages
    from earpiece.speech.stt import SpeechRecognizer

    both = TwoLanguages(stt, SpeechRecognizer(stt.model_dir, "en"))
    mic = WavMicrophone(say("오늘 무슨 요일이야", 175))
    led = StatusLed(18)
    runtime = Runtime(make_companion(), both, tts, mic, WavSpeaker(tmp_path / "o.wav"),
                      PushToTalk(17), led, PressRules.from_settings())  # fmt: skip
    thread, raised = run_in_thread(runtime)
    button = pins.pin(17)
    button.drive_low()  # too short
    time.sleep(0.05)
    button.drive_high()
    wait_for(lambda: (led.history[-1] == "idle" and "listening" in led.history) or bool(raised))
    assert raised == [] and thread.is_alive(), raised
    press_and_release(pins, mic, runtime)  # a whole turn, the language chosen at the release
    wait_for(lambda: (runtime.turns and runtime.state is DeviceState.IDLE) or bool(raised))
    assert raised == [] and runtime.turns[-1].spoke, raised
    button.drive_low()  # and the device stops while it listens
    wait_for(lambda: runtime.state is DeviceState.LISTENING)
    runtime.stop()
    thread.join(15)
    assert not thread.is_alive() and raised == [], raised
    assert runtime.stats().failed_presses == 0 and runtime.stats().failed_turns == 0
    assert "error" not in led.history


class FailingOnce:
    """The real recogniser whose next session cannot be made once (say, out of memory)."""

    def __init__(self, stt) -> None:
        self._stt = stt
        self.lang = stt.lang
        self.phrases = stt.phrases
        self.fail = True

    def session(self):
        if self.fail:
            self.fail = False
            raise MemoryError("no memory for the decoders")
        return self._stt.session()

    def hear(self, samples, realtime: bool = False, frame: int = 800, words=None):
        return self._stt.hear(samples, realtime, frame, words)

    def transcribe(self, samples):
        return self._stt.transcribe(samples)


def test_a_press_that_cannot_start_listening_is_signalled_and_the_next_one_works(
    pins, make_companion, stt, tts, say, tmp_path: Path
):
    mic = WavMicrophone(say("오늘 무슨 요일이야"))
    speaker = Earpiece(tmp_path / "o.wav")
    led = StatusLed(18)
    runtime = Runtime(make_companion(), FailingOnce(stt), tts, mic, speaker, PushToTalk(17), led)
    thread, raised = run_in_thread(runtime)
    pins.pin(17).drive_low()
    wait_for(lambda: "error" in led.history)
    pins.pin(17).drive_high()
    wait_for(lambda: runtime.stats().failed_presses == 1)
    wait_for(lambda: any(n == len(EARCONS["error"]) for _, n in speaker.played))  # heard
    assert thread.is_alive() and runtime.state is DeviceState.IDLE
    press_and_release(pins, mic, runtime)  # the next press is answered
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.IDLE)
    assert runtime.turns[-1].spoke
    runtime.stop()
    thread.join(10)
    assert raised == [] and runtime.stats().failed_presses == 1


class BiasSeen:
    """The real recogniser; its sessions note when they are biased, against the audio fed
    so far and whether the button was released yet."""

    def __init__(self, stt) -> None:
        self._stt = stt
        self.lang = stt.lang
        self.phrases = stt.phrases
        self.biased: list[tuple[dict, int, bool, int]] = []
        """(words, samples fed by then, released by then, store reads by then) per bias."""
        self.reads = lambda: 0

    def session(self):
        return _SeenSession(self._stt.session(), self.biased, self.reads)

    def hear(self, samples, realtime: bool = False, frame: int = 800, words=None):
        return self._stt.hear(samples, realtime, frame, words)

    def transcribe(self, samples):
        return self._stt.transcribe(samples)


class _SeenSession:
    def __init__(self, session, biased: list, reads) -> None:
        self._session, self._biased, self._reads = session, biased, reads
        self.fed, self.released = 0, False

    def __getattr__(self, name: str):
        return getattr(self._session, name)

    def feed(self, frame) -> None:
        self.fed += len(frame)
        self._session.feed(frame)

    def bias(self, words) -> None:
        self._biased.append((words, self.fed, self.released, self._reads()))
        self._session.bias(words)

    def finish(self, wait_open: bool = True):
        self.released = True
        return self._session.finish(wait_open)


def test_the_person_words_are_given_when_the_press_starts(pins, make_companion, stt, tts, say,
                                                          tmp_path: Path):  # fmt: skip
    """Whisper's decode while the button is held needs them: set at the press, before any
    audio, not after the release; the store is not read again for a press when unchanged."""
    from earpiece.store.database import Change

    companion = make_companion()
    companion.store.commit([Change("facts.put", "fact:sister", {"value": "지수"})])
    mic = WavMicrophone(say("오늘 무슨 요일이야"))
    seen = BiasSeen(stt)
    runtime = Runtime(companion, seen, tts, mic, Earpiece(tmp_path / "o.wav"), PushToTalk(17),
                      StatusLed(18))  # fmt: skip
    seen.reads = lambda: runtime.words.reads
    thread, raised = run_in_thread(runtime)
    press_and_release(pins, mic, runtime)
    wait_for(lambda: runtime.turns and runtime.state is DeviceState.IDLE)
    [(words, fed, released, _)] = seen.biased
    assert "지수" in words["ko"] and fed == 0 and not released
    time.sleep(2.5)  # idle ticks: whatever the turn stored has been read again by now
    before = runtime.words.reads
    companion.store.commit([Change("facts.put", "fact:city", {"value": "부산"})])
    wait_for(lambda: runtime.words.reads == before + 1, timeout=10)  # read while idle
    press_and_release(pins, mic, runtime)
    wait_for(lambda: len(runtime.turns) == 2 and runtime.state is DeviceState.IDLE)
    words_again, fed, released, reads = seen.biased[1]
    assert "부산" in words_again["ko"] and "지수" in words_again["ko"]
    assert fed == 0 and not released
    assert reads == before + 1  # nothing changed since the idle read: the press read nothing
    runtime.stop()
    thread.join(10)
    assert raised == []


class BrokenMicrophone(WavMicrophone):
    def close(self) -> None:
        super().close()
        raise OSError("the microphone is gone")


def test_the_shutdown_survives_a_part_that_fails_and_keeps_the_store_open(
    pins, make_companion, stt, tts, say, tmp_path: Path
):
    companion = make_companion()
    button = PushToTalk(17)
    led = StatusLed(18)
    runtime = Runtime(companion, stt, tts, BrokenMicrophone(say("멈춰")),
                      WavSpeaker(tmp_path / "o.wav"), button, led)  # fmt: skip
    thread, raised = run_in_thread(runtime)
    runtime.stop()
    thread.join(10)
    assert raised == [] and button._button.closed  # the steps after the broken one ran
    assert companion.store.count("turns") == 0  # not closed under a sync still applying
    companion.store.close()


def test_the_runtime_keeps_only_its_latest_turns(pins, make_companion, stt, tts, say,
                                                 tmp_path: Path, monkeypatch):  # fmt: skip
    import earpiece.runtime.loop

    monkeypatch.setattr(earpiece.runtime.loop, "TURNS_KEPT", 1)
    runtime, mic, _ = make_runtime(make_companion, stt, tts, say("멈춰", 175),
                                   tmp_path / "o.wav", PressRules.from_settings())  # fmt: skip
    thread = start(runtime)
    for n in (1, 2):
        press_and_release(pins, mic, runtime)
        wait_for(lambda: runtime.stats().turns == n and runtime.state is DeviceState.IDLE)  # noqa: B023
    runtime.stop()
    thread.join(10)
    assert runtime.stats().turns == 2 and len(runtime.turns) == 1
