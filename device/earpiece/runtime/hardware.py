"""The choice of hardware for `earpiece run`: a Pi, a laptop, files, or text only."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from earpiece.config import Settings
from earpiece.hardware.audio_devices import default_available, resolve_device
from earpiece.hardware.controls import (
    KeyboardPushToTalk,
    PushToTalk,
    StatusLed,
    use_pins,
)
from earpiece.hardware.microphone import Microphone, SoundDeviceMicrophone, WavMicrophone
from earpiece.hardware.speaker import SoundDeviceSpeaker, Speaker, WavSpeaker


class Mode(StrEnum):
    """Where the device runs."""

    PI = "pi"
    """GPIO button and LED (a Raspberry Pi, or any gpiozero pin factory that is configured)."""
    LAPTOP = "laptop"
    """Enter is the button; no LED."""
    TEXT = "text"
    """No audio: type and read."""


@dataclass(frozen=True)
class Hardware:
    """The parts one run uses; `reason` says why text mode was chosen when it was."""

    mode: Mode
    mic: Microphone | None = None
    speaker: Speaker | None = None
    button: PushToTalk | KeyboardPushToTalk | None = None
    led: StatusLed | None = None
    reason: str = ""


def choose(
    settings: Settings, mic_wav: Path | None = None, out_wav: Path | None = None, text: bool = False
) -> Hardware:
    """Pick microphone, earpiece, button and LED; AudioDeviceError for a configured device
    that does not exist. No microphone or earpiece at all means text mode."""
    if text:
        return Hardware(Mode.TEXT)
    audio = settings.audio
    input_device = None if mic_wav else resolve_device(audio.input_device, "input")
    output_device = None if out_wav else resolve_device(audio.output_device, "output")
    hears = mic_wav is not None or input_device is not None or default_available("input")
    speaks = out_wav is not None or output_device is not None or default_available("output")
    if not (hears and speaks):
        missing = "microphone" if not hears else "earpiece (audio output)"
        return Hardware(Mode.TEXT, reason=f"no {missing} found (PortAudio lists no such device)")
    mic: Microphone = WavMicrophone(mic_wav) if mic_wav else SoundDeviceMicrophone(input_device)
    speaker: Speaker = (
        WavSpeaker(out_wav, realtime=True) if out_wav else SoundDeviceSpeaker(output_device)
    )
    b = settings.button
    if use_pins(b.pin_factory, settings.state_dir):
        return Hardware(Mode.PI, mic, speaker, PushToTalk(b.pin, b.bounce_ms), StatusLed(b.led_pin))
    return Hardware(Mode.LAPTOP, mic, speaker, KeyboardPushToTalk(), StatusLed(None))
