"""Hybrid logical clocks: timestamps that order events across devices whose clocks drift."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Hlc:
    """Wall time in ms, a counter for events within one ms, and the device as tie-breaker.

    Its text form has a fixed width (13 digits of ms, 4 of counter), so text order is numeric
    order and SQLite can compare it; a counter that would pass COUNTER_MAX carries into the
    wall time instead (a logical millisecond ahead), so the width never grows:

    >>> str(Hlc(1700000000000, 3, "pocket"))
    '1700000000000-0003-pocket'
    >>> str(Hlc(1700000000000, 9999, "pocket").tick(1700000000000))
    '1700000000001-0000-pocket'
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
        return _carry(self.wall_ms, self.counter + 1, self.device)

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
        return _carry(wall, counter, self.device)


COUNTER_MAX = 9999
"""The largest counter; one more moves the wall time on by 1 ms (keeps the text's width)."""


def _carry(wall_ms: int, counter: int, device: str) -> Hlc:
    if counter > COUNTER_MAX:
        return Hlc(wall_ms + 1, 0, device)
    return Hlc(wall_ms, counter, device)
