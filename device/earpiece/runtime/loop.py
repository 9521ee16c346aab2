"""The device loop: idle -> listening -> thinking -> speaking, driven by the button.

Everything that can happen before the release does: fresh decoders are built
after each press for the next one and fed while the button is held, the
pre-roll is kept while idle, the models are loaded before the first press.
After the release only the tail is flushed. One bad press, turn or reminder is logged,
shown (fast blink, error earcon) and survived; the shutdown always runs, every step of it.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import Callable

import numpy as np

from earpiece.companion.policy import Companion
from earpiece.hardware.controls import StatusLed
from earpiece.hardware.earcons import EARCONS, RATE
from earpiece.hardware.microphone import FRAME_S, Microphone
from earpiece.hardware.speaker import Speaker
from earpiece.nlu.lang import written_in
from earpiece.runtime.bias import PersonWords
from earpiece.runtime.states import DeviceState, Event, EventKind, PressRules, RuntimeStats
from earpiece.runtime.turn import VoiceTurn, run_turn
from earpiece.speech.recognizer import Recognizer, RecognizerSession
from earpiece.speech.tts import Synthesizer

log = logging.getLogger(__name__)
TICK_S = 1.0
"""How often the idle loop looks for due reminders."""
TURNS_KEPT = 8
"""How many of the latest turns `Runtime.turns` keeps in memory (a device runs for months)."""


class Runtime:
    """One companion on one device: a button, a LED, a microphone and an earpiece.

    Threads: `run()` is the loop thread; it alone changes `state`, runs turns, speaks
    replies and reminders, and plays earcons (the listening one on a short daemon thread;
    the speaker plays one clip at a time, so it never sounds over another).
    gpiozero's thread (or the keyboard thread) calls `_pressed`/`_released`: they only
    stop the speaker and post events. The microphone's reader thread calls `_on_frame`:
    it only queues the frame (pre-roll, or the session's decoder queues). Any thread may
    call `stop()` and `stats()`.

    >>> runtime = Runtime(companion, stt, tts, mic, speaker, button, led)
    >>> runtime.run()          # until stop(), SIGTERM or Ctrl-C; the shutdown always runs

    The store is the companion's owner's: the runtime never closes it (its owner stops sync
    first, then closes it).
    """

    def __init__(
        self,
        companion: Companion,
        stt: Recognizer,
        tts: Synthesizer,
        mic: Microphone,
        speaker: Speaker,
        button,
        led: StatusLed,
        rules: PressRules | None = None,
    ) -> None:
        self.companion, self.stt, self.tts = companion, stt, tts
        self.mic, self.speaker, self.button, self.led = mic, speaker, button, led
        self.rules = rules or PressRules.from_settings()
        self.state = DeviceState.IDLE
        self.turns: collections.deque[VoiceTurn] = collections.deque(maxlen=TURNS_KEPT)
        """The latest turns, oldest first (for the tests and the log)."""
        self._events: queue.Queue[Event] = queue.Queue()
        self._preroll: collections.deque[np.ndarray] = collections.deque(
            maxlen=max(1, int(self.rules.preroll_s / FRAME_S))
        )
        self._waiting: list[np.ndarray] = []
        """Frames since a press the loop has not yet taken up (it was ending a reply)."""
        self._session: RecognizerSession | None = None
        self._frames_lock = threading.Lock()
        self._press_lock = threading.Lock()
        self._presses = 0
        """Presses seen by `_pressed` (the gpiozero thread); guarded by `_press_lock`."""
        self._press = 0
        """The press the loop is listening to or answering."""
        self._pressed_at = 0.0
        self._listen_until = float("inf")
        self._barge = threading.Event()
        """Set by a press, cleared when the loop takes that press up: stops any reply."""
        self._stopping = threading.Event()
        self._stats = RuntimeStats()
        self._capture_at_press = mic.stats()
        self._reminders_failing = False
        self.ready = threading.Event()
        self.heartbeat: Callable[[], None] = lambda: None
        """Called on every pass of the loop, at least once a second (the systemd watchdog)."""
        self.on_turn: Callable[[VoiceTurn], None] = lambda turn: None
        """Called on the loop thread after each voice turn (`earpiece run --json` prints it)."""
        self.words = PersonWords(companion)
        """The person's words the free-speech decoder is biased toward at each press."""

    # --- inputs (other threads)

    def _on_frame(self, frame: np.ndarray) -> None:
        with self._frames_lock:
            if self._session is not None:
                self._session.feed(frame)  # queues only: decoding is on the session's threads
            elif self._barge.is_set():
                if len(self._waiting) * FRAME_S < self.rules.max_press_s:
                    self._waiting.append(frame)
            else:
                self._preroll.append(frame)

    def _pressed(self) -> None:
        with self._press_lock:
            self._presses += 1
            press = self._presses
            self._barge.set()
            self._stop_speaker()  # barge-in, at once, whatever the loop is doing
        self._events.put(Event(EventKind.PRESS, time.perf_counter(), press))

    def _released(self) -> None:
        with self._press_lock:
            press = self._presses
        self._events.put(Event(EventKind.RELEASE, time.perf_counter(), press))

    def stop(self) -> None:
        self._stopping.set()
        self._barge.set()
        self._stop_speaker()
        self._events.put(Event(EventKind.STOP, time.perf_counter()))

    def _stop_speaker(self) -> None:
        """Stop the speaker from any thread; a speaker that fails to stop is logged."""
        try:
            self.speaker.stop()
        except Exception:
            log.exception("the speaker did not stop")

    def stats(self) -> RuntimeStats:
        return dataclasses.replace(self._stats, capture=self.mic.stats())

    def _count(self, **more: int) -> None:
        now = self._stats
        self._stats = dataclasses.replace(now, **{k: getattr(now, k) + v for k, v in more.items()})

    # --- the loop

    def run(self) -> RuntimeStats:
        """Serve presses and reminders until stop(); always shuts down, also on Ctrl-C."""
        try:
            self.button.when_pressed = self._pressed
            self.button.when_released = self._released
            self.mic.start(self._on_frame)
            self.led.idle()
            self._tell_reminders(missed=True)
            self.ready.set()
            while not self._stopping.is_set():
                self.heartbeat()
                self._step()
        finally:
            self._shutdown()
        return self.stats()

    def _step(self) -> None:
        listening = self.state is DeviceState.LISTENING
        wait = (
            min(TICK_S, max(0.0, self._listen_until - time.perf_counter())) if listening else TICK_S
        )
        try:
            event = self._events.get(timeout=wait)
        except queue.Empty:
            if listening and time.perf_counter() >= self._listen_until:
                self._guarded("ending a press held too long", self._held_too_long)
            elif not listening:
                self._tell_reminders()  # guarded inside: a failing reminder stays pending
                self._person_words()  # read again while idle if the store changed
            return
        if event.kind is EventKind.PRESS:
            self._guarded("starting to listen", lambda: self._start_listening(event))
        elif event.kind is EventKind.RELEASE and listening and event.press == self._press:
            self._guarded("ending a press", lambda: self._finish_listening(event.at))

    def _guarded(self, what: str, handler: Callable[[], None]) -> None:
        """Run one handler; a failure drops the press, is shown and the loop carries on."""
        with self._press_lock:
            seen = self._presses
        try:
            handler()
        except Exception:
            self._listen_until = float("inf")
            try:
                self._drop_session()
            except Exception:
                log.exception("the press's decoders could not be stopped")
            with self._press_lock:  # no newer press: the error earcon may sound
                if self._presses == seen:
                    self._barge.clear()
                    with self._frames_lock:
                        self._waiting.clear()
                    try:
                        self.speaker.resume()
                    except Exception:
                        log.exception("the speaker did not resume")
            self._failed(f"{what} failed; the press is dropped", failed_presses=1)

    def _held_too_long(self) -> None:
        self._earcon("too_long")
        self._finish_listening(time.perf_counter())

    def _start_listening(self, event: Event) -> None:
        with self._press_lock:
            if event.press != self._presses:
                return  # a newer press is queued behind this one: that one is taken up
        if self.state is DeviceState.LISTENING:
            self._drop_session()
        self._press, self._pressed_at = event.press, event.at
        self._listen_until = event.at + self.rules.max_press_s
        self._capture_at_press = self.mic.stats()
        self.led.listening()
        session = self.stt.session()  # never blocks: decoders still building are waited for
        session.bias(self._person_words())  # before anything is decoded while held
        with self._frames_lock:  # the pre-roll goes into the session's queues (no decoding)
            for frame in (*self._preroll, *self._waiting):
                session.feed(frame)
            self._preroll.clear()
            self._waiting.clear()
            self._session = session
        with self._press_lock:  # from here a reply may sound again, unless pressed once more
            if event.press == self._presses:
                self._barge.clear()
                self.speaker.resume()
        self.mic.utterance_starts()
        self.state = DeviceState.LISTENING
        threading.Thread(
            target=self._earcon, args=("listen_start",), daemon=True, name="earcon"
        ).start()

    def _person_words(self) -> dict[str, list[str]]:
        """The person's words (kept; read again only after the store changed); none when the
        store cannot be read (the press is still heard, only without them)."""
        try:
            return self.words.words()
        except Exception:
            log.exception("the person's words could not be read; heard without them")
            return {}

    def _drop_session(self) -> None:
        with self._frames_lock:
            session, self._session = self._session, None
        if session is not None:
            session.cancel(wait=False)

    def _finish_listening(self, released: float) -> None:
        self._listen_until = float("inf")
        with self._frames_lock:
            session, self._session = self._session, None
        if session is None:
            return
        if released - self._pressed_at < self.rules.min_press_s:
            session.cancel(wait=False)
            self._to_idle("too_short")
            return
        self.state = DeviceState.THINKING
        self.led.thinking()
        try:
            turn = run_turn(
                session,
                self.companion,
                self.tts,
                _Announcing(self),
                released,
                open_deadline_s=self.rules.open_deadline_s,
                interrupt=self._barge,
            )
        except Exception:
            session.cancel(wait=False)
            self._failed("the turn failed", failed_turns=1)
            return
        turn.capture = self.mic.stats() - self._capture_at_press
        if turn.capture.overflows or turn.capture.dropped:
            log.warning(
                "audio was lost during the press: %d input overflows, %d blocks dropped",
                turn.capture.overflows,
                turn.capture.dropped,
            )
        self.turns.append(turn)
        try:
            self.on_turn(turn)
        except Exception:
            log.exception("reporting the turn failed")
        self._count(turns=1, interrupted_replies=int(turn.interrupted))
        if turn.interrupted:
            self.state = DeviceState.IDLE  # the press that interrupted is next in the queue
            return
        self._to_idle(None if turn.spoke else "too_short")

    def _to_idle(self, earcon: str | None) -> None:
        if earcon:
            self._earcon(earcon)
        self.state = DeviceState.IDLE
        self.led.idle()

    def _failed(self, what: str, **counts: int) -> None:
        """Log, count, blink fast and sound the error earcon; the loop carries on."""
        log.exception(what)
        self._count(**counts)
        try:
            self.led.error()
        except Exception:
            log.exception("the LED failed too")
        self._earcon("error")
        self.state = DeviceState.IDLE

    # --- reminders

    def _tell_reminders(self, missed: bool = False) -> None:
        """Say what is due; a reminder is marked only once said (or cut short by a press)."""
        try:
            for told in self.companion.reminders_to_tell(missed=missed):
                if self._barge.is_set():
                    return  # a press waits: the reminder is told after that turn
                if not self._say(told.text):
                    return
                self.companion.reminders_told(told)
                self._count(reminders_told=1)
            self._reminders_failing = False
        except Exception:
            if not self._reminders_failing:  # once per failing stretch, not every second
                self._failed("a reminder failed; it stays pending", reminder_failures=1)
            else:
                self._count(reminder_failures=1)
            self._reminders_failing = True

    def _say(self, text: str) -> bool:
        """Speak a line; True when it was said (to the end, or until a press cut it short)."""
        self.state = DeviceState.SPEAKING
        self.led.speaking()
        lang = written_in(text)
        try:
            spoken = self.tts.speak(text, lang, self.speaker, self._barge)
        finally:
            self.state = DeviceState.IDLE
            self.led.idle()
        return spoken.completed or (spoken.first_audio_ms is not None and self._barge.is_set())

    def _earcon(self, name: str) -> None:
        """Play an earcon; one that fails is logged, never fatal."""
        try:
            self.speaker.play(EARCONS[name], RATE)
        except Exception:
            log.exception("the %s earcon failed", name)

    def _shutdown(self) -> None:
        """Every part is closed even when another fails to close; not the store (its owner
        closes it once sync has stopped, which may still apply the other devices' events)."""
        self._stopping.set()
        steps = (
            self._drop_session,
            self.speaker.stop,
            self.mic.close,
            self.button.close,
            self.led.idle,
            self.led.close,
            self.speaker.close,
        )
        for step in steps:
            try:
                step()
            except Exception:
                log.exception("shutdown: %s failed", getattr(step, "__qualname__", step))
        stats = self.stats()
        log.info("stopped after %d turns (%d failed)", stats.turns, stats.failed_turns)


class _Announcing:
    """The speaker as the turn sees it: the LED goes to 'speaking' with the first audio.

    Threads: the loop thread calls play; stop may come from any thread.
    """

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def play(self, samples: np.ndarray, rate: int) -> bool:
        if self._runtime.state is not DeviceState.SPEAKING:
            self._runtime.state = DeviceState.SPEAKING
            self._runtime.led.speaking()
        return self._runtime.speaker.play(samples, rate)

    def stop(self) -> None:
        self._runtime.speaker.stop()

    def resume(self) -> None:
        pass  # only the loop resumes the speaker, when it takes up a press

    def close(self) -> None:
        pass
