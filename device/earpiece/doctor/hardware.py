"""The doctor's hardware checks: the microphone and the earpiece (PortAudio), the button and the
LED (gpiozero pins)."""

from __future__ import annotations

import os
import warnings

from earpiece.config import Settings
from earpiece.doctor.check import Check, Status

RECORD_S = 0.5
SILENT_DBFS = -70.0
"""A microphone whose 0.5 s recording is quieter than this hears nothing at all."""


def _device(configured: str) -> int | str | None:
    return int(configured) if configured.isdigit() else (configured or None)


def audio_checks(settings: Settings) -> list[Check]:
    try:
        import sounddevice
    except OSError as exc:
        return [
            Check(
                "audio",
                Status.FAIL,
                f"PortAudio is missing ({exc})",
                "`sudo apt-get install libportaudio2`",
            )
        ]
    return [_microphone(sounddevice, settings), _earpiece(sounddevice, settings)]


def _microphone(sd, settings: Settings) -> Check:
    import numpy as np

    name = "microphone"
    wanted = _device(settings.audio.input_device)
    try:
        info = sd.query_devices(wanted, kind="input")
    except Exception as exc:  # PortAudioError or ValueError: no such device
        return Check(
            name,
            Status.WARN,
            f"no input device ({exc}); `earpiece run` waits for one under systemd "
            "(LED flashing), and falls back to text mode in a terminal",
            "connect the I2S mic or USB headset; check `arecord -l` "
            "and firmware_config/boot/ (see docs/raspberry-pi.md)",
        )
    rate = int(info.get("default_samplerate") or 16000)
    try:
        samples = sd.rec(
            int(RECORD_S * rate),
            samplerate=rate,
            channels=1,
            dtype="int16",
            device=wanted,
            blocking=True,
        )
    except Exception as exc:
        return Check(
            name,
            Status.FAIL,
            f"{info['name']}: cannot record ({exc})",
            "is another program holding it? use the dsnoop device from "
            "firmware_config/asound.conf; the user must be in the audio group",
        )
    rms = float(np.sqrt(np.mean(np.square(samples.astype(np.float64))))) if samples.size else 0.0
    dbfs = 20 * np.log10(max(rms, 1e-9) / 32768)
    detail = f"{info['name']}: recorded {RECORD_S} s, level {dbfs:.1f} dBFS"
    if dbfs < SILENT_DBFS:
        return Check(
            name,
            Status.WARN,
            detail + " (silence)",
            "check the mic wiring and dtoverlay, and its level in `alsamixer`",
        )
    return Check(name, Status.PASS, detail)


def _earpiece(sd, settings: Settings) -> Check:
    try:
        info = sd.query_devices(_device(settings.audio.output_device), kind="output")
    except Exception as exc:
        return Check(
            "earpiece",
            Status.WARN,
            f"no output device ({exc}); `earpiece run` waits for one under systemd "
            "(LED flashing), and falls back to text mode in a terminal",
            "connect the DAC/amp or USB/Bluetooth earpiece; check `aplay -l`",
        )
    return Check("earpiece", Status.PASS, f"{info['name']}, {int(info['default_samplerate'])} Hz")


def _pin_factory(on_pi: bool, wanted: str):
    """(factory, how it was chosen): the configured one, gpiozero's default, or MockFactory."""
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    from earpiece.hardware.controls import pin_factory_named

    if wanted == "mock" or (not wanted and not on_pi):
        return MockFactory(pin_class=MockPWMPin), "MockFactory (not a Raspberry Pi)"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        factory = pin_factory_named(wanted)
    return factory, type(factory).__name__


def gpio_check(settings: Settings) -> Check:
    from earpiece.hardware.controls import PIN_FACTORY_ENV, on_raspberry_pi

    b = settings.button
    wanted = os.environ.get(PIN_FACTORY_ENV) or b.pin_factory
    pins = f"button GPIO{b.pin}, LED GPIO{b.led_pin}"
    if b.pin == b.led_pin:
        return Check(
            "GPIO",
            Status.FAIL,
            f"{pins}: the same pin twice",
            "set [button] pin and led_pin to two different BCM pins",
        )
    on_pi = on_raspberry_pi()
    fix = (
        "`sudo apt-get install python3-lgpio` and a venv made with --system-site-packages "
        "(deploy/install.sh does both), the user in the gpio group, [button] pin_factory = "
        '"lgpio" on a Pi 5; an error naming .lgd-nfy: run from a writable directory or set '
        "LG_WD to one (the unit runs in /run/earpiece)"
    )
    try:
        factory, how = _pin_factory(on_pi, wanted or "")
    except Exception as exc:  # BadPinFactory, ImportError of a named factory
        return Check("GPIO", Status.FAIL, f"no pin factory ({exc})", fix)
    from gpiozero import LED, Button

    try:
        Button(b.pin, pull_up=True, pin_factory=factory).close()
        LED(b.led_pin, pin_factory=factory).close()
    except Exception as exc:  # GPIOPinInUse, PinInvalidPin, permission errors
        if "busy" in str(exc).lower() or type(exc).__name__ == "GPIOPinInUse":
            return Check(
                "GPIO",
                Status.WARN,
                f"{how}: {pins} are in use ({exc})",
                "fine while the earpiece service runs; otherwise stop what holds them",
            )
        return Check(
            "GPIO",
            Status.FAIL,
            f"{how}: cannot claim {pins} ({exc})",
            "pick free pins in [button], or " + fix,
        )
    finally:
        factory.close()
    if not on_pi and wanted in ("", "mock"):
        return Check(
            "GPIO", Status.PASS, f"{how}: {pins} valid; the keyboard (Enter) is the button here"
        )
    return Check("GPIO", Status.PASS, f"{how}: {pins} claimed and released")
