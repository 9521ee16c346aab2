"""The push-to-talk button and the status LED, on gpiozero pins (or the keyboard off a Pi).

Wiring: one side of the button to GPIO17, the other to a ground pin; the LED's
long leg through a 330 ohm resistor to GPIO18, its short leg to ground.

>>> from gpiozero import Device
>>> from gpiozero.pins.mock import MockFactory, MockPWMPin
>>> Device.pin_factory = MockFactory(pin_class=MockPWMPin)
>>> led = StatusLed(18); led.listening(); led.history
['listening']
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Protocol

Callback = Callable[[], None] | None
HISTORY_KEPT = 64
"""How many of the LED's latest states `StatusLed.history` keeps (a device runs for months)."""


class _Light(Protocol):
    """What StatusLed uses of gpiozero's `LED` and `PWMLED`."""

    @property
    def value(self) -> float: ...

    def on(self) -> None: ...

    def off(self) -> None: ...

    def blink(
        self, on_time: float = 1, off_time: float = 1, n: int | None = None, background: bool = True
    ) -> None: ...

    def pulse(self, fade_in_time: float = 1, fade_out_time: float = 1) -> None: ...

    def close(self) -> None: ...


def on_raspberry_pi() -> bool:
    model = Path("/proc/device-tree/model")
    return model.exists() and "Raspberry Pi" in model.read_text(errors="replace")


LG_WD = "LG_WD"
"""lgpio's working directory: it chdirs there when it loads and makes its `.lgd-nfy*` pipes."""


def gpio_workdir(fallback: Path, env: MutableMapping[str, str] | None = None) -> str | None:
    """Give lgpio a writable working directory before gpiozero loads it; the one chosen, or None.

    lgpio makes a notification pipe `.lgd-nfy<N>` in the current directory when it is imported
    (gpiozero #1106, lg #22); under systemd that is `/`, read-only: FileNotFoundError, no button.
    An `$LG_WD` already set is kept; else `$RUNTIME_DIRECTORY` (the unit's
    `RuntimeDirectory=`), else the current directory when it is writable, else `fallback`
    (the state directory), created when missing. Must run before `import lgpio`.
    """
    env = os.environ if env is None else env
    if env.get(LG_WD):
        return env[LG_WD]
    runtime = (env.get("RUNTIME_DIRECTORY") or "").split(":")[0]
    if runtime and os.access(runtime, os.W_OK | os.X_OK):
        chosen = runtime
    elif os.access(".", os.W_OK | os.X_OK):
        return None
    else:
        fallback.mkdir(parents=True, exist_ok=True)
        chosen = str(fallback)
    env[LG_WD] = chosen
    return chosen


PIN_FACTORY_ENV = "GPIOZERO_PIN_FACTORY"
"""gpiozero's own choice of pin factory by name: when set, it wins over [button] pin_factory."""


def pin_factory_named(name: str):
    """A new gpiozero pin factory of that name ("lgpio", "mock", ...), found the way gpiozero
    finds one (its entry points, the name as given or lower-cased); "" is gpiozero's default."""
    from importlib.metadata import entry_points

    from gpiozero import Device
    from gpiozero.exc import BadPinFactory

    if not name:
        return Device._default_pin_factory()
    group = entry_points(group="gpiozero_pin_factories")
    for wanted in (name, name.lower()):
        for point in group:
            if point.name == wanted:
                return point.load()()
    raise BadPinFactory(f"Unable to find pin factory {name!r}")


