"""The device loop's typed states, events, rules and counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from earpiece.hardware.microphone import CaptureStats


class DeviceState(StrEnum):
    """What the device is doing; only the loop thread changes it."""

    IDLE = "idle"
    LISTENING = "listening"
    THINKING = "thinking"
    SPEAKING = "speaking"


class EventKind(Enum):
    """What can happen to the loop from other threads."""

    PRESS = "press"
    RELEASE = "release"
    STOP = "stop"


@dataclass(frozen=True)
class Event:
    """One input to the loop: its kind, when (perf_counter) and which press it belongs to."""

    kind: EventKind
    at: float
    press: int = 0


@dataclass(frozen=True)
class PressRules:
    """How long a press must and may last, and how long a reply may wait for free speech."""

    min_press_s: float = 0.3
    max_press_s: float = 30.0
    preroll_s: float = 0.3
    open_deadline_s: float = 6.0
    """After the release, the open decoder is waited for at most this long (seconds)."""


@dataclass(frozen=True)
class RuntimeStats:
    """Counters of one run, for the log at shutdown, `earpiece run` and the tests."""

    turns: int = 0
    failed_turns: int = 0
    failed_presses: int = 0
    """Presses whose start or end could not be handled (not counted in failed_turns)."""
    interrupted_replies: int = 0
    reminders_told: int = 0
    reminder_failures: int = 0
    capture: CaptureStats = field(default_factory=CaptureStats)

    def to_dict(self) -> dict[str, object]:
        return {"turns": self.turns, "failed_turns": self.failed_turns,
                "failed_presses": self.failed_presses,
                "interrupted_replies": self.interrupted_replies,
                "reminders_told": self.reminders_told,
                "reminder_failures": self.reminder_failures,
                "capture": self.capture.to_dict()}  # fmt: skip
