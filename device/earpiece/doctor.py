"""Checks for `earpiece doctor`: each part of the device, and what to do when it is not right."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

from earpiece.config import Settings

Check = tuple[str, bool | None, str]
"""(part, ok: True / False / None for a note, detail)."""


def checks(settings: Settings) -> Iterator[Check]:
    yield "config", True, settings.source
    yield _nlu(settings)
    yield _stt(settings)
    yield _tts()
    yield from _audio()
    yield _gpio()
    yield _state(settings)
    yield "sync", None, "not configured: everything stays on this device"


def _nlu(settings: Settings) -> Check:
    from earpiece.nlu.model import ModelError, NluModel

    try:
        model = NluModel.load(settings.nlu.model or None)
    except ModelError as exc:
        return "NLU model", False, str(exc)
    return "NLU model", True, f"{model.path.name}, {model.path.stat().st_size // 1024} KiB"


def _stt(settings: Settings) -> Check:
    from earpiece.speech.stt import SttError, resolve_model_dir

    try:
        return "speech model", True, str(resolve_model_dir(settings.stt.model))
    except SttError as exc:
        return "speech model", False, str(exc)


def _tts() -> Check:
    if shutil.which("espeak-ng"):
        return "speech output", True, "espeak-ng"
    return "speech output", False, "espeak-ng is missing: `apt-get install espeak-ng`"


def _audio() -> Iterator[Check]:
    try:
        import sounddevice
    except OSError as exc:
        yield "audio", False, f"PortAudio is missing ({exc}): `apt-get install libportaudio2`"
        return
    for kind, part in (("input", "microphone"), ("output", "earpiece")):
        try:
            device = sounddevice.query_devices(kind=kind)
            yield part, True, str(device["name"])
        except Exception:  # PortAudio raises PortAudioError or ValueError
            yield part, None, f"no {kind} device: `earpiece run` falls back to text mode"


def _gpio() -> Check:
    from earpiece.hardware.controls import on_raspberry_pi

    if on_raspberry_pi():
        return "GPIO", True, "Raspberry Pi pins"
    factory = os.environ.get("GPIOZERO_PIN_FACTORY")
    if factory:
        return "GPIO", None, f"pin factory {factory} (GPIOZERO_PIN_FACTORY)"
    return "GPIO", None, "not a Raspberry Pi: the keyboard (Enter) is the button"


def _state(settings: Settings) -> Check:
    from earpiece.store.database import Store, StoreError

    try:
        store = Store.open(settings.state_dir)
    except StoreError as exc:
        return "state", False, str(exc)
    try:
        integrity = store.integrity()
        detail = f"{settings.state_dir}, {store.event_count()} events, integrity {integrity}"
        return "state", integrity == "ok", detail
    finally:
        store.close()
