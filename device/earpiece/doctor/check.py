"""What one doctor check finds: PASS / WARN / FAIL, the detail and the one-line fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """The outcome of one check."""

    PASS = "PASS"
    WARN = "WARN"
    FAIL = "FAIL"


@dataclass(frozen=True)
class Check:
    """One part of the device: its status, what was found, and how to fix it if not PASS."""

    name: str
    status: Status
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON form: check, status, detail, fix."""
        return {
            "check": self.name,
            "status": self.status.value,
            "detail": self.detail,
            "fix": self.fix,
        }


def failed(found: list[Check]) -> bool:
    return any(c.status is Status.FAIL for c in found)
