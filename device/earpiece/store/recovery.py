"""The files around the state database: the ack sidecar, the lock, and the copies kept aside.

Every commit bumps a counter that is written, after the commit, to a sidecar file
(`earpiece.sqlite3.ack`); a database that opens behind its sidecar has lost acknowledged
commits (e.g. a damaged WAL): its files are copied aside as found and the store says so. A
corrupt database is moved aside under a unique name before a fresh one is started.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from earpiece.store.errors import StoreError
from earpiece.store.migrations import version

DB_FILE = "earpiece.sqlite3"
"""The state database's file name inside the state folder."""
ACK_SUFFIX = ".ack"
"""Sidecar beside the database: this device's id and the number of its last acknowledged commit."""
LOCK_SUFFIX = ".lock"
"""Lock file held while a damaged database is kept aside, so two starts never race on it."""
KEPT_MARKERS = (".corrupt-", ".wal-damaged-")
"""Infixes of the copies kept aside (`earpiece.sqlite3.corrupt-<time>-<n>[-wal|-shm]`)."""


@dataclass(frozen=True)
class LostCommits:
    """Acknowledged commits the database no longer holds, and where its files were copied."""

    acknowledged: int
    """The last commit number the sidecar recorded as acknowledged."""
    present: int
    """The last commit number the database holds."""
    kept_as: Path
    """The copy of the database (and `-wal`) as found, for recovery by hand."""

    @property
    def count(self) -> int:
        return self.acknowledged - self.present


def kept_copies(state_dir: Path) -> list[Path]:
    """Every copy of the database kept aside in `state_dir` (corrupt or with a damaged WAL)."""
    if not state_dir.is_dir():
        return []
    return sorted(
        p
        for p in state_dir.iterdir()
        if p.name.startswith(DB_FILE) and any(m in p.name for m in KEPT_MARKERS)
    )


def _unique_aside(path: Path, marker: str) -> Path:
    """A name for a kept-aside copy that no earlier copy (nor its -wal/-shm) has."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        aside = path.with_name(f"{path.name}{marker}{stamp}-{n}")
        if not any(Path(f"{aside}{s}").exists() for s in ("", "-wal", "-shm")):
            return aside
    raise StoreError(f"{path.parent}: too many kept-aside copies; move some away")


@contextmanager
def state_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between earpiece processes, for switching a new file to WAL and for
    moving or copying files aside."""
    try:
        fd = os.open(f"{path}{LOCK_SUFFIX}", os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise StoreError(
            f"{path}{LOCK_SUFFIX}: cannot create the lock file that earpiece processes take "
            f"turns with ({exc.strerror}); make {path.parent} writable"
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def move_aside(path: Path) -> Path:
    """Move a corrupt database (with its -wal and -shm) aside under a unique name, and drop
    its sidecar, which described that file; returns the new name. Hold `state_lock`."""
    aside = _unique_aside(path, ".corrupt-")
    try:
        for suffix in ("", "-wal", "-shm"):
            src = Path(f"{path}{suffix}")
            if src.exists():
                src.rename(f"{aside}{suffix}")
        Path(f"{path}{ACK_SUFFIX}").unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(
            f"{path}: the state database is damaged and cannot be moved aside "
            f"({exc.strerror}); move it away by hand"
        ) from None
    return aside


class AckSidecar:
    """The sidecar that records the last acknowledged commit, written after each commit.

    It is written only after SQLite's COMMIT returned (and, with synchronous=FULL, after the
    WAL was fsynced), so it is never ahead of what the database holds durably; a database
    found behind it has lost acknowledged commits. It is not fsynced itself: a power cut can
    leave it behind (fewer detections), never ahead (no false alarm).

    Threads: the store calls `write` and `close` under its own lock.
    """

    _WIDTH = 64

    def __init__(self, path: Path) -> None:
        self.path = Path(f"{path}{ACK_SUFFIX}")
        self._fd: int | None = None

    def read(self) -> tuple[str, int] | None:
        try:
            device, number = self.path.read_text(encoding="ascii").split()
            return device, int(number)
        except (OSError, ValueError, UnicodeDecodeError):
            return None  # absent or unreadable: nothing to compare with

    def write(self, device: str, number: int) -> None:
        record = f"{device} {number}".ljust(self._WIDTH - 1).encode("ascii") + b"\n"
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            os.pwrite(self._fd, record, 0)
        except OSError:
            pass  # the commit itself succeeded; the check is only weaker until the next one

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def check_acknowledged(conn: sqlite3.Connection, path: Path) -> LostCommits | None:
    """Compare the database with its sidecar before anything writes; on a shortfall, copy the
    files (database and WAL, as found) aside, because the next write overwrites the WAL."""
    ack = AckSidecar(path).read()  # read before the database: the sidecar never runs ahead
    if ack is None or ack[1] == 0:
        return None
    device, acknowledged = ack
    present = 0
    if version(conn) >= 1:
        rows = dict(
            conn.execute(
                "SELECT name, value FROM meta WHERE name IN ('device_id', 'commits')"
            ).fetchall()
        )
        if rows.get("device_id") == device:
            present = int(rows.get("commits") or 0)
    if present >= acknowledged:
        return None
    with state_lock(path):
        aside = _unique_aside(path, ".wal-damaged-")
        try:
            for suffix in ("", "-wal"):
                if Path(f"{path}{suffix}").exists():
                    shutil.copy2(f"{path}{suffix}", f"{aside}{suffix}")
        except OSError as exc:
            raise StoreError(
                f"{path}: {acknowledged - present} acknowledged changes are missing from the "
                f"state database (a damaged WAL?) and it cannot be copied aside "
                f"({exc.strerror}); copy {path.name}* away by hand before using earpiece"
            ) from None
    return LostCommits(acknowledged, present, aside)
