"""The companion's state in one SQLite file: an append-only event log and the tables it drives.

Every change is an event `(device_id, seq, hlc, type, key, body)`; an event of
type `<table>.put` or `<table>.delete` writes one row of a derived table, last
writer (by hybrid logical clock) wins. Events and their effects commit in one
transaction, with WAL and synchronous=FULL: a commit that returned survives a
power cut.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from earpiece.store.clock import Hlc
from earpiece.store.migrations import STEPS, TABLES

DB_FILE = "earpiece.sqlite3"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The state database cannot be opened or written; the message says what to do."""


class StoreBusy(StoreError):
    """Another process holds the database's write lock for longer than the busy timeout."""


@dataclass(frozen=True)
class Change:
    """A change the companion wants: `<table>.put` with the row as body, or `<table>.delete`."""

    type: str
    key: str
    body: dict


@dataclass(frozen=True)
class Event:
    """A change as logged: who made it, in which order, and when by the hybrid clock."""

    device_id: str
    seq: int
    hlc: str
    type: str
    key: str
    body: dict


def _prepare_dir(state_dir: Path) -> None:
    try:
        state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(state_dir.stat().st_mode) & 0o077 and state_dir.owner() == _me():
            state_dir.chmod(0o700)  # what it remembers is private
    except OSError as exc:
        raise StoreError(
            f"{state_dir}: cannot create the state directory ({exc.strerror})"
        ) from None
    if not os.access(state_dir, os.W_OK | os.X_OK):
        raise StoreError(
            f"{state_dir}: the state directory is read-only; make it writable "
            "or choose another with --state-dir"
        )


def _me() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


