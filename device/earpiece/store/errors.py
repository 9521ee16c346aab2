"""What an SQLite failure means for the person's data, as StoreError classes with the fix.

Only corruption (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check) lets the store move
the file aside and start fresh; a full disk, a read-only file or an I/O error is a StoreError
naming the file, and nothing is moved. See docs/guarantees.md.
"""

from __future__ import annotations

import shutil
import sqlite3
from enum import Enum
from pathlib import Path


class StoreError(Exception):
    """The state database cannot be opened or written; the message says what to do."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock for longer than the busy timeout."""


class StoreCorrupt(StoreError):
    """The database file is damaged (not SQLite, or its pages are inconsistent)."""


class QuickCheckFailed(sqlite3.DatabaseError):
    """PRAGMA quick_check found damage (SQLite raised nothing, but the pages disagree)."""


class Failure(Enum):
    """What an SQLite error means for the person's data."""

    CORRUPT = "corrupt"
    BUSY = "busy"
    FULL = "full"
    READ_ONLY = "read-only"
    IO = "io"
    CANNOT_OPEN = "cannot-open"
    OTHER = "other"


_PRIMARY = {
    sqlite3.SQLITE_CORRUPT: Failure.CORRUPT,
    sqlite3.SQLITE_NOTADB: Failure.CORRUPT,
    sqlite3.SQLITE_BUSY: Failure.BUSY,
    sqlite3.SQLITE_LOCKED: Failure.BUSY,
    sqlite3.SQLITE_FULL: Failure.FULL,
    sqlite3.SQLITE_READONLY: Failure.READ_ONLY,
    sqlite3.SQLITE_PERM: Failure.READ_ONLY,
    sqlite3.SQLITE_AUTH: Failure.READ_ONLY,
    sqlite3.SQLITE_IOERR: Failure.IO,
    sqlite3.SQLITE_CANTOPEN: Failure.CANNOT_OPEN,
}

LOW_SPACE_BYTES = 1024 * 1024
"""Free space on the state folder's disk (bytes) below which an I/O error is a full disk."""


def classify(exc: BaseException) -> Failure:
    """The kind of failure by SQLite's (extended) result code, never by message text."""
    if isinstance(exc, QuickCheckFailed):
        return Failure.CORRUPT
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:
        return Failure.OTHER
    return _PRIMARY.get(code & 0xFF, Failure.OTHER)


def _disk_full(path: Path) -> bool:
    """Whether the disk holding `path` has (almost) no space left. SQLite reports some
    full-disk failures as I/O errors: growing the -shm file (SQLITE_IOERR_SHMSIZE) or
    writing the WAL index fails with ENOSPC, which its result code does not carry."""
    for folder in (path.parent, *path.parents):
        try:
            return shutil.disk_usage(folder).free < LOW_SPACE_BYTES
        except OSError:
            continue
    return False


def store_error(exc: BaseException, path: Path) -> StoreError:
    """A StoreError for an SQLite failure: what happened to which file, and what to do."""
    kind = classify(exc)
    if kind is Failure.IO and _disk_full(path):
        kind = Failure.FULL
    name = getattr(exc, "sqlite_errorname", None) or type(exc).__name__
    why = f"{name}: {exc}"
    if kind is Failure.BUSY:
        return StoreBusy(
            f"{path}: the state database is locked by another process ({why}); "
            "is another earpiece running?"
        )
    if kind is Failure.CORRUPT:
        return StoreCorrupt(
            f"{path}: the state database is damaged ({why}); restart earpiece to keep the "
            "damaged file aside and start a fresh one"
        )
    advice = {
        Failure.FULL: "the disk is full; free some space on it and try again",
        Failure.READ_ONLY: (
            "the file or its folder is read-only (permissions, `chattr +i`, or a read-only "
            "mount); make it writable (chmod u+w, chattr -i) or choose another --state-dir"
        ),
        Failure.IO: "the disk reported an I/O error; check the disk or SD card (dmesg)",
        Failure.CANNOT_OPEN: (
            "the file cannot be opened (permissions, or a folder in its place); fix its "
            "permissions or choose another --state-dir"
        ),
    }.get(kind, "see the message above")
    return StoreError(f"{path}: {advice} ({why}); nothing was moved or deleted")
