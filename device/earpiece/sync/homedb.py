"""The home's database: every device's events, each stored once, numbered for pulls.

One SQLite file (WAL, synchronous=FULL, secure_delete) holds the events of every user, each
once by `(user, device_id, seq)`, numbered by a home sequence `hseq` that devices pull by.
Bodies are stored as they arrive: with end-to-end encryption on, the home sees ciphertext only.
`export_user` replays one user's events as a device would (the home page reads that).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from earpiece.clock import now_utc
from earpiece.store import export
from earpiece.store.clock import Hlc
from earpiece.store.database import BUSY_TIMEOUT_MS, Event, Store
from earpiece.sync import bodies, hass
from earpiece.sync import protocol as p
from earpiece.sync.bodies import REDACTED
from earpiece.sync.crypto import E2eError, Sealer
from earpiece.sync.fleet import Meta, apply_events
from earpiece.sync.link import SyncError

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    hseq INTEGER PRIMARY KEY AUTOINCREMENT,
    user TEXT NOT NULL, device_id TEXT NOT NULL, seq INTEGER NOT NULL,
    hlc TEXT NOT NULL, type TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL,
    UNIQUE (user, device_id, seq)
);
CREATE INDEX IF NOT EXISTS events_user ON events (user);
CREATE INDEX IF NOT EXISTS events_user_key ON events (user, key, hlc);
CREATE TABLE IF NOT EXISTS origins (
    user TEXT NOT NULL, device_id TEXT NOT NULL, device TEXT NOT NULL,
    acked INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user, device_id)
);
CREATE TABLE IF NOT EXISTS forgets (user TEXT PRIMARY KEY, hlc TEXT NOT NULL);
"""
PULL_ROWS = 500
_BLANK = json.dumps(REDACTED)


@dataclass
class Stored:
    """The outcome of storing one device's message: what is new, and the watermarks to ack."""

    user: str
    device: str
    prev: int = 0
    new: list[p.WireEvent] = field(default_factory=list)
    acks: dict[str, int] = field(default_factory=dict)


class HomeDbError(Exception):
    """The home's database file cannot be used: says which file and what to do."""


