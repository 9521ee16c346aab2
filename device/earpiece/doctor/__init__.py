"""Checks for `earpiece doctor`: each part of the device, PASS / WARN / FAIL, and the one-line fix.

The checks repair nothing and never write the state (its database is opened read-only).
A full doctor loads the models as the device would, which fills the same caches the
device fills (the Vosk model's derived files and the sentence encoder's unpacked weights,
under $XDG_CACHE_HOME); a light doctor (`--light`, and always beside a running service)
loads no model: it checks their files only and needs a few tens of MiB, not the device's
whole footprint again.

One module per kind of part, in the order `checks` runs them: `software.py` (Python, packages,
models, the voice), `board.py` (the service, memory, power, Bluetooth), `hardware.py` (audio,
GPIO), `state.py` (the state directory, the clock, sync); `check.py` is what each returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from earpiece.config import Settings
from earpiece.doctor.board import (
    bluetooth_check,
    bluetooth_info,
    meminfo,
    memory_check,
    power_check,
    service_check,
    service_running,
    service_state,
    throttle_problems,
)
from earpiece.doctor.check import Check, Status, failed
from earpiece.doctor.hardware import audio_checks, gpio_check
from earpiece.doctor.software import (
    nlu_check,
    nlu_light_check,
    packages_check,
    python_check,
    safety_check,
    safety_light_check,
    stt_check,
    stt_light_check,
    tts_check,
)
from earpiece.doctor.state import clock_check, state_check, sync_check

__all__ = [
    "Check",
    "Status",
    "audio_checks",
    "bluetooth_check",
    "bluetooth_info",
    "checks",
    "clock_check",
    "failed",
    "gpio_check",
    "meminfo",
    "memory_check",
    "nlu_check",
    "nlu_light_check",
    "packages_check",
    "power_check",
    "python_check",
    "safety_check",
    "safety_light_check",
    "service_check",
    "service_running",
    "service_state",
    "state_check",
    "stt_check",
    "stt_light_check",
    "sync_check",
    "throttle_problems",
    "tts_check",
]


def checks(settings: Settings, light: bool = False) -> Iterator[Check]:
    """Every check, in the order a person would fix them; `light` loads no model."""
    yield Check("config", Status.PASS, settings.source)
    steps: list[Callable[[Settings], Check | list[Check]]] = [
        python_check,
        packages_check,
        nlu_light_check if light else nlu_check,
        safety_light_check if light else safety_check,
        stt_light_check if light else stt_check,
        tts_check,
        service_check,
        memory_check,
        power_check,
        bluetooth_check,
        audio_checks,
        gpio_check,
        state_check,
        clock_check,
        sync_check,
    ]
    for step in steps:
        try:
            found = step(settings)
        except Exception as exc:  # a check must never end the doctor with a traceback
            name = step.__name__.removesuffix("_check").removesuffix("_checks")
            found = Check(
                name,
                Status.FAIL,
                f"the check itself failed: {exc!r}",
                "please report this with the output of `earpiece doctor --json`",
            )
        yield from found if isinstance(found, list) else [found]
