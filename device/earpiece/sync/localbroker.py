"""A private Mosquitto on a free loopback port, set up by deploy/home's script (tests, bench)."""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
import tomllib
from pathlib import Path

from earpiece.config import HomeSettings, SyncSettings
from earpiece.paths import project_root

SETUP = project_root() / "deploy" / "home" / "earpiece-home-setup"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortTaken(RuntimeError):
    """Another process took the port between choosing it and binding it."""


class LocalBroker:
    """Mosquitto with TLS, a password per device and the deploy ACL, in `workdir`."""

    def __init__(self, workdir: Path) -> None:
        if not shutil.which("mosquitto") and not Path("/usr/sbin/mosquitto").exists():
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.dir = workdir
        self.port = free_port()
        self._proc: subprocess.Popen | None = None
        self._started = False
        env = {
            **os.environ,
            "PORT": str(self.port),
            "BIND": "127.0.0.1",
            "RUN_AS": getpass.getuser(),
        }
        subprocess.run(
            [str(SETUP), "init", str(workdir), "localhost", "127.0.0.1"],
            env=env,
            check=True,
            capture_output=True,
        )
        self.log = workdir / "mosquitto.log"

    def add_device(self, user: str, device: str) -> None:
        subprocess.run(
            [str(SETUP), "device", str(self.dir), user, device], check=True, capture_output=True
        )
        if self._proc:
            self._proc.send_signal(signal.SIGHUP)  # reload passwords and ACL
            time.sleep(0.2)

    homeassistant: HomeSettings | None = None
    """Home Assistant's read-only login, once add_homeassistant() made it."""

    def add_homeassistant(self) -> HomeSettings:
        """Make Home Assistant's read-only login with the deploy script."""
        subprocess.run(
            [str(SETUP), "homeassistant", str(self.dir)], check=True, capture_output=True
        )
        self.homeassistant = self.home_settings().model_copy(
            update={
                "username": "homeassistant",
                "password_file": str(self.dir / "homeassistant.password"),
            }
        )
        return self.homeassistant

    @property
    def url(self) -> str:
        return f"mqtts://localhost:{self.port}"

    def device_settings(self, user: str, device: str, e2e_key_file: str = "") -> SyncSettings:
        secret = self.dir / "devices" / f"{user}-{device}" / "sync.password"
        return SyncSettings(
            broker=self.url,
            user=user,
            device=device,
            username=f"{user}-{device}",
            password_file=str(secret),
            ca_file=str(self.dir / "ca.crt"),
            e2e_key_file=e2e_key_file,
        )

    def home_settings(self) -> HomeSettings:
        made = tomllib.loads((self.dir / "home.toml").read_text())["home"]
        return HomeSettings(
            broker=self.url,
            username="home",
            group=made["group"],
            password_file=str(self.dir / "home.password"),
            ca_file=str(self.dir / "ca.crt"),
        )

    def start(self) -> LocalBroker:
        """Start (or restart, on the same port) and wait until it listens."""
        for _attempt in range(5):
            try:
                return self._start()
            except PortTaken:
                if self._started:
                    raise
                self._move_to(free_port())  # taken since we looked: take another
        return self._start()

    def _move_to(self, port: int) -> None:
        for name in ("mosquitto.conf", "home.toml"):
            path = self.dir / name
            text = path.read_text()
            text = text.replace(f"listener {self.port} ", f"listener {port} ")
            path.write_text(text.replace(f':{self.port}"', f':{port}"'))
        self.port = port

    def _start(self) -> LocalBroker:
        mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with open(self.log, "ab") as log:
            self._proc = subprocess.Popen(
                [mosquitto, "-c", str(self.dir / "mosquitto.conf")], stdout=log, stderr=log
            )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._proc = None
                said = self.log.read_text()[-2000:]
                if "Address already in use" in said:
                    raise PortTaken(said)
                raise RuntimeError(f"mosquitto exited: {said}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                self._started = True
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"mosquitto did not listen on {self.port}")

    def kill(self) -> None:
        """Crash it: SIGKILL, no goodbye to anyone."""
        if self._proc:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def stop(self) -> None:
        if self._proc:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            self._proc = None