class Store:
    """The state database of one device.

    >>> store = Store.open(Path("/tmp/earpiece-example"))
    >>> store.commit([Change("facts.put", "fact:1", {"text": "I love jazz"})])[0].type
    'facts.put'
    """

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self.device_id = self._meta("device_id") or self._new_device_id()
        self._hlc = Hlc.parse(self._meta("hlc") or f"0-0-{self.device_id}")

    @classmethod
    def open(cls, state_dir: Path) -> Store:
        """Open (creating and migrating as needed) the database in `state_dir`."""
        _prepare_dir(state_dir)
        path = state_dir / DB_FILE
        try:
            conn = cls._connect(path)
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy(
                    f"{path}: the state database is locked by another process"
                ) from None
            aside = path.with_name(f"{DB_FILE}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            for suffix in ("", "-wal", "-shm"):
                src = Path(f"{path}{suffix}")
                if src.exists():
                    src.rename(f"{aside}{suffix}")
            conn = cls._connect(path)
            store = cls(conn, path)
            store.recovered_from = aside
            return store
        return cls(conn, path)

    recovered_from: Path | None = None
    """Where a corrupt database was moved before a fresh one was started, if that happened."""

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)  # fmt: skip
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                raise sqlite3.DatabaseError("cannot switch to WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")  # forgotten things are zeroed on disk
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {check}")
            _migrate(conn)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        if path.exists():
            path.chmod(0o600)
        return conn

    # --- writing

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusy(
                    f"{self.path}: the state database is locked by another process ({exc}); "
                    "is another earpiece running?"
                ) from None
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def commit(self, changes: Iterable[Change]) -> list[Event]:
        """Log the changes as this device's next events and apply them, atomically."""
        changes = list(changes)
        if not changes:
            return []
        with self._transaction() as conn:
            seq = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?", (self.device_id,)
            ).fetchone()[0]
            events = []
            hlc = self._hlc
            for change in changes:
                seq += 1
                hlc = hlc.tick(time.time_ns() // 1_000_000)
                event = Event(self.device_id, seq, str(hlc), change.type, change.key, change.body)
                self._insert(conn, event)
                events.append(event)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", (str(hlc),))
        self._hlc = hlc
        return events

    def apply_remote(self, events: Iterable[Event]) -> int:
        """Apply events from other devices, each at most once; returns how many were new."""
        applied = 0
        with self._transaction() as conn:
            hlc = self._hlc
            for event in events:
                if self._insert(conn, event):
                    applied += 1
                    hlc = hlc.merge(Hlc.parse(event.hlc), time.time_ns() // 1_000_000)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", (str(hlc),))
        self._hlc = hlc
        return applied

    def _insert(self, conn: sqlite3.Connection, event: Event) -> bool:
        body = json.dumps(event.body, ensure_ascii=False, sort_keys=True)
        cursor = conn.execute(
            "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?)",
            (event.device_id, event.seq, event.hlc, event.type, event.key, body),
        )
        if cursor.rowcount == 0:
            return False  # seen before: applying is idempotent by device:seq
        table, _, op = event.type.partition(".")
        if table in TABLES and op in ("put", "delete"):
            row = body if op == "put" else "{}"
            conn.execute(
                f"INSERT INTO {table} (key, hlc, deleted, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET hlc = excluded.hlc, deleted = excluded.deleted, "
                "body = excluded.body WHERE excluded.hlc > hlc",
                (event.key, event.hlc, int(op == "delete"), row),
            )
        return True

    def redact(self, keys: Iterable[str], superseded: Iterable[str] = ()) -> None:
        """Blank the logged bodies of every event about `keys` (their deletes stay), and of
        every event about `superseded` keys but the latest; then checkpoint the WAL away."""
        blank = "'{\"redacted\":true}'"
        with self._transaction() as conn:
            conn.executemany(
                f"UPDATE events SET body = {blank} WHERE key = ? AND type NOT LIKE '%.delete'",
                [(k,) for k in keys],
            )
            conn.executemany(
                f"UPDATE events SET body = {blank} WHERE key = ? AND hlc < "
                "(SELECT MAX(hlc) FROM events WHERE key = ?)",
                [(k, k) for k in superseded],
            )
        self.checkpoint()

    def erase_all(self) -> None:
        """Delete every event and row (this device keeps its id), then compact the file."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM events")
            for table in TABLES:
                conn.execute(f"DELETE FROM {table}")
        self._conn.execute("VACUUM")
        self.checkpoint()

    def checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted data leaves the WAL too."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading

    def get(self, table: str, key: str) -> dict | None:
        """The live row of `table` with this key, or None."""
        _check_table(table)
        with self._lock:
            row = self._conn.execute(
                f"SELECT body FROM {table} WHERE key = ? AND deleted = 0", (key,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def rows(
        self, table: str, where: str = "1", params: tuple = (), order: str = "key"
    ) -> list[tuple[str, dict]]:
        """(key, row) of the live rows of `table` matching a SQL condition on its columns."""
        _check_table(table)
        with self._lock:
            found = self._conn.execute(
                f"SELECT key, body FROM {table} WHERE deleted = 0 AND ({where}) ORDER BY {order}",
                params,
            ).fetchall()
        return [(key, json.loads(body)) for key, body in found]

    def count(self, table: str) -> int:
        _check_table(table)
        with self._lock:
            return self._conn.execute(f"SELECT COUNT(*) FROM {table} WHERE deleted = 0").fetchone()[
                0
            ]

    def events(self, after_seq: int = 0, device_id: str | None = None) -> list[Event]:
        """Logged events of one device (this one by default) with seq > after_seq, in order."""
        with self._lock:
            found = self._conn.execute(
                "SELECT * FROM events WHERE device_id = ? AND seq > ? ORDER BY seq",
                (device_id or self.device_id, after_seq),
            ).fetchall()
        return [Event(d, s, h, t, k, json.loads(b)) for d, s, h, t, k, b in found]

    def event_count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]

    def integrity(self) -> str:
        """SQLite's full integrity check: 'ok' when the file is whole."""
        with self._lock:
            return self._conn.execute("PRAGMA integrity_check").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- device metadata

    def _meta(self, name: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _new_device_id(self) -> str:
        device_id = uuid.uuid4().hex[:12]
        with self._transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('device_id', ?)", (device_id,))
        return self._meta("device_id") or device_id


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"no table {table!r}; tables are {', '.join(TABLES)}")


def _migrate(conn: sqlite3.Connection) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(STEPS):
        raise StoreError(
            f"the state database has schema version {version}, newer than this earpiece "
            f"({len(STEPS)}); upgrade earpiece"
        )
    for number in range(version + 1, len(STEPS) + 1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(STEPS[number - 1]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
