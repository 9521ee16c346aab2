"""Which PortAudio device a configured `input_device` / `output_device` means, checked at start."""

from __future__ import annotations

from typing import Literal

Kind = Literal["input", "output"]


class AudioDeviceError(Exception):
    """A configured audio device does not exist; the message names it and what exists."""


def parse_device(configured: str) -> str | int | None:
    """'' -> the system default (None); a number -> a device index; else a name (substring).

    >>> parse_device(""), parse_device(" 3 "), parse_device("USB Audio")
    (None, 3, 'USB Audio')
    """
    text = configured.strip()
    if not text:
        return None
    return int(text) if text.isdecimal() else text


def _listing(sounddevice, kind: Kind) -> str:
    channels = f"max_{kind}_channels"
    found = [
        f"{i} {d['name']!r}"
        for i, d in enumerate(sounddevice.query_devices())
        if d.get(channels, 0) > 0
    ]
    return ", ".join(found) if found else "none"


def resolve_device(configured: str, kind: Kind) -> str | int | None:
    """The device to open for `[audio] <kind>_device = configured`, or AudioDeviceError.

    An empty setting is the system default and is not checked here (no default device
    means text mode, decided by the caller).
    """
    device = parse_device(configured)
    if device is None:
        return None
    key = f"[audio] {kind}_device = {configured!r}"
    try:
        import sounddevice
    except OSError as exc:  # PortAudio itself is missing
        raise AudioDeviceError(
            f"{key}: PortAudio is not available ({exc}); install `libportaudio2`"
        ) from None
    try:
        sounddevice.query_devices(device, kind)
    except (ValueError, sounddevice.PortAudioError):
        what = "index" if isinstance(device, int) else "name"
        listing = _listing(sounddevice, kind)
        fix = (
            'connect one, or set "" for the system default'
            if listing == "none"
            else f'PortAudio lists: {listing}; set one of those, or "" for the system default'
        )
        raise AudioDeviceError(f"{key}: no {kind} device with that {what} ({fix})") from None
    return device


def default_available(kind: Kind) -> bool:
    """Whether PortAudio has a default device of this kind (False without PortAudio)."""
    try:
        import sounddevice

        sounddevice.query_devices(kind=kind)
        return True
    except Exception:  # PortAudio missing or no device: both mean none
        return False


def rescan() -> None:
    """Make PortAudio list the devices again (it lists them once, when initialised): a USB
    headset plugged in or a Bluetooth earpiece connected since then appears. Only while no
    stream is open (it closes them all)."""
    try:
        import sounddevice

        sounddevice._terminate()
        sounddevice._initialize()
    except Exception:  # PortAudio missing: nothing to rescan, default_available says so
        return
