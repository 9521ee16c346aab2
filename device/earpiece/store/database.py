"""The companion's state in one SQLite file: an append-only event log and the tables it drives.

Every change is an event `(device_id, seq, hlc, type, key, body)`; an event of
type `<table>.put` or `<table>.delete` writes one row of a derived table, last
writer (by hybrid logical clock) wins. Events and their effects commit in one
transaction, with WAL and synchronous=FULL: a commit that returned survives a
power cut. What a failure means is in `store/errors.py`; the ack sidecar that
catches lost commits, and the keeping aside of a damaged file, in `store/recovery.py`;
the schema and its steps in `store/migrations.py`. See docs/guarantees.md.

Longer than most modules: `Store` is the file's only writer, and every write (a turn's
changes, another device's events, a redaction, a rewrite, an erase) goes through its one
`_transaction` and its lock; split by operation, that rule would span files.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import stat
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from earpiece.clock import now_utc
from earpiece.store.clock import Hlc
from earpiece.store.errors import (
    Failure,
    QuickCheckFailed,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    classify,
    store_error,
)
from earpiece.store.migrations import TABLES, migrate
from earpiece.store.recovery import (
    DB_FILE,
    AckSidecar,
    LostCommits,
    check_acknowledged,
    kept_copies,
    move_aside,
    state_lock,
)

__all__ = [
    "BUSY_TIMEOUT_MS",
    "DB_FILE",
    "Change",
    "Event",
    "Failure",
    "LostCommits",
    "Redaction",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "classify",
    "kept_copies",
]

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Redaction:
    """Blank, in the same transaction as the changes it comes with, the logged bodies of every
    event about `keys` (their deletes stay) and of every event about `superseded` keys but the
    latest. Passed to `Store.commit` among the changes; it is not itself logged."""

    keys: tuple[str, ...]
    superseded: tuple[str, ...] = ()


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
        doing = "make private (chmod 700)" if state_dir.is_dir() else "create"
        raise StoreError(
            f"{state_dir}: cannot {doing} the state directory ({exc.strerror}); "
            "fix its permissions or choose another with --state-dir"
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

    recovered_from: Path | None = None
    """Where a corrupt database was moved before a fresh one was started, if that happened."""
    lost: LostCommits | None = None
    """Acknowledged commits found missing at open (e.g. a damaged WAL), if any."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._ack = AckSidecar(path)
        self._acking = False
        self._commits = 0
        """Transactions committed through this object (see `mark`)."""
        self.device_id = self._meta("device_id") or self._new_device_id()
        self._hlc = Hlc.parse(self._meta("hlc") or f"0-0-{self.device_id}")
        self._ack.write(self.device_id, int(self._meta("commits") or 0))
        self._acking = True

    @classmethod
    def open(cls, state_dir: Path, *, recover: bool = True) -> Store:
        """Open (creating and migrating as needed) the database in `state_dir`.

        A corrupt database is moved aside under a unique name and a fresh one started
        (`recovered_from` says where), unless `recover` is False: then StoreCorrupt.
        """
        _prepare_dir(state_dir)
        path = state_dir / DB_FILE
        recovered: Path | None = None
        try:
            conn = cls._connect(path)
        except sqlite3.Error as exc:
            if classify(exc) is not Failure.CORRUPT:
                raise store_error(exc, path) from None
            if not recover:
                raise StoreCorrupt(
                    f"{path}: the state database is damaged ({exc}); nothing was read. "
                    "`earpiece chat` keeps it aside and starts a fresh one; "
                    "`earpiece forget --yes` erases it"
                ) from None
            conn, recovered = cls._recover(path)
        try:
            lost = check_acknowledged(conn, path)
            migrate(conn)
            store = cls(conn, path)
        except sqlite3.Error as exc:
            conn.close()
            raise store_error(exc, path) from None
        except BaseException:
            conn.close()
            raise
        store.recovered_from = recovered
        store.lost = lost
        if store._meta("checkpoint_due"):
            with contextlib.suppress(StoreError):  # e.g. read-only: the next open tries again
                store._finish_redaction()  # a forget whose checkpoint was cut short
        return store

    @classmethod
    def _recover(cls, path: Path) -> tuple[sqlite3.Connection, Path | None]:
        """Move a corrupt database aside (once, even when several processes find it)."""
        with state_lock(path):
            try:
                return cls._connect(path, holding_lock=True), None  # recovered meanwhile
            except sqlite3.Error as exc:
                if classify(exc) is not Failure.CORRUPT:
                    raise store_error(exc, path) from None
            aside = move_aside(path)
            try:
                return cls._connect(path, holding_lock=True), aside
            except sqlite3.Error as exc:
                raise store_error(exc, path) from None

    @staticmethod
    def _connect(path: Path, *, holding_lock: bool = False) -> sqlite3.Connection:
        """Open with WAL, synchronous=FULL and secure_delete, after a quick check.

        `holding_lock`: the caller holds the state lock already (it is not re-entrant)."""
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # Switching a new file to WAL needs its exclusive lock, and SQLite answers
                # SQLITE_BUSY at once (no busy wait) when two connections try it together;
                # so earpiece processes take turns here. WAL then stays with the file.
                with contextlib.nullcontext() if holding_lock else state_lock(path):
                    if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] != "wal":
                        raise sqlite3.OperationalError("cannot switch the database to WAL mode")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA secure_delete = ON")  # forgotten things are zeroed on disk
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise QuickCheckFailed(f"quick_check: {check}")
        except BaseException:
            conn.close()
            raise
        try:
            if path.exists() and path.stat().st_uid == os.getuid():
                path.chmod(0o600)
        except OSError:
            pass  # a read-only file says so at the first write, with the fix
        return conn

    # --- writing

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, bumping the commit counter; SQLite errors as StoreError."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
            try:
                yield conn
                number = conn.execute(
                    "INSERT INTO meta VALUES ('commits', '1') ON CONFLICT(name) DO UPDATE "
                    "SET value = CAST(value AS INTEGER) + 1 RETURNING value"
                ).fetchone()[0]
                conn.execute("COMMIT")
                self._commits += 1
            except BaseException as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise store_error(exc, self.path) from None
                raise
            if self._acking:
                self._ack.write(self.device_id, int(number))

    def commit(self, changes: Iterable[Change | Redaction]) -> list[Event]:
        """Log the changes as this device's next events and apply them, atomically.

        Redactions among them are applied in the same transaction, after every change (so a
        crash never leaves a forgotten thing in the log), then the WAL is checkpointed away.
        """
        items = list(changes)
        redactions = [c for c in items if isinstance(c, Redaction)]
        logged = [c for c in items if isinstance(c, Change)]
        if not logged and not redactions:
            return []
        with self._transaction() as conn:
            seq = conn.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?", (self.device_id,)
            ).fetchone()[0]
            stored = self._meta("hlc")  # another process may have committed since we read it
            hlc = max(self._hlc, Hlc.parse(stored)) if stored else self._hlc
            events = []
            for change in logged:
                seq += 1
                hlc = hlc.tick(_now_ms())
                event = Event(self.device_id, seq, str(hlc), change.type, change.key, change.body)
                self._insert(conn, event)
                events.append(event)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", (str(hlc),))
            for redaction in redactions:
                self._redact(conn, redaction)
        self._hlc = hlc
        if redactions:
            self._finish_redaction()
        return events

    def apply_remote(self, events: Iterable[Event]) -> int:
        """Apply events from other devices, each at most once; returns how many were new."""
        applied = 0
        with self._transaction() as conn:
            hlc = self._hlc
            for event in events:
                if self._insert(conn, event):
                    applied += 1
                    hlc = hlc.merge(Hlc.parse(event.hlc), _now_ms())
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

    @staticmethod
    def _redact(conn: sqlite3.Connection, redaction: Redaction) -> None:
        blank = "'{\"redacted\":true}'"
        conn.executemany(
            f"UPDATE events SET body = {blank} WHERE key = ? AND type NOT LIKE '%.delete'",
            [(k,) for k in redaction.keys],
        )
        conn.executemany(
            f"UPDATE events SET body = {blank} WHERE key = ? AND hlc < "
            "(SELECT MAX(hlc) FROM events WHERE key = ?)",
            [(k, k) for k in redaction.superseded],
        )
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('checkpoint_due', '1')")

    def _finish_redaction(self) -> None:
        """Checkpoint the WAL away (old page images hold what was redacted), then say so."""
        with self._lock:
            try:
                busy = self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
            if busy:
                return  # a reader holds old pages; the next open tries again
            with self._transaction() as conn:
                conn.execute("DELETE FROM meta WHERE name = 'checkpoint_due'")

    def redact(self, keys: Iterable[str], superseded: Iterable[str] = ()) -> None:
        """Blank the logged bodies of every event about `keys` (their deletes stay), and of
        every event about `superseded` keys but the latest; then checkpoint the WAL away."""
        self.commit([Redaction(tuple(keys), tuple(superseded))])

    def rewrite(
        self, keep: Callable[[list[Event]], list[Event]], meta: dict[str, str] | None = None
    ) -> list[Event]:
        """Replace the whole log by what `keep` makes of it, re-derive every table from the
        events kept and write `meta` rows, in one transaction; then compact the file.

        The log is read inside the write lock, so no commit (of this process or another) can
        land between the read and the rewrite and be lost, and a crash leaves the old log or
        the new one, never a half-erased one. Returns the events kept."""
        with self._transaction() as conn:
            found = conn.execute("SELECT * FROM events ORDER BY hlc").fetchall()
            kept = keep([Event(d, s, h, t, k, json.loads(b)) for d, s, h, t, k, b in found])
            _delete_everything(conn)
            hlc = self._hlc
            for event in kept:
                self._insert(conn, event)
                hlc = hlc.merge(Hlc.parse(event.hlc), _now_ms())
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('hlc', ?)", (str(hlc),))
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (meta or {}).items())
        self._hlc = hlc
        self._compact()
        return kept

    def erase_all(self) -> None:
        """Delete every event and row (this device keeps its id), then compact the file."""
        with self._transaction() as conn:
            _delete_everything(conn)
        self._compact()

    def _compact(self) -> None:
        """VACUUM, then checkpoint the WAL away: what was deleted leaves the disk."""
        with self._lock:
            try:
                self._conn.execute("VACUUM")
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
        self.checkpoint()

    def checkpoint(self) -> None:
        """Move the WAL into the main file and truncate it, so deleted data leaves the WAL too."""
        with self._lock:
            try:
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None

    # --- reading

    def mark(self) -> tuple[int, int]:
        """Where the database stands: equal marks mean nothing was committed in between, by
        this object or another connection (SQLite's data_version), and no table is read, so
        a cache of what the store holds can check it is still true almost for free."""
        with self._lock:
            try:
                other = self._conn.execute("PRAGMA data_version").fetchone()[0]
            except sqlite3.Error as exc:
                raise store_error(exc, self.path) from None
            return self._commits, int(other)

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
            self._ack.close()

    # --- device metadata

    def _meta(self, name: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def _new_device_id(self) -> str:
        device_id = uuid.uuid4().hex[:12]
        with self._transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('device_id', ?)", (device_id,))
        return self._meta("device_id") or device_id


def _now_ms() -> int:
    """The HLC's wall part: the trusted time (earpiece/clock.py: the system clock, or the home
    server's while the system clock is unsure), in ms since the epoch."""
    return int(now_utc().timestamp() * 1000)


def _delete_everything(conn: sqlite3.Connection) -> None:
    """Every event and every derived row (the meta rows, the device's id among them, stay)."""
    conn.execute("DELETE FROM events")
    for table in TABLES:
        conn.execute(f"DELETE FROM {table}")


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise ValueError(f"no table {table!r}; tables are {', '.join(TABLES)}")