def use_pins(configured: str, fallback: Path, env: MutableMapping[str, str] | None = None) -> bool:
    """Ready gpiozero for the button and the LED; whether there are pins to use.

    There are on a Raspberry Pi, or wherever a pin factory is named: $GPIOZERO_PIN_FACTORY
    (gpiozero reads it itself) or else `configured` ([button] pin_factory), which is handed to
    gpiozero as a factory, not through the environment. lgpio gets its working directory
    first (gpio_workdir, with `fallback`): loading a factory may load lgpio.
    """
    env = os.environ if env is None else env
    if not (on_raspberry_pi() or env.get(PIN_FACTORY_ENV) or configured):
        return False
    gpio_workdir(fallback, env)
    from gpiozero import Device

    if configured and not env.get(PIN_FACTORY_ENV) and Device.pin_factory is None:
        Device.pin_factory = pin_factory_named(configured)
    return True


class PushToTalk:
    """Hold to talk: `when_pressed` and `when_released` run on gpiozero's thread."""

    def __init__(self, pin: int, bounce_ms: int = 20) -> None:
        from gpiozero import Button

        self._button = Button(pin, pull_up=True, bounce_time=bounce_ms / 1000 or None)
        self.when_pressed: Callback = None
        self.when_released: Callback = None
        self._button.when_pressed = lambda: self.when_pressed and self.when_pressed()
        self._button.when_released = lambda: self.when_released and self.when_released()

    def close(self) -> None:
        self._button.close()


class KeyboardPushToTalk:
    """Off a Pi: Enter starts talking, Enter again stops (a terminal cannot tell 'held').

    Threads: the `keyboard-ptt` thread reads stdin and calls `when_pressed`/`when_released`.
    """

    def __init__(self, stream=None) -> None:
        self.when_pressed: Callback = None
        self.when_released: Callback = None
        self._stream = stream or sys.stdin
        self._down = False
        threading.Thread(target=self._read, daemon=True, name="keyboard-ptt").start()

    def _read(self) -> None:
        for _ in self._stream:
            self._down = not self._down
            callback = self.when_pressed if self._down else self.when_released
            if callback:
                callback()

    def close(self) -> None:
        pass


class StatusLed:
    """Pulses while listening, blinks while thinking, on while speaking, off when idle."""

    def __init__(self, pin: int | None) -> None:
        self.history: list[str] = []
        """The latest states shown, oldest first (at most HISTORY_KEPT)."""
        self._led: _Light | None = None
        self._dims = False
        if pin is not None:
            from gpiozero import LED, PWMLED
            from gpiozero.exc import PinPWMUnsupported

            try:
                self._led, self._dims = PWMLED(pin), True
            except PinPWMUnsupported:  # a pin without PWM: slow blink instead of pulse
                self._led = LED(pin)

    def _show(self, state: str, action: Callable[[_Light], None]) -> None:
        self.history.append(state)
        if len(self.history) > HISTORY_KEPT:
            del self.history[: len(self.history) - HISTORY_KEPT]
        if self._led is not None:
            action(self._led)

    def idle(self) -> None:
        self._show("idle", lambda led: led.off())

    def listening(self) -> None:
        if self._dims:
            self._show("listening", lambda led: led.pulse(fade_in_time=0.4, fade_out_time=0.4))
        else:
            self._show("listening", lambda led: led.blink(on_time=0.4, off_time=0.4))

    def thinking(self) -> None:
        self._show("thinking", lambda led: led.blink(on_time=0.1, off_time=0.1))

    def speaking(self) -> None:
        self._show("speaking", lambda led: led.on())

    def error(self) -> None:
        self._show(
            "error", lambda led: led.blink(on_time=0.05, off_time=0.05, n=6, background=True)
        )

    def waiting(self) -> None:
        """No microphone or earpiece yet: one short flash every two seconds."""
        self._show("waiting", lambda led: led.blink(on_time=0.1, off_time=1.9))

    def dead(self) -> None:
        """The service is dead (earpiece-failed.service): a steady quick blink until it restarts."""
        self._show("dead", lambda led: led.blink(on_time=0.15, off_time=0.15, n=None))

    @property
    def value(self) -> float | None:
        return None if self._led is None else float(self._led.value)

    def close(self) -> None:
        if self._led is not None:
            self._led.close()
