"""One MQTT 5 connection kept up on its own thread: TLS, a login, backoff with jitter."""

from __future__ import annotations

import ipaddress
import logging
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from earpiece.config import HomeSettings, SyncSettings

log = logging.getLogger("earpiece.sync")

KEEPALIVE_S = 30
BACKOFF_MIN_S = 0.5
BACKOFF_MAX_S = 30.0


class SyncError(Exception):
    """Sync is misconfigured or the broker cannot be reached; the message says what to fix."""


@dataclass(frozen=True)
class Login:
    """Where the broker is and how to log in, with secrets read from their files."""

    host: str
    port: int
    tls: bool
    username: str
    password: str
    ca_file: str

    @property
    def where(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"


def on_loopback(host: str) -> bool:
    """Whether the host name or address is this machine (no bytes leave it)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def login_from(settings: SyncSettings | HomeSettings, section: str = "sync") -> Login:
    """The login for a [sync] or [home] section; SyncError names the key and file when not."""
    url = urlsplit(settings.broker)
    tls = url.scheme == "mqtts"
    if url.scheme not in ("mqtt", "mqtts"):
        raise SyncError(
            f"[{section}] broker {settings.broker!r}: use mqtts://HOST:8883 (TLS); "
            "mqtt:// only for a broker on this machine"
        )
    if not tls and not on_loopback(url.hostname or ""):
        raise SyncError(
            f"[{section}] broker {settings.broker!r}: mqtt:// sends the password and every "
            "event in clear; use mqtts:// with the home's ca.crt (mqtt:// is allowed only "
            "for a broker on this machine: localhost, 127.0.0.1, ::1)"
        )
    password = settings.password
    if settings.password_file:
        path = Path(settings.password_file).expanduser()
        try:
            password = path.read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, UnicodeDecodeError, IndexError) as exc:
            why = "the file is empty" if isinstance(exc, IndexError) else str(exc)
            raise SyncError(
                f"[{section}] password_file {path}: cannot read the password ({why}); "
                "point it at the file deploy/home/earpiece-home-setup wrote"
            ) from None
    if settings.ca_file and not Path(settings.ca_file).expanduser().is_file():
        raise SyncError(
            f"[{section}] ca_file {settings.ca_file}: no such file; copy ca.crt from the home "
            "server's deploy/home directory"
        )
    return Login(
        url.hostname or "",
        url.port or (8883 if tls else 1883),
        tls,
        settings.username,
        password,
        str(Path(settings.ca_file).expanduser()) if settings.ca_file else "",
    )


def new_client(login: Login, client_id: str) -> mqtt.Client:
    """A paho-mqtt 2 client speaking MQTT 5, with the TLS and credentials of `login`."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.username_pw_set(login.username, login.password)
    if login.tls:
        context = ssl.create_default_context(cafile=login.ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        client.tls_set_context(context)
    client.max_inflight_messages_set(64)
    client.max_queued_messages_set(0)
    return client


_rng = random.Random()


def backoff(attempt: int, rng: random.Random = _rng) -> float:
    """A random wait before reconnect number `attempt` (0-based): doubling, capped, and
    spread over the upper half of its range."""
    ceiling = min(BACKOFF_MAX_S, BACKOFF_MIN_S * 2**attempt)
    return rng.uniform(ceiling / 2, ceiling)


class Link:
    """Keeps one client connected on paho's network thread until stopped; never raises.

    paho retries with a doubling delay (BACKOFF_MIN_S to BACKOFF_MAX_S); each retry first
    waits a random extra share of that delay (jitter), so that many devices that lost the
    broker together do not all come back in the same instant. `on_up()` runs on the network
    thread after each successful CONNACK (subscribe there).
    """

    def __init__(
        self,
        login: Login,
        client_id: str,
        on_up: Callable[[], None],
        on_message: Callable[[str, bytes], None],
        will: tuple[str, bytes] | None = None,
    ) -> None:
        self.login = login
        self.client = new_client(login, client_id)
        self.up = threading.Event()
        self.last_error = ""
        self._on_up = on_up
        self._stop = threading.Event()
        self._attempt = 0
        if will:
            self.client.will_set(will[0], will[1], qos=1, retain=True)
        # paho's hint says int; it doubles and compares the delays as numbers (0.5 s works)
        self.client.reconnect_delay_set(BACKOFF_MIN_S, BACKOFF_MAX_S)  # type: ignore[arg-type]
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_connect_fail = self._failed
        self.client.on_message = lambda _c, _u, m: on_message(m.topic, bytes(m.payload))

    def start(self) -> None:
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = 0
        self.client.connect_async(
            self.login.host, self.login.port, KEEPALIVE_S, clean_start=True, properties=props
        )
        self.client.loop_start()

    def stop(self, last: tuple[str, bytes] | None = None) -> None:
        """Publish `last` (retained) if connected, disconnect cleanly, and join the thread."""
        if last and self.up.is_set():
            info = self.client.publish(last[0], last[1], qos=1, retain=True)
            deadline = time.monotonic() + 2
            while not info.is_published() and time.monotonic() < deadline and self.up.is_set():
                time.sleep(0.01)
        self._stop.set()
        self.client.disconnect()
        self.client.loop_stop()
        self.up.clear()

    def publish(
        self, topic: str, payload: bytes, qos: int = 1, retain: bool = False
    ) -> mqtt.MQTTMessageInfo:
        return self.client.publish(topic, payload, qos=qos, retain=retain)

    def _connected(self, client, _userdata, _flags, reason, _props) -> None:
        if reason.is_failure:
            self.last_error = f"the broker refused the login as {self.login.username!r}: {reason}"
            log.error("%s: %s", self.login.where, self.last_error)
            return
        self._attempt = 0
        self.last_error = ""
        self.up.set()
        try:
            self._on_up()
        except Exception:  # a bug in a handler must not take the link down
            log.exception("sync: on connect")

    def _disconnected(self, _client, _userdata, _flags, reason, _props) -> None:
        self.up.clear()
        if not self._stop.is_set():
            log.info("%s: disconnected (%s)", self.login.where, reason)
            self._jitter()

    def _failed(self, _client, _userdata) -> None:
        self.last_error = f"cannot connect to {self.login.where}"
        log.info("%s", self.last_error)
        self._jitter()

    def _jitter(self) -> None:
        self._stop.wait(backoff(self._attempt) / 2)
        self._attempt += 1


def check(login: Login, timeout_s: float = 5.0) -> tuple[bool, str]:
    """Connect once with TLS and the login, wait for CONNACK; (ok, one line on what happened)."""
    client = new_client(login, f"earpiece-check-{random.getrandbits(32):08x}")
    result: list[str] = []
    client.on_connect = lambda _c, _u, _f, reason, _p: result.append(
        ""
        if not reason.is_failure
        else f"the broker refused the login as {login.username!r}: {reason}"
    )
    try:
        client.connect(login.host, login.port, keepalive=10)
    except ssl.SSLCertVerificationError as exc:
        return (
            False,
            f"{login.where}: TLS certificate not trusted ({exc.verify_message}); "
            "check [sync] ca_file",
        )
    except (OSError, ssl.SSLError) as exc:
        return False, f"{login.where}: cannot connect ({exc})"
    deadline = time.monotonic() + timeout_s
    while not result and time.monotonic() < deadline:
        if client.loop(timeout=0.1) != mqtt.MQTT_ERR_SUCCESS:
            break
    client.disconnect()
    if not result:
        return False, f"{login.where}: no answer from the broker within {timeout_s:g} s"
    if result[0]:
        return False, f"{login.where}: {result[0]}"
    tls = "TLS" if login.tls else "no TLS"
    return True, f"{login.where}: logged in as {login.username} ({tls})"
