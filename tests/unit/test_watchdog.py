"""The sd_notify protocol against a real AF_UNIX datagram socket, as systemd listens."""

from __future__ import annotations

import os
import socket
import threading
import time
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


def drain(sock: socket.socket) -> list[bytes]:
    got = []
    sock.settimeout(0.05)
    try:
        while True:
            got.append(sock.recv(256))
    except TimeoutError:
        return got


def feeder_for(path: Path, stall_s: float = 0.4, mic_alive=None, ready=None):
    from earpiece.hardware.watchdog import Heartbeat, WatchdogFeeder

    dog = Watchdog.from_env({"NOTIFY_SOCKET": str(path), "WATCHDOG_USEC": "300000"})
    heartbeat = Heartbeat()
    return WatchdogFeeder(dog, heartbeat, stall_s, mic_alive, ready, period_s=0.05), heartbeat


def test_feeder_pings_while_the_loop_beats_and_stops_when_it_is_stuck(listener):
    path, sock = listener
    feeder, heartbeat = feeder_for(path)
    heartbeat.beat()
    assert feeder.check() and drain(sock) == [b"WATCHDOG=1"]
    time.sleep(0.5)  # the loop is stuck longer than stall_s
    assert not feeder.check()
    assert drain(sock) == [b"STATUS=the device loop made no progress for over 0.4 s"]
    assert not feeder.check() and drain(sock) == []  # said once; no ping
    heartbeat.beat()
    assert feeder.check() and drain(sock) == [b"WATCHDOG=1"]


def test_feeder_stops_when_the_microphone_is_dead(listener):
    path, sock = listener
    alive = [True]
    feeder, _ = feeder_for(path, stall_s=60, mic_alive=lambda: alive[0])
    assert feeder.check()
    alive[0] = False
    assert not feeder.check()
    assert b"microphone stream is dead" in b"".join(drain(sock))


def test_feeder_sends_ready_once_the_runtime_is_ready(listener):
    path, sock = listener
    ready = threading.Event()
    feeder, _ = feeder_for(path, stall_s=60, ready=ready)
    feeder.check()
    assert drain(sock) == [b"WATCHDOG=1"]
    ready.set()
    feeder.check()
    feeder.check()
    assert drain(sock) == [b"READY=1\nSTATUS=listening", b"WATCHDOG=1", b"WATCHDOG=1"]


def test_a_long_reply_keeps_the_watchdog_fed_though_the_loop_is_busy(listener, tmp_path: Path):
    """A reply plays for 1.5 s while the loop thread is inside it (no loop beat), with a
    stall limit of 0.4 s: the speaker's blocks beat, so pings go on the whole time."""
    import numpy as np

    from earpiece.hardware.speaker import WavSpeaker

    path, sock = listener
    feeder, heartbeat = feeder_for(path)
    speaker = WavSpeaker(tmp_path / "reply.wav", realtime=True)
    speaker.on_block = heartbeat.beat
    feeder.start()
    try:
        speaker.play(np.zeros(int(22050 * 1.5), np.int16), 22050)
        during = drain(sock)
        time.sleep(0.6)  # the reply is over and nothing beats: stuck
        after = drain(sock)
    finally:
        feeder.stop()
        speaker.close()
    assert not any(b"no progress" in m for m in during), during  # healthy all along
    assert during.count(b"WATCHDOG=1") >= 5
    assert after and b"no progress" in after[-1]  # then no ping after it
