"""Forget means gone (one transaction, kept-aside copies, temp audio) and export never lies
(a damaged database fails; --out refuses devices, folders and symlinks; writes atomically)."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from earpiece.store.database import DB_FILE, kept_copies
from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration
SECRET = "zebra seventeen"


def run(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [*earpiece_cmd(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=300
    )


def raw_bytes(state: Path) -> bytes:
    return b"".join(p.read_bytes() for p in state.iterdir() if p.is_file())


# --- forget in one transaction

_FORGET_THEN_DIE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.nlu.model import NluModel
    from earpiece.store.database import Store

    store = Store.open(Path(sys.argv[1]))
    companion = Companion(store, NluModel.load(), load_settings())
    companion.respond("remember that my locker code is zebra seventeen")
    companion.respond("what is my locker code")
    companion.respond("forget my locker code")  # forgetting always asks first
    real_commit = Store.commit

    def commit_then_die(self, changes):
        changes = list(changes)
        events = real_commit(self, changes)
        if any(c.type == "facts.delete" for c in changes if hasattr(c, "type")):
            os._exit(9)  # the power goes right after the forget's commit
        return events

    Store.commit = commit_then_die
    Store.checkpoint = lambda self: os._exit(9)
    Store._finish_redaction = lambda self: os._exit(9)
    companion.respond("yes")
    os._exit(3)  # not reached: the forget commits
    """
)


