"""systemd's notify protocol (sd_notify): READY, WATCHDOG pings and STOPPING over $NOTIFY_SOCKET,
and the feeder that pings only while the device is healthy.

Outside systemd (no $NOTIFY_SOCKET) every call does nothing, so the same code
runs in a terminal, in tests and under `Type=notify` with `WatchdogSec=`.

>>> dog = Watchdog.from_env({})
>>> dog.enabled, dog.ready()
(False, False)
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


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


class Heartbeat:
    """Signs of life the watchdog feeder reads: each loop pass, each block of a reply played.

    Threads: the loop thread and whoever plays audio call `beat`; the feeder reads `age_s`.
    """

    def __init__(self) -> None:
        self._last = time.monotonic()

    def beat(self) -> None:
        self._last = time.monotonic()

    def age_s(self) -> float:
        """Seconds since the last beat."""
        return time.monotonic() - self._last


class WatchdogFeeder:
    """Pings systemd from its own thread while the device is healthy, and only then.

    Healthy: the loop or a reply beat within `stall_s` (a turn may run that long without a
    beat: the wait for an open decoder and the decoding, before the reply's first audio),
    and the microphone is alive (`mic_alive`, e.g. `SoundDeviceMicrophone.alive`: its stream
    delivers, or was reopened). Not healthy: no ping, so systemd's `WatchdogSec=` restarts
    the service, which then waits for its audio devices. READY=1 goes out once `ready` is set.
    Threads: `watchdog-feeder` (a daemon) does all the sending; `stop` from any thread.
    """

    def __init__(
        self,
        dog: Watchdog,
        heartbeat: Heartbeat,
        stall_s: float,
        mic_alive: Callable[[], bool] | None = None,
        ready: threading.Event | None = None,
        period_s: float | None = None,
    ) -> None:
        self.dog, self.heartbeat, self.stall_s = dog, heartbeat, stall_s
        self.mic_alive = mic_alive or (lambda: True)
        self.ready = ready
        self.period_s = period_s or (dog.interval_s / 3 if dog.interval_s else 1.0)
        """How often health is looked at (a third of WatchdogSec)."""
        self.unhealthy = ""
        """Why the last look found the device unhealthy ("" when healthy)."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ready_sent = False

    def health(self) -> str:
        """'' when healthy, else why not (one sentence)."""
        age = self.heartbeat.age_s()
        if age > self.stall_s:
            return f"the device loop made no progress for over {self.stall_s:g} s"
        if not self.mic_alive():
            return "the microphone stream is dead and could not be reopened"
        return ""

    def check(self) -> bool:
        """One look: READY once ready, then a ping when healthy. True when it pinged."""
        if self.ready is not None and not self._ready_sent and self.ready.is_set():
            self._ready_sent = True
            self.dog.ready()
        problem = self.health()
        if problem != self.unhealthy:
            self.unhealthy = problem
            if problem:
                log.error("%s: the systemd watchdog is no longer fed", problem)
                self.dog.notify(f"STATUS={problem}")
        if problem or self.dog.interval_s is None:
            return False
        self.dog.notify("WATCHDOG=1")
        return True

    def start(self) -> WatchdogFeeder:
        if self.dog.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True, name="watchdog-feeder")
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            self.check()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
