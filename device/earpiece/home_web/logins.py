"""Throttling the home page's password checks: one at a time, slower per client, then locked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

CHECKS_AT_ONCE = 1
"""Password checks run at the same time (each scrypt takes 32 MiB): the others queue."""
FIRST_WAIT_S = 1.0
"""Wait after a client's first wrong password (seconds); it doubles with each further one."""
MAX_WAIT_S = 30.0
"""The longest wait after a wrong password (seconds)."""
LOCK_AFTER = 10
"""Wrong passwords in a row from one client before it is locked out."""
LOCK_S = 15 * 60.0
"""How long a locked-out client is refused without a check (seconds)."""
CLIENTS_KEPT = 1024
"""Clients whose failures are remembered (the oldest are forgotten first)."""


@dataclass
class _Client:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held for a whole try, its wait included: one client's guesses queue."""
    users: int = 0
    """Tries holding or waiting for the lock (the entry goes when none and no failures)."""
    failures: int = 0
    locked_until: float = 0.0


class LoginGuard:
    """Checks passwords: at most CHECKS_AT_ONCE scrypts at a time; one client's tries one
    after another, each wrong one waiting longer (FIRST_WAIT_S, doubling to MAX_WAIT_S); after
    LOCK_AFTER wrong ones in a row the client is refused for LOCK_S without a check.

    Threads: the event loop only (its waits are asyncio sleeps).

    >>> guard = LoginGuard()
    >>> verdict = await guard.check("203.0.113.7", lambda: run_in_threadpool(verify, pw, h))
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._checks = asyncio.Semaphore(CHECKS_AT_ONCE)
        self._clients: dict[str, _Client] = {}

    def locked_for(self, client: str) -> float:
        """Seconds `client` is still locked out (0: not locked)."""
        found = self._clients.get(client)
        return max(0.0, found.locked_until - self._clock()) if found else 0.0

    async def check(self, client: str, verify: Callable[[], Awaitable[bool]]) -> bool | None:
        """True (right), False (wrong, after the client's wait) or None (locked out: no check)."""
        entry = self._clients.get(client)
        if entry is None:
            entry = self._clients[client] = _Client()
            self._forget_oldest()
        entry.users += 1
        try:
            async with entry.lock:
                if self.locked_for(client):
                    return None
                async with self._checks:
                    good = await verify()
                if good:
                    entry.failures, entry.locked_until = 0, 0.0
                    return True
                entry.failures += 1
                if entry.failures >= LOCK_AFTER:
                    entry.locked_until = self._clock() + LOCK_S
                await asyncio.sleep(min(MAX_WAIT_S, FIRST_WAIT_S * 2 ** (entry.failures - 1)))
                return False
        finally:
            entry.users -= 1
            if not entry.users and not entry.failures:
                self._clients.pop(client, None)

    def _forget_oldest(self) -> None:
        for name in list(self._clients):
            if len(self._clients) <= CLIENTS_KEPT:
                break
            if not self._clients[name].users:
                del self._clients[name]
