"""The device loop: idle -> listening -> thinking -> speaking, driven by the button.

Everything that can happen before the release does: fresh decoders are built
after each press for the next one and fed while the button is held, the
pre-roll is kept while idle, the models are loaded before the first press.
After the release only the tail is flushed.
"""

from __future__ import annotations

import collections
import logging
import queue
import threading
import time
from dataclasses import dataclass

import numpy as np

from earpiece.companion.policy import Companion
from earpiece.hardware.controls import StatusLed
from earpiece.hardware.earcons import EARCONS, RATE
from earpiece.hardware.microphone import FRAME_S, Microphone
from earpiece.hardware.speaker import Speaker
from earpiece.speech.stt import DecodingSession, SpeechRecognizer
from earpiece.speech.tts import Synthesizer
from earpiece.speech.turn import VoiceTurn, run_turn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PressRules:
    """How long a press must and may last."""

    min_press_s: float = 0.3
    max_press_s: float = 30.0
    preroll_s: float = 0.3


class Runtime:
    """One companion on one device: a button, a LED, a microphone and an earpiece.

    >>> runtime = Runtime(companion, stt, tts, mic, speaker, button, led)
    >>> runtime.run()          # until stop() or SIGTERM
    """

    def __init__(
        self,
        companion: Companion,
        stt: SpeechRecognizer,
        tts: Synthesizer,
        mic: Microphone,
        speaker: Speaker,
        button,
        led: StatusLed,
        rules: PressRules | None = None,
    ) -> None:
        self.companion, self.stt, self.tts = companion, stt, tts
        self.mic, self.speaker, self.button, self.led = mic, speaker, button, led
        self.rules = rules or PressRules()
        self.state = "idle"
        self.turns: list[VoiceTurn] = []
        self._events: queue.Queue[tuple[str, float]] = queue.Queue()
        self._preroll: collections.deque[np.ndarray] = collections.deque(
            maxlen=max(1, int(self.rules.preroll_s / FRAME_S))
        )
        self._session: DecodingSession | None = None
        self._pressed_at = 0.0
        self._frames_lock = threading.Lock()
        self._stopping = threading.Event()
        self.ready = threading.Event()

    # --- inputs (other threads)

    def _on_frame(self, frame: np.ndarray) -> None:
        with self._frames_lock:
            if self._session is not None:
                self._session.feed(frame)
            else:
                self._preroll.append(frame)

    def _pressed(self) -> None:
        if self.state == "speaking":
            self.speaker.stop()  # barge-in, at once: the loop is still busy speaking
        self._events.put(("press", time.perf_counter()))

    def _released(self) -> None:
        self._events.put(("release", time.perf_counter()))

    def stop(self) -> None:
        self._stopping.set()
        self._events.put(("stop", time.perf_counter()))

    # --- the loop

    def run(self) -> None:
        self.button.when_pressed = self._pressed
        self.button.when_released = self._released
        self.mic.start(self._on_frame)
        self.led.idle()
        for line in self.companion.missed_reminders():
            self._say(line)
        self.ready.set()
        while not self._stopping.is_set():
            try:
                kind, at = self._events.get(timeout=1.0)
            except queue.Empty:
                self._remind()
                continue
            if kind == "press":
                self._start_listening(at)
            elif kind == "release" and self.state == "listening":
                self._finish_listening(at)
            elif kind == "too_long" and self.state == "listening" and at == self._pressed_at:
                self._earcon("too_long")
                self._finish_listening(time.perf_counter())
        self._shutdown()

    def _start_listening(self, at: float) -> None:
        self.speaker.stop()  # barge-in: a new press interrupts the reply
        self.state = "listening"
        self._pressed_at = at
        self.led.listening()
        session = self.stt.session()  # outside the lock: the microphone must never wait
        with self._frames_lock:
            self._session = session
            for frame in self._preroll:
                self._session.feed(frame)
            self._preroll.clear()
        self.mic.utterance_starts()
        threading.Timer(self.rules.max_press_s,
                        lambda: self._events.put(("too_long", at))).start()  # fmt: skip
        threading.Thread(target=self._earcon, args=("listen_start",), daemon=True).start()

    def _finish_listening(self, released: float) -> None:
        with self._frames_lock:
            session, self._session = self._session, None
        if session is None:
            return
        if released - self._pressed_at < self.rules.min_press_s:
            session.finish(wait_open=False)
            self._to_idle("too_short")
            return
        self.state = "thinking"
        self.led.thinking()
        try:
            turn = run_turn(session, self.companion, self.tts, _Announcing(self), released)
        except Exception:
            log.exception("the turn failed")
            self.led.error()
            self._earcon("error")
            self.state = "idle"
            return
        self.turns.append(turn)
        self._to_idle(None if turn.spoke else "too_short")

    def _to_idle(self, earcon: str | None) -> None:
        if earcon:
            self._earcon(earcon)
        self.state = "idle"
        self.led.idle()

    def _remind(self) -> None:
        if self.state == "idle":
            for line in self.companion.due_reminders():
                self._say(line)

    def _say(self, text: str) -> None:
        self.state = "speaking"
        self.led.speaking()
        lang = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"
        self.tts.speak(text, lang, self.speaker)
        self.state = "idle"
        self.led.idle()

    def _earcon(self, name: str) -> None:
        self.speaker.play(EARCONS[name], RATE)

    def _shutdown(self) -> None:
        self.speaker.stop()
        self.mic.close()
        self.button.close()
        self.led.idle()
        self.led.close()
        self.speaker.close()
        self.companion.store.close()


class _Announcing:
    """The speaker as the turn sees it: the LED goes to 'speaking' with the first audio."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def play(self, samples: np.ndarray, rate: int) -> bool:
        if self._runtime.state != "speaking":
            self._runtime.state = "speaking"
            self._runtime.led.speaking()
        return self._runtime.speaker.play(samples, rate)

    def stop(self) -> None:
        self._runtime.speaker.stop()

    def close(self) -> None:
        pass
