"""Hybrid logical clocks: timestamps that order events across devices whose clocks drift."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Hlc:
    """Wall time in ms, a counter for events within one ms, and the device as tie-breaker.

    Its text form sorts the same way as the clock, so SQLite can compare it:

    >>> str(Hlc(1700000000000, 3, "pocket"))
    '1700000000000-0003-pocket'
    """

    wall_ms: int
    counter: int
    device: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04d}-{self.device}"

    @classmethod
    def parse(cls, text: str) -> Hlc:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)

    def tick(self, now_ms: int) -> Hlc:
        """The next local timestamp: never behind the wall clock, never behind itself."""
        if now_ms > self.wall_ms:
            return Hlc(now_ms, 0, self.device)
        return Hlc(self.wall_ms, self.counter + 1, self.device)

    def merge(self, remote: Hlc, now_ms: int) -> Hlc:
        """The local clock after receiving a remote timestamp."""
        wall = max(self.wall_ms, remote.wall_ms, now_ms)
        if wall == self.wall_ms == remote.wall_ms:
            counter = max(self.counter, remote.counter) + 1
        elif wall == self.wall_ms:
            counter = self.counter + 1
        elif wall == remote.wall_ms:
            counter = remote.counter + 1
        else:
            counter = 0
        return Hlc(wall, counter, self.device)
