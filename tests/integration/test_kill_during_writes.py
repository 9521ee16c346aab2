"""SIGKILL in the middle of a burst of writes, many times: the file stays whole and no
acknowledged turn is lost. A reply printed by `earpiece chat --json` is the acknowledgement.

This is a process crash, not a power cut: the kernel's page cache survives a SIGKILL, so this
test passes with synchronous=OFF too. What synchronous=FULL buys is shown by test_power_cut.py,
which throws away every write that was not fsynced."""

from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROUNDS = 12


def _burst(state: Path, env: dict[str, str], round_no: int, kill_after: float) -> list[str]:
    proc = subprocess.Popen(
        [*earpiece_cmd(), "chat", "--json", "--state-dir", str(state)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, env=env,
    )  # fmt: skip
    acknowledged: list[str] = []

    def feed() -> None:
        try:
            for i in range(10_000):
                assert proc.stdin is not None
                proc.stdin.write(f"remember that round {round_no} item {i} is blue\n")
                proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    assert proc.stdout is not None
    first = proc.stdout.readline()  # the store is open and turns are being written
    acknowledged.append(json.loads(first)["heard"])
    deadline = time.monotonic() + kill_after

    def kill() -> None:
        time.sleep(max(0.0, deadline - time.monotonic()))
        proc.kill()  # SIGKILL: no cleanup (the page cache survives it)

    threading.Thread(target=kill, daemon=True).start()
    for line in proc.stdout:
        try:
            acknowledged.append(json.loads(line)["heard"])
        except json.JSONDecodeError:
            break  # a half-written line: not acknowledged
    proc.wait(timeout=30)
    return acknowledged


def test_a_process_killed_during_writes_loses_no_acknowledged_turn(tmp_path: Path, cli_env):
    state = tmp_path / "state"
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    for round_no in range(ROUNDS):
        acknowledged += _burst(state, cli_env, round_no, rng.uniform(0.05, 1.2))
    with sqlite3.connect(state / "earpiece.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT json_extract(body, '$.text') FROM turns")}
        seqs = [row[0] for row in conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert len(acknowledged) > ROUNDS  # the bursts did write
    missing = [text for text in acknowledged if text not in stored]
    assert missing == []
    assert seqs == list(range(1, len(seqs) + 1))  # the log has no holes
