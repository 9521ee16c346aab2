"""The device loop's typed states, events, rules and counters."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, StrEnum

from earpiece.config import Settings
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
    """How long a press must and may last, and how long a reply may wait for free speech.

    Made from the config's [button], [audio] and [stt] sections (`from_settings`), which hold
    the defaults, units and ranges; in seconds here."""

    min_press_s: float
    max_press_s: float
    preroll_s: float
    open_deadline_s: float
    """After the release, the open decoder is waited for at most this long (seconds)."""

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> PressRules:
        """The rules of `settings` (the config's defaults when None)."""
        s = settings or Settings()
        return cls(
            s.button.min_press_ms / 1000,
            s.button.max_press_s,
            s.audio.preroll_ms / 1000,
            s.stt.open_deadline_s,
        )


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
        return {
            "turns": self.turns,
            "failed_turns": self.failed_turns,
            "failed_presses": self.failed_presses,
            "interrupted_replies": self.interrupted_replies,
            "reminders_told": self.reminders_told,
            "reminder_failures": self.reminder_failures,
            "capture": self.capture.to_dict(),
        }
