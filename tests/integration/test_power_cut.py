"""A simulated power cut that really loses unsynced writes: an LD_PRELOAD shim (powercut/shim.c,
compiled here with the system C compiler) copies a file to a "disk" folder only when it is
fsynced; after a SIGKILL the state dir is replaced by that disk. Every turn `earpiece chat
--json` acknowledged must be there and the database must open whole. A control run with
synchronous=NORMAL shows the shim does lose what was not synced."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from earpiece.store.database import DB_FILE
from tests.integration.bursts import chat_burst

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SHIM = Path(__file__).with_name("powercut") / "shim.c"
ROUNDS = 6


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build the power-cut shim (apt-get install gcc)")
    built = tmp_path_factory.mktemp("shim") / "powercut.so"
    subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", str(built), str(SHIM), "-ldl"],
        check=True,
        capture_output=True,
    )
    return built


def _cut_power(state: Path, disk: Path) -> None:
    """What the disk holds after the cut: each file as last fsynced; never-synced files (and
    the shared-memory index) gone; files the process deleted stay deleted."""
    for path in state.iterdir():
        synced = disk / path.name
        if synced.is_file() and not path.name.endswith("-shm"):
            shutil.copyfile(synced, path)
        else:
            path.unlink()
    for synced in disk.iterdir():
        if not (state / synced.name).exists():
            synced.unlink()  # deleted by the process: the directory change stays


def _env(base: dict[str, str], shim: Path, state: Path, disk: Path) -> dict[str, str]:
    return {
        **base,
        "EARPIECE_STATE_DIR": str(state),
        "LD_PRELOAD": str(shim),
        "PCUT_WATCH": os.path.realpath(state),
        "PCUT_DISK": os.path.realpath(disk),
    }


def _turns(state: Path, scratch: Path) -> tuple[str, set[str], list[int]]:
    """Read a copy: opening the files read-write would checkpoint them behind the shim's back."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(state, scratch)
    with sqlite3.connect(scratch / DB_FILE) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        texts = {r[0] for r in conn.execute("SELECT json_extract(body, '$.text') FROM turns")}
        seqs = [r[0] for r in conn.execute("SELECT seq FROM events ORDER BY seq")]
    return check, texts, seqs


def test_a_power_cut_loses_no_acknowledged_turn(tmp_path: Path, cli_env, shim: Path):
    state, disk = tmp_path / "state", tmp_path / "disk"
    state.mkdir(mode=0o700)
    disk.mkdir()
    env = _env(cli_env, shim, state, disk)
    rng = random.Random(20261201)
    acknowledged: list[str] = []
    for round_no in range(ROUNDS):
        acknowledged += chat_burst(env, round_no, rng.uniform(0.1, 1.5))
        _cut_power(state, disk)
        check, stored, seqs = _turns(state, tmp_path / "check")  # what the next boot reads
        assert check == "ok"
        assert [t for t in acknowledged if t not in stored] == [], f"round {round_no}"
        assert seqs == list(range(1, len(seqs) + 1))  # the log has no holes
    assert len(acknowledged) > 2 * ROUNDS  # the bursts did write between the cuts


_WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from earpiece.store.database import Change, Store
    store = Store.open(Path(sys.argv[1]))
    store._conn.execute("PRAGMA synchronous = " + sys.argv[2])
    for i in range(60):
        store.commit([Change("facts.put", f"fact:{i}", {"text": f"item {i}"})])
        print(i, flush=True)  # acknowledged
    os._exit(0)  # the power goes: no close, no checkpoint
    """
)


@pytest.mark.parametrize("synchronous", ["FULL", "NORMAL"])
def test_what_synchronous_full_buys(tmp_path: Path, shim: Path, synchronous: str):
    state, disk = tmp_path / "state", tmp_path / "disk"
    state.mkdir(mode=0o700)
    disk.mkdir()
    env = _env(dict(os.environ), shim, state, disk)
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(state), synchronous],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert len(done.stdout.split()) == 60
    _cut_power(state, disk)
    with sqlite3.connect(state / DB_FILE) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        kept = conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0] if "facts" in tables else 0
    if synchronous == "FULL":
        assert kept == 60  # every acknowledged commit was on the disk
    else:
        assert kept < 60  # without a sync per commit, acknowledged commits are lost: the shim bites


_FORGETTER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from earpiece.store.database import Change, Store
    from earpiece.sync import protocol as p
    from earpiece.sync.fleet import obey_forget
    store = Store.open(Path(sys.argv[1]))
    store.commit([Change("facts.put", f"old:{n}", {"text": "x" * 300}) for n in range(3000)])
    [tombstone] = store.commit([Change(p.FORGET_ALL, "forget", {})])
    for n in range(20):
        store.commit([Change("facts.put", f"new:{n}", {"text": f"said after the forget {n}"})])
    print("ready", flush=True)
    obey_forget(store, tombstone)
    print("done", flush=True)
    """
)


def test_a_power_cut_while_a_forget_is_obeyed_leaves_before_or_after(tmp_path: Path, shim: Path):
    """Cut at a random moment of obeying a fleet forget: the old facts are all there or all
    gone, and what was said after the forget is always there."""
    rng = random.Random(20261202)
    for round_no in range(6):
        state, disk = tmp_path / f"state{round_no}", tmp_path / f"disk{round_no}"
        state.mkdir(mode=0o700)
        disk.mkdir()
        proc = subprocess.Popen(
            [sys.executable, "-c", _FORGETTER, str(state)],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(dict(os.environ), shim, state, disk),
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        try:
            proc.wait(timeout=rng.uniform(0.0, 0.4))
        except subprocess.TimeoutExpired:
            proc.kill()
        finished = proc.wait() == 0
        _cut_power(state, disk)
        with sqlite3.connect(state / DB_FILE) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            keys = {r[0] for r in conn.execute("SELECT key FROM facts WHERE deleted = 0")}
        assert {f"new:{n}" for n in range(20)} <= keys, f"round {round_no}"
        old = {k for k in keys if k.startswith("old:")}
        assert len(old) in (0, 3000), f"round {round_no}: {len(old)} old facts, half forgotten"
        if finished:
            assert not old
