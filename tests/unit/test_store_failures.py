"""Only corruption is corruption: full, read-only and I/O failures move nothing; kept-aside
copies never overwrite each other; a damaged WAL that dropped acknowledged commits is reported."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from earpiece.store.database import Change, Store
from earpiece.store.errors import Failure, StoreBusy, StoreCorrupt, StoreError, classify
from earpiece.store.recovery import DB_FILE, kept_copies

GARBAGE = b"this is not sqlite" * 100


def _facts(state: Path) -> set[str]:
    with sqlite3.connect(state / DB_FILE) as conn:
        return {r[0] for r in conn.execute("SELECT json_extract(body, '$.text') FROM facts")}


def _filled(state: Path, texts: list[str]) -> None:
    store = Store.open(state)
    for text in texts:
        store.commit([Change("facts.put", f"fact:{text}", {"text": text})])
    store.close()


# --- corruption


def test_corrupt_copies_kept_aside_in_the_same_second_never_overwrite_each_other(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    kept = []
    for round_no in range(3):  # well within one second: the old name was per second
        (state / DB_FILE).write_bytes(GARBAGE + bytes([round_no]))
        for suffix in ("-wal", "-shm"):
            Path(f"{state / DB_FILE}{suffix}").unlink(missing_ok=True)
        opened = Store.open(state)
        assert opened.recovered_from is not None
        kept.append(opened.recovered_from)
        opened.close()
    assert len(set(kept)) == 3
    for round_no, path in enumerate(kept):
        assert path.read_bytes() == GARBAGE + bytes([round_no])  # each copy is still whole
    assert set(kept) <= set(kept_copies(state))


def test_a_corrupt_file_is_refused_without_recovery_and_left_in_place(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / DB_FILE).write_bytes(GARBAGE)
    with pytest.raises(StoreCorrupt, match="damaged"):
        Store.open(state, recover=False)
    assert (state / DB_FILE).read_bytes() == GARBAGE and kept_copies(state) == []


# --- not corruption: nothing moves


def test_a_full_disk_at_first_start_is_a_clear_error_and_moves_nothing(tmp_path, monkeypatch):
    state = tmp_path / "state"
    real_connect = Store._connect

    def tiny(path: Path) -> sqlite3.Connection:
        conn = real_connect(path)
        conn.execute("PRAGMA max_page_count = 2")  # SQLite itself reports SQLITE_FULL
        return conn

    monkeypatch.setattr(Store, "_connect", staticmethod(tiny))
    with pytest.raises(StoreError, match="disk is full") as caught:
        Store.open(state)
    assert not isinstance(caught.value, (StoreCorrupt, StoreBusy))
    assert str(state / DB_FILE) in str(caught.value)
    assert kept_copies(state) == []


def test_a_full_disk_during_a_commit_keeps_everything_acknowledged(tmp_path):
    state = tmp_path / "state"
    _filled(state, ["jazz", "tea"])
    store = Store.open(state)
    pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
    store._conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disk is full"):
        store.commit([Change("facts.put", "fact:big", {"text": "x" * 200_000})])
    store.commit([])  # nothing to do is still fine
    store.close()
    again = Store.open(state)
    assert again.recovered_from is None and again.lost is None
    assert {b["text"] for _, b in again.rows("facts")} == {"jazz", "tea"}
    again.close()
    assert kept_copies(state) == []


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True
    )
    return done.returncode == 0


def test_a_really_full_tmpfs_loses_nothing_and_moves_nothing(tmp_path):
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "200k"):
        pytest.skip("cannot mount a tmpfs here (needs CAP_SYS_ADMIN); max_page_count covers it")
    try:
        state = disk / "state"
        store = Store.open(state)
        acknowledged = []
        with pytest.raises(StoreError, match="disk is full") as caught:
            for i in range(10_000):
                store.commit([Change("facts.put", f"fact:{i}", {"text": f"{i} " + "y" * 900})])
                acknowledged.append(f"{i} " + "y" * 900)
        assert not isinstance(caught.value, (StoreCorrupt, StoreBusy))
        store.close()
        assert acknowledged and kept_copies(state) == []
        for _ in range(2):  # starting again on the full disk: an error or the data, never a move
            try:
                again = Store.open(state)
            except StoreError as exc:
                assert not isinstance(exc, StoreCorrupt)
            else:
                assert again.recovered_from is None
                assert {b["text"] for _, b in again.rows("facts")} == set(acknowledged)
                again.close()
            assert kept_copies(state) == []
        assert _facts(state) == set(acknowledged)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_an_immutable_database_is_read_only_not_locked_and_not_moved(tmp_path):
    state = tmp_path / "state"
    _filled(state, ["jazz"])
    db = state / DB_FILE
    if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported on this filesystem")
    try:
        store = Store.open(state)  # reading still works
        assert {b["text"] for _, b in store.rows("facts")} == {"jazz"}
        with pytest.raises(StoreError, match="read-only") as caught:
            store.commit([Change("facts.put", "fact:2", {"text": "later"})])
        assert not isinstance(caught.value, StoreBusy)
        assert "locked" not in str(caught.value)
        store.close()
    finally:
        subprocess.run(["chattr", "-i", str(db)], check=True)
    assert kept_copies(state) == [] and _facts(state) == {"jazz"}


def test_sqlite_result_codes_decide_not_message_text(tmp_path):
    db = tmp_path / "x.sqlite3"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as read_only:
        ro.execute("INSERT INTO t VALUES (1)")
    assert classify(read_only.value) is Failure.READ_ONLY
    (tmp_path / "junk").write_bytes(GARBAGE)
    with pytest.raises(sqlite3.DatabaseError) as junk:
        sqlite3.connect(tmp_path / "junk").execute("SELECT * FROM sqlite_master")
    assert classify(junk.value) is Failure.CORRUPT
    with pytest.raises(sqlite3.OperationalError) as cannot:
        sqlite3.connect(tmp_path / "no" / "such" / "dir.db")
    assert classify(cannot.value) is Failure.CANNOT_OPEN
    already = sqlite3.connect(":memory:")
    already.execute("CREATE TABLE meta (x)")
    with pytest.raises(sqlite3.OperationalError) as exists:
        already.execute("CREATE TABLE meta (x)")  # "already exists" is never corruption
    assert classify(exists.value) is Failure.OTHER
    assert classify(ValueError("locked")) is Failure.OTHER


# --- a damaged WAL


_WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from earpiece.store.database import Change, Store
    store = Store.open(Path(sys.argv[1]))
    store._conn.execute("PRAGMA wal_autocheckpoint = 0")
    for text in sys.argv[2:]:
        store.commit([Change("facts.put", "fact:" + text, {"text": text})])
        print(text, flush=True)  # acknowledged
    os._exit(0)  # like a kill: the WAL is not checkpointed away at close
    """
)


