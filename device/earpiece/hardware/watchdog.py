"""systemd's notify protocol (sd_notify): READY, WATCHDOG pings and STOPPING over $NOTIFY_SOCKET.

Outside systemd (no $NOTIFY_SOCKET) every call does nothing, so the same code
runs in a terminal, in tests and under `Type=notify` with `WatchdogSec=`.

>>> dog = Watchdog.from_env({})
>>> dog.enabled, dog.ready()
(False, False)
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Mapping


class Watchdog:
    """Tells systemd the service is up, alive, or stopping; pings at most every interval/3."""

    def __init__(self, address: str | None, interval_s: float | None = None) -> None:
        self.address = address
        self.interval_s = interval_s
        self._last_ping = float("-inf")
        self._ready_sent = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Watchdog:
        """From $NOTIFY_SOCKET and $WATCHDOG_USEC (honouring $WATCHDOG_PID when set)."""
        env = os.environ if env is None else env
        address = env.get("NOTIFY_SOCKET") or None
        interval = None
        usec = env.get("WATCHDOG_USEC", "")
        pid = env.get("WATCHDOG_PID", "")
        if usec.isdigit() and int(usec) > 0 and (not pid or pid == str(os.getpid())):
            interval = int(usec) / 1_000_000
        return cls(address, interval)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, state: str) -> bool:
        """Send one notify message; False outside systemd or when the socket is gone."""
        if self.address is None:
            return False
        target = self.address
        if target.startswith("@"):  # abstract namespace socket
            target = "\0" + target[1:]
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(target)
                sock.sendall(state.encode())
        except OSError:
            return False
        return True

    def ready(self, status: str = "listening") -> bool:
        """The models are loaded and the device is waiting for a press."""
        return self.notify(f"READY=1\nSTATUS={status}")

    def ping(self) -> bool:
        """Keep-alive from the main loop; rate-limited to a third of WatchdogSec."""
        if self.interval_s is None:
            return False
        now = time.monotonic()
        if now - self._last_ping < self.interval_s / 3:
            return False
        self._last_ping = now
        return self.notify("WATCHDOG=1")

    def alive(self) -> bool:
        """From the main loop: READY=1 on the first call, watchdog pings after that."""
        if not self._ready_sent:
            self._ready_sent = True
            return self.ready()
        return self.ping()

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")