def test_a_crash_right_after_the_forget_commit_leaves_no_plaintext(tmp_path: Path):
    state = tmp_path / "state"
    done = subprocess.run(
        [sys.executable, "-c", _FORGET_THEN_DIE, str(state)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 9, done.stderr
    with sqlite3.connect(f"file:{state / DB_FILE}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM facts WHERE deleted = 0").fetchone()[0] == 0
        logged = [r[0] for r in conn.execute("SELECT body FROM events")]
        rows = [
            r[0]
            for t in ("facts", "turns", "dialog", "mood")
            for r in conn.execute(f"SELECT body FROM {t}")
        ]
    assert logged and not [b for b in logged + rows if "zebra" in b]
    from earpiece.store.database import Store

    Store.open(state).close()  # the next start finishes the checkpoint the crash cut short
    assert b"zebra" not in raw_bytes(state)


def test_a_failing_redaction_rolls_the_forget_back_whole(make_companion, tmp_path, monkeypatch):
    from earpiece.store.database import Store, StoreError

    companion = make_companion(tmp_path / "s")
    companion.respond(f"remember that my locker code is {SECRET}")
    companion.respond("forget my locker code")  # forgetting always asks first

    def broken(conn, redaction):
        raise sqlite3.OperationalError("disk I/O error (injected)")

    monkeypatch.setattr(Store, "_redact", staticmethod(broken))
    with pytest.raises(StoreError):
        companion.respond("yes")
    monkeypatch.undo()
    assert companion.store.count("facts") == 1  # not half forgotten: nothing changed
    assert companion.store.events()[-1].type != "facts.delete"


# --- forget everything: kept copies and audio too


def test_forget_yes_removes_kept_copies_and_leftover_tts_audio(tmp_path: Path, cli_env):
    state = tmp_path / "state"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**cli_env, "TMPDIR": str(temp)}
    assert run(["chat", "--once", f"remember that my locker code is {SECRET}"], env).returncode == 0
    db = state / DB_FILE
    corrupt = state / f"{DB_FILE}.corrupt-20260101-000000-1"
    corrupt.write_bytes(db.read_bytes() + SECRET.encode())
    Path(f"{corrupt}-wal").write_bytes(SECRET.encode())
    damaged = state / f"{DB_FILE}.wal-damaged-20260101-000000-1"
    damaged.write_bytes(SECRET.encode())
    leftover = temp / "earpiece-tts-old"
    leftover.mkdir()
    (leftover / "sentence.wav").write_bytes(b"RIFF" + SECRET.encode())
    erased = run(["forget", "--yes"], env)
    assert erased.returncode == 0, erased.stderr
    assert kept_copies(state) == [] and not leftover.exists()
    assert b"zebra" not in raw_bytes(state)
    assert "3 kept-aside database files and 1 temporary audio files" in erased.stdout


@pytest.mark.slow  # three voice turns in subprocesses: ~21 s
def test_no_reply_audio_is_left_after_turns(tmp_path: Path, cli_env, say):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**cli_env, "TMPDIR": str(temp)}
    wav = say("remember that my locker code is zebra seventeen", voice="en")
    done = run(["turn", "--wav", str(wav), "--out", str(tmp_path / "reply.wav")], env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reply.wav").stat().st_size > 44  # it did speak
    assert [p for p in temp.rglob("*") if p.suffix == ".wav"] == []
    assert list(temp.glob("earpiece-tts-*")) == []
    assert run(["listen", "--wav", str(wav)], env).returncode == 0
    assert list(temp.glob("earpiece-tts-*")) == []  # not even an empty render folder


# --- export


def test_export_of_a_damaged_database_fails_and_writes_nothing(tmp_path: Path, cli_env):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    garbage = b"this is not sqlite" * 100
    (state / DB_FILE).write_bytes(garbage)
    out = tmp_path / "export.json"
    done = run(["export", "--out", str(out)], cli_env | {"EARPIECE_STATE_DIR": str(state)})
    assert done.returncode != 0
    assert "damaged" in done.stderr and str(state / DB_FILE) in done.stderr.replace("\n", "")
    assert not out.exists()
    assert (state / DB_FILE).read_bytes() == garbage and kept_copies(state) == []


def _export(out: Path, env: dict[str, str], *extra: str):
    return run(["export", "--out", str(out), *extra], env)


def test_export_refuses_a_directory_a_fifo_and_a_device(tmp_path: Path, cli_env):
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    targets = [folder, fifo]
    try:
        os.mknod(tmp_path / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))  # like /dev/full
        targets.append(tmp_path / "full")
    except PermissionError:
        pass  # not root: the FIFO stands in for device nodes
    for target in targets:
        before = target.lstat()
        done = _export(target, cli_env)
        assert done.returncode == 2 and "earpiece: error:" in done.stderr, target
        assert "Traceback" not in done.stderr
        after = target.lstat()
        assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode), target
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_refuses_a_symlink_unless_asked_and_then_keeps_the_link(tmp_path: Path, cli_env):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    refused = _export(link, cli_env)
    assert refused.returncode == 2 and "symbolic link" in refused.stderr
    assert link.is_symlink() and target.read_text() == "old"
    followed = _export(link, cli_env, "--follow-symlinks")
    assert followed.returncode == 0, followed.stderr
    assert link.is_symlink() and json.loads(target.read_text())["format"].startswith("earpiece")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


_WRITE_AND_DIE = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from earpiece.store.database import Change, Store
    store = Store.open(Path(sys.argv[1]))
    for text in ("jazz", "tea", "rain"):
        store.commit([Change("facts.put", "fact:" + text, {"text": text})])
    os._exit(0)  # killed: the WAL is not checkpointed away
    """
)


def test_the_cli_says_when_a_damaged_wal_dropped_acknowledged_changes(tmp_path: Path, cli_env):
    state = tmp_path / "state"
    subprocess.run([sys.executable, "-c", _WRITE_AND_DIE, str(state)], check=True)
    wal = Path(f"{state / DB_FILE}-wal")
    with wal.open("r+b") as handle:
        handle.seek(32 + 24 + 4096 + 100)  # inside the second frame
        handle.write(b"\xde\xad" * 100)
    done = run(
        ["export", "--out", str(tmp_path / "x.json")], {**cli_env, "EARPIECE_STATE_DIR": str(state)}
    )
    assert done.returncode == 0, done.stderr
    assert "acknowledged changes are missing" in done.stderr
    assert "wal-damaged" in done.stderr and kept_copies(state)