class HomeDb:
    """The home's SQLite database of every user's events.

    The file and its -wal and -shm (SQLite gives them the database's mode) are 0600: they
    hold every user's words, forgotten ones too until the next checkpoint. The folder must
    exist: a mistyped path is an error, not a new empty database.
    """

    def __init__(self, path: Path) -> None:
        path = path.expanduser()
        if path.is_dir():
            raise HomeDbError(
                f"{path} is a folder; give the database file (e.g. {path / 'home.sqlite3'})"
            )
        if not path.parent.is_dir():
            raise HomeDbError(
                f"{path}: the folder {path.parent} does not exist (is the path "
                "mistyped?); create it first or give another path"
            )
        self.path = path
        try:
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        except OSError as exc:
            raise HomeDbError(
                f"{path}: cannot open or create it ({exc.strerror}); check "
                "its folder's owner and permissions"
            ) from None
        self._conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._lock = threading.RLock()
        try:
            for pragma in (
                "journal_mode = WAL",
                "synchronous = FULL",
                "secure_delete = ON",
                f"busy_timeout = {BUSY_TIMEOUT_MS}",
            ):
                self._conn.execute(f"PRAGMA {pragma}")
            self._conn.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise HomeDbError(
                f"{path}: not a usable SQLite database ({exc}); give the home's "
                "database file, or move this one away to start an empty one "
                "(the devices send their events again)"
            ) from None
        self._private()

    def _private(self) -> None:
        """The database, its WAL and shared-memory file are the owner's only (0600)."""
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{self.path}{suffix}")
            try:
                if part.exists() and part.stat().st_mode & 0o077:
                    part.chmod(0o600)
            except OSError:
                pass  # another owner's file: the home says so when it cannot write

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def store(self, messages: list[p.EventsMsg], counters: p.Counters) -> list[Stored]:
        """Store the events of several messages in one transaction, each event at most once.

        An event of a device_id first seen from another device is dropped (`owner`); one
        older than the user's newest forget is kept only as a mark; a delete or a newer put
        blanks the older bodies of its key; a tombstone erases the user's older events.
        """
        results: list[Stored] = []
        erased = blanked = False
        now_ms = int(now_utc().timestamp() * 1000)
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                for msg in messages:
                    stored, gone, blank = self._store_one(conn, msg, counters, now_ms)
                    results.append(stored)
                    erased |= gone
                    blanked |= blank
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            if erased:  # the file shrinks (secure_delete zeroed the freed pages)
                conn.execute("VACUUM")
            if erased or blanked:  # the WAL's old page images hold what was forgotten
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._private()
        return results

    def _store_one(
        self, conn: sqlite3.Connection, msg: p.EventsMsg, counters: p.Counters, now_ms: int
    ) -> tuple[Stored, bool, bool]:
        user = msg.user
        out = Stored(user, msg.device)
        out.prev = conn.execute(
            "SELECT COALESCE(MAX(hseq), 0) FROM events WHERE user = ?", (user,)
        ).fetchone()[0]
        row = conn.execute("SELECT hlc FROM forgets WHERE user = ?", (user,)).fetchone()
        forgot = row[0] if row else ""
        owners: dict[str, bool] = {}
        erased = blanked = False
        for w in msg.events:
            if w.device_id not in owners:
                conn.execute(
                    "INSERT OR IGNORE INTO origins (user, device_id, device) VALUES (?, ?, ?)",
                    (user, w.device_id, msg.device),
                )
                owner = conn.execute(
                    "SELECT device FROM origins WHERE user = ? AND device_id = ?",
                    (user, w.device_id),
                ).fetchone()[0]
                owners[w.device_id] = owner == msg.device
                if owner != msg.device:
                    counters.add(
                        p.Drop.OWNER,
                        detail=f"{user}/{msg.device} sent events of "
                        f"{w.device_id}, which belongs to {owner}",
                    )
            if not owners[w.device_id]:
                continue
            w = self._checked(conn, user, w, counters, now_ms)
            event = w
            if forgot and w.hlc < forgot and w.type != p.FORGET_ALL:
                event = w.model_copy(update={"type": p.FORGET_MARK, "key": "forget", "body": {}})
            elif (
                w.type.endswith(".put")
                and conn.execute(
                    "SELECT 1 FROM events WHERE user = ? AND key = ? AND hlc > ? LIMIT 1",
                    (user, w.key, w.hlc),
                ).fetchone()
            ):
                event = w.model_copy(update={"body": dict(REDACTED)})  # late and superseded
            body = json.dumps(event.body, ensure_ascii=False, sort_keys=True)
            cursor = conn.execute(
                "INSERT OR IGNORE INTO events (user, device_id, seq, hlc, type, key, body) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (user, event.device_id, event.seq, event.hlc, event.type, event.key, body),
            )
            if cursor.rowcount == 0:
                counters.add(p.Drop.REPLAY)
                continue
            out.new.append(event.model_copy(update={"hseq": cursor.lastrowid}))
            if event.type == p.FORGET_ALL and event.hlc > forgot:
                conn.execute("DELETE FROM events WHERE user = ? AND hlc < ?", (user, event.hlc))
                conn.execute("INSERT OR REPLACE INTO forgets VALUES (?, ?)", (user, event.hlc))
                forgot, erased = event.hlc, True
            elif event.type.endswith((".put", ".delete")):
                conn.execute(
                    "UPDATE events SET body = ? WHERE user = ? AND key = ? AND hlc < ? "
                    "AND type NOT LIKE '%.delete' AND body != ?",
                    (_BLANK, user, event.key, event.hlc, _BLANK),
                )
                if event.type.endswith(".delete"):
                    blanked = True
                    self._blank_mentions(conn, user, event.key)
        for device_id, ok in owners.items():
            if ok:
                out.acks[device_id] = self._advance(conn, user, device_id)
        return out, erased, blanked

    @staticmethod
    def _checked(
        conn: sqlite3.Connection, user: str, w: p.WireEvent, counters: p.Counters, now_ms: int
    ) -> p.WireEvent:
        """The event as it may be stored: a mark in place of one whose clock runs too far
        ahead (at the home's now) or whose body is not its type's (its seq stays covered, so
        the device's watermark moves on; nothing of it is kept or fanned out); a turn or
        dialog state that mentions a forgotten fact comes with that fact's words blanked."""
        mark = {"type": p.FORGET_MARK, "key": "forget", "body": {}}
        if p.ahead(w.hlc, now_ms):
            counters.add(p.Drop.CLOCK, detail=f"{user}: {w.device_id}:{w.seq} at {w.hlc}")
            hlc = Hlc(now_ms, 0, Hlc.parse(w.hlc).device)
            return w.model_copy(update={**mark, "hlc": str(hlc)})
        if bodies.is_sealed(w.body):
            return w  # end-to-end: only the user's devices can check it
        why = bodies.problem(w.type, w.body)
        if why:
            counters.add(p.Drop.BODY, detail=f"{user}: {w.device_id}:{w.seq}: {why}")
            return w.model_copy(update=mark)
        refs = bodies.mentions(w.type, w.body)
        if (
            refs
            and conn.execute(
                "SELECT 1 FROM events WHERE user = ? AND type = 'facts.delete' AND key IN "
                f"({','.join('?' * len(refs))}) LIMIT 1",
                (user, *refs),
            ).fetchone()
        ):
            return w.model_copy(update={"body": bodies.without_mentions(w.type, w.body)})
        return w

    @staticmethod
    def _blank_mentions(conn: sqlite3.Connection, user: str, key: str) -> None:
        """Blank the words of the user's turns and dialog states that mention a deleted key
        (late ones from a device that was offline are blanked as they arrive: `_checked`)."""
        rows = conn.execute(
            "SELECT hseq, type, body FROM events WHERE user = ? AND type IN "
            "('turns.put', 'dialog.put') AND instr(body, ?) > 0",
            (user, json.dumps(key, ensure_ascii=False)),
        ).fetchall()
        for hseq, kind, text in rows:
            body = json.loads(text)
            if key in bodies.mentions(kind, body):
                kept = bodies.without_mentions(kind, body)
                cleaned = json.dumps(kept, ensure_ascii=False, sort_keys=True)
                conn.execute("UPDATE events SET body = ? WHERE hseq = ?", (cleaned, hseq))

    @staticmethod
    def _advance(conn: sqlite3.Connection, user: str, device_id: str) -> int:
        """Move the device's watermark over every contiguous stored seq (a forget or a mark
        covers the seqs before it, which its device erased)."""
        acked = conn.execute(
            "SELECT acked FROM origins WHERE user = ? AND device_id = ?", (user, device_id)
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT seq, type FROM events WHERE user = ? AND device_id = ? AND seq > ? "
            "ORDER BY seq LIMIT 10000",
            (user, device_id, acked),
        ).fetchall()
        for seq, kind in rows:
            if seq != acked + 1 and not kind.startswith("forget."):
                break
            acked = seq
        conn.execute(
            "UPDATE origins SET acked = ? WHERE user = ? AND device_id = ?",
            (acked, user, device_id),
        )
        return acked

    def acked(self, user: str, device: str, device_id: str) -> int | None:
        """The watermark of a device_id, None if it belongs to another device."""
        with self._lock:
            row = self._conn.execute(
                "SELECT device, acked FROM origins WHERE user = ? AND device_id = ?",
                (user, device_id),
            ).fetchone()
        if row is None:
            return 0
        return row[1] if row[0] == device else None

    def pull(self, user: str, after: int) -> tuple[list[p.WireEvent], int, bool]:
        """The user's next events after home sequence `after`: (events, last, more)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT hseq, device_id, seq, hlc, type, key, body FROM events "
                "WHERE user = ? AND hseq > ? ORDER BY hseq LIMIT ?",
                (user, after, PULL_ROWS),
            ).fetchall()
        wired = [
            p.WireEvent(device_id=d, seq=s, hlc=h, type=t, key=k, body=json.loads(b), hseq=hs)
            for hs, d, s, h, t, k, b in rows
        ]
        if not wired:
            return [], after, False
        first = p.chunks(wired)[0]
        return first, first[-1].hseq or after, len(rows) == PULL_ROWS or len(first) < len(rows)

    def events(self, user: str) -> list[Event]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT device_id, seq, hlc, type, key, body FROM events WHERE user = ? "
                "ORDER BY hseq",
                (user,),
            ).fetchall()
        return [Event(d, s, h, t, k, json.loads(b)) for d, s, h, t, k, b in rows]

    def count(self, user: str | None = None) -> int:
        with self._lock:
            if user is None:
                return self._conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            return self._conn.execute(
                "SELECT COUNT(*) FROM events WHERE user = ?", (user,)
            ).fetchone()[0]

    def devices(self, user: str) -> list[str]:
        with self._lock:
            found = self._conn.execute(
                "SELECT DISTINCT device FROM origins WHERE user = ?", (user,)
            ).fetchall()
        return [r[0] for r in found if r[0] != p.WEB_DEVICE]  # the page is not a device

    def ha_state(self, user: str, device: str, presence: str) -> dict:
        with self._lock:
            return hass.state(self._conn, user, device, presence)

    def users(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT DISTINCT user FROM origins")]


def export_user(db: HomeDb, user: str, key_file: Path | None = None) -> dict:
    """The user's export document, built by replaying the home's events into a scratch store
    exactly as a device applies them; the same JSON as `earpiece export` on a device."""
    sealer = Sealer.from_file(key_file, user, "--e2e-key-file") if key_file else None
    events = db.events(user)
    if not events:
        raise SyncError(
            f"{db.path}: no events of user {user!r}; users here: {', '.join(db.users()) or 'none'}"
        )
    opened: list[Event] = []
    for event in events:
        if sealer:
            try:
                event = Event(
                    event.device_id, event.seq, event.hlc, event.type, event.key, sealer.open(event)
                )
            except E2eError as exc:
                raise SyncError(f"{exc}; is --e2e-key-file the user's key?") from None
        elif set(event.body) == {"e2e"}:
            raise SyncError(
                f"{db.path}: {user}'s events are encrypted end to end; "
                "pass --e2e-key-file with the user's key"
            )
        opened.append(event)
    with tempfile.TemporaryDirectory(prefix="earpiece-home-export-") as scratch:
        store = Store.open(Path(scratch))
        meta = Meta(store)
        try:
            apply_events(store, opened, meta)
            doc = export.document(store)
        finally:
            meta.close()
            store.close()
    doc["device_id"] = f"home:{user}"
    return doc
