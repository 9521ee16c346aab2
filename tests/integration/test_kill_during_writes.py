"""SIGKILL in the middle of a burst of writes, many times: the file stays whole and no
acknowledged turn is lost. A reply printed by `earpiece chat --json` is the acknowledgement.

This is a process crash, not a power cut: the kernel's page cache survives a SIGKILL, so this
test passes with synchronous=OFF too. What synchronous=FULL buys is shown by test_power_cut.py,
which throws away every write that was not fsynced."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from tests.integration.bursts import chat_burst

pytestmark = [pytest.mark.integration, pytest.mark.slow]
ROUNDS = 12


def test_a_process_killed_during_writes_loses_no_acknowledged_turn(tmp_path: Path, cli_env):
    state = tmp_path / "state"
    rng = random.Random(20261127)
    acknowledged: list[str] = []
    for round_no in range(ROUNDS):
        acknowledged += chat_burst(
            {**cli_env, "EARPIECE_STATE_DIR": str(state)}, round_no, rng.uniform(0.05, 1.2)
        )
    with sqlite3.connect(state / "earpiece.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT json_extract(body, '$.text') FROM turns")}
        seqs = [row[0] for row in conn.execute("SELECT seq FROM events ORDER BY seq")]
    assert len(acknowledged) > ROUNDS  # the bursts did write
    missing = [text for text in acknowledged if text not in stored]
    assert missing == []
    assert seqs == list(range(1, len(seqs) + 1))  # the log has no holes