def _write_and_die(state: Path, texts: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _WRITER, str(state), *texts],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.split()


def _frames(wal: Path) -> int:
    page_size = int.from_bytes(wal.read_bytes()[8:12], "big")
    return (wal.stat().st_size - 32) // (24 + page_size)


def test_garbage_written_into_the_wal_is_reported_and_the_files_kept(tmp_path):
    state = tmp_path / "state"
    acknowledged = _write_and_die(state, ["jazz", "tea", "rain"])
    assert acknowledged == ["jazz", "tea", "rain"]
    wal = Path(f"{state / DB_FILE}-wal")
    page_size = int.from_bytes(wal.read_bytes()[8:12], "big")
    assert _frames(wal) >= 4
    with wal.open("r+b") as handle:  # overwrite the second frame: SQLite stops reading there
        handle.seek(32 + (24 + page_size) + 30)
        handle.write(b"\xde\xad" * 200)
    damaged = wal.read_bytes()
    store = Store.open(state)
    assert store.lost is not None and store.lost.count >= 1
    missing = {"jazz", "tea", "rain"} - {b["text"] for _, b in store.rows("facts")}
    assert missing  # SQLite really dropped acknowledged commits; we said so
    assert store.lost.kept_as in kept_copies(state)
    assert Path(f"{store.lost.kept_as}-wal").read_bytes() == damaged  # kept as found
    store.commit([Change("facts.put", "fact:new", {"text": "new"})])
    store.close()
    again = Store.open(state)
    assert again.lost is None  # reported once; the copy stays for recovery by hand
    again.close()


def test_garbage_appended_to_the_wal_loses_nothing_and_raises_no_alarm(tmp_path):
    state = tmp_path / "state"
    _write_and_die(state, ["jazz", "tea", "rain"])
    with Path(f"{state / DB_FILE}-wal").open("ab") as handle:
        handle.write(b"\x00garbage\xff" * 1000)
    store = Store.open(state)
    assert store.lost is None
    assert {b["text"] for _, b in store.rows("facts")} == {"jazz", "tea", "rain"}
    store.close()
    assert kept_copies(state) == []


def test_a_deleted_wal_after_a_kill_is_reported(tmp_path):
    state = tmp_path / "state"
    _write_and_die(state, ["jazz", "tea"])
    Path(f"{state / DB_FILE}-wal").unlink()
    Path(f"{state / DB_FILE}-shm").unlink(missing_ok=True)
    store = Store.open(state)
    assert store.lost is not None and store.lost.count >= 2
    store.close()


def test_a_restored_older_copy_is_reported_too(tmp_path):
    state = tmp_path / "state"
    _filled(state, ["jazz"])
    backup = tmp_path / "backup.sqlite3"
    shutil.copy2(state / DB_FILE, backup)
    _filled(state, ["tea"])
    shutil.copy2(backup, state / DB_FILE)
    store = Store.open(state)
    assert store.lost is not None and store.lost.count >= 1
    store.close()


def test_a_corrupt_file_in_an_immutable_folder_is_a_clear_error(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / DB_FILE).write_bytes(GARBAGE)
    if subprocess.run(["chattr", "+i", str(state)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported on this filesystem")
    try:
        with pytest.raises(StoreError) as caught:
            Store.open(state)
        assert str(state) in str(caught.value)
    finally:
        subprocess.run(["chattr", "-i", str(state)], check=True)
    assert (state / DB_FILE).read_bytes() == GARBAGE and kept_copies(state) == []


def test_opening_on_a_full_disk_says_the_disk_is_full_not_an_io_error(tmp_path):
    """SQLite cannot make the -shm file on a full disk and says SQLITE_IOERR_SHMSIZE: that is
    a full disk (free space), not a failing SD card."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "300k"):
        pytest.skip("cannot mount a tmpfs here (needs CAP_SYS_ADMIN)")
    try:
        state = disk / "state"
        store = Store.open(state)
        store.commit([Change("facts.put", "fact:1", {"text": "kept"})])
        store.close()
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        with contextlib.suppress(OSError):  # until the disk is full (ENOSPC)
            while True:
                os.write(filler, b"\0" * 1024)
        os.close(filler)
        with pytest.raises(StoreError) as caught:
            Store.open(state)
        assert "disk is full" in str(caught.value) and "SD card" not in str(caught.value)
        assert not isinstance(caught.value, StoreCorrupt) and kept_copies(state) == []
        (disk / "filler").unlink()
        assert _facts(state) == {"kept"}
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
