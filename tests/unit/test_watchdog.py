"""The sd_notify protocol against a real AF_UNIX datagram socket, as systemd listens."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest

from earpiece.hardware.watchdog import Watchdog


@pytest.fixture
def listener(tmp_path: Path):
    path = tmp_path / "notify"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    yield path, sock
    sock.close()


def test_outside_systemd_nothing_is_sent():
    dog = Watchdog.from_env({})
    assert not dog.enabled
    assert (dog.ready(), dog.ping(), dog.stopping()) == (False, False, False)


def test_ready_ping_and_stopping_reach_the_socket(listener):
    path, sock = listener
    dog = Watchdog.from_env({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "30000000"})
    assert dog.interval_s == 30.0
    assert dog.ready()
    assert sock.recv(256) == b"READY=1\nSTATUS=listening"
    assert dog.ping()
    assert sock.recv(256) == b"WATCHDOG=1"
    assert not dog.ping()  # again at once: rate-limited to a third of WatchdogSec
    assert dog.stopping()
    assert sock.recv(256) == b"STOPPING=1"


def test_abstract_namespace_socket():
    name = f"earpiece-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(5)
        assert Watchdog.from_env({"NOTIFY_SOCKET": "@" + name}).ready("x")
        assert sock.recv(64) == b"READY=1\nSTATUS=x"


def test_watchdog_meant_for_another_pid_is_ignored(listener):
    path, _ = listener
    env = {"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"}
    if os.getpid() == 1:
        pytest.skip("this test runs as pid 1")
    dog = Watchdog.from_env(env)
    assert dog.interval_s is None and not dog.ping()


def test_a_vanished_socket_is_not_an_error(tmp_path: Path):
    assert not Watchdog(str(tmp_path / "gone")).ready()


def test_alive_sends_ready_once_then_pings(listener):
    path, sock = listener
    dog = Watchdog.from_env({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "3"})
    assert dog.alive() and sock.recv(64).startswith(b"READY=1")
    assert dog.alive() and sock.recv(64) == b"WATCHDOG=1"
