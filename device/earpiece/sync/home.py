"""The home-server service: stores every device's events once, acks, fans out, answers pulls.

One SQLite file (WAL, synchronous=FULL, secure_delete) holds the events of every user, each
once by `(user, device_id, seq)`, numbered by a home sequence `hseq` that devices pull by.
Bodies are stored as they arrive: with end-to-end encryption on, the home sees ciphertext only.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import threading
import uuid
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from paho.mqtt.subscribeoptions import SubscribeOptions

from earpiece.clock import now_utc
from earpiece.config import HomeSettings
from earpiece.store import export
from earpiece.store.clock import Hlc
from earpiece.store.database import BUSY_TIMEOUT_MS, Event, Store
from earpiece.sync import bodies, hass
from earpiece.sync import protocol as p
from earpiece.sync.crypto import REDACTED, E2eError, Sealer
from earpiece.sync.link import Link, SyncError, login_from

log = logging.getLogger("earpiece.sync.home")

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
    from earpiece.sync.client import apply_events
    from earpiece.sync.fleet import Meta

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


class FairInbox:
    """The home's queue of received messages, one queue per sending device taken round-robin:
    a device that floods waits behind its own messages, not everyone else's. A device with
    more than PER_DEVICE messages waiting has the newest dropped (counted as `flood`)."""

    PER_DEVICE = 2000
    """Most messages of one device waiting; an honest device has a few (WINDOW of events,
    up to 500 a message) in flight."""

    def __init__(self, counters: p.Counters) -> None:
        self._queues: dict[str, deque[tuple[str, bytes]]] = {}
        self._turns: deque[str] = deque()
        self._ready = threading.Condition()
        self._closed = False
        self._counters = counters

    def put(self, item: tuple[str, bytes]) -> None:
        sender = "/".join(item[0].split("/", 4)[2:4])
        with self._ready:
            waiting = self._queues.get(sender)
            if waiting is None:
                waiting = self._queues[sender] = deque()
                self._turns.append(sender)
            elif len(waiting) >= self.PER_DEVICE:
                self._counters.add(p.Drop.FLOOD, detail=f"{sender}: {len(waiting)} waiting")
                return
            waiting.append(item)
            self._ready.notify()

    def close(self) -> None:
        with self._ready:
            self._closed = True
            self._ready.notify_all()

    def qsize(self) -> int:
        with self._ready:
            return sum(len(q) for q in self._queues.values())

    def empty(self) -> bool:
        return self.qsize() == 0

    def take(self, most: int) -> list[tuple[str, bytes]] | None:
        """Up to `most` messages, one per device in turn; waits for one; None once closed."""
        with self._ready:
            while not self._turns and not self._closed:
                self._ready.wait()
            if self._closed:
                return None
            batch: list[tuple[str, bytes]] = []
            while self._turns and len(batch) < most:
                sender = self._turns.popleft()
                waiting = self._queues[sender]
                batch.append(waiting.popleft())
                if waiting:
                    self._turns.append(sender)
                else:
                    del self._queues[sender]
            return batch


class Home:
    """The running home service: a shared subscription to every device's events and pulls."""

    BATCH = 64
    """Most device messages stored in one transaction."""

    def __init__(self, db_path: Path, settings: HomeSettings, client_id: str = "") -> None:
        self.db = HomeDb(db_path)
        self.counters = p.Counters()
        self.group = settings.group
        self._inbox = FairInbox(self.counters)
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self.stored = 0
        self.ha_prefix = settings.ha_prefix if settings.ha_discovery else ""
        self._presence: dict[tuple[str, str], str] = {}
        self.link = Link(
            login_from(settings, "home"),
            client_id or f"earpiece-home-{uuid.uuid4().hex[:8]}",
            self._on_up,
            lambda t, b: self._inbox.put((t, b)),
        )

    def start(self) -> Home:
        self.link.start()
        self._worker = threading.Thread(target=self._work, name="earpiece-home", daemon=True)
        self._worker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._inbox.close()
        if self._worker:
            self._worker.join(timeout=10)
        self.link.stop()
        self.db.close()

    def __enter__(self) -> Home:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def submit(self, topic: str, payload: bytes) -> None:
        """Handle a message made on this machine (the home page's own events) as if it came
        from the broker, in order with the devices' messages."""
        self._inbox.put((topic, payload))

    def _on_up(self) -> None:
        share = f"$share/{self.group}/{p.ROOT}/+/+"
        options = SubscribeOptions(qos=1)
        topics = [(f"{share}/{p.Kind.EVENTS}", options), (f"{share}/{p.Kind.PULL}", options)]
        if self.ha_prefix:
            topics.append((f"{share}/{p.Kind.PRESENCE}", options))
        self.link.client.subscribe(topics)

    def _work(self) -> None:
        while not self._stop.is_set():
            batch = self._inbox.take(self.BATCH)
            if batch is None:
                break
            try:
                self._handle(batch)
            except Exception as exc:  # counted and logged (rate-limited); the service goes on
                self.counters.add(p.Drop.ERROR, len(batch), f"{type(exc).__name__}: {exc}")

    def _handle(self, batch: list[tuple[str, bytes]]) -> None:
        events: list[p.EventsMsg] = []
        for topic, payload in batch:
            try:
                decoded = p.decode(topic, payload, self.counters)
                if decoded is None:
                    continue
                _where, msg = decoded
                if isinstance(msg, p.EventsMsg):
                    events.append(msg)
                elif isinstance(msg, p.PullMsg):
                    self._answer_pull(msg)
                elif isinstance(msg, p.PresenceMsg) and self.ha_prefix and _where.device:
                    self._presence_seen(_where.user, _where.device, msg.state)
                else:
                    self.counters.add(p.Drop.TOPIC, detail=f"{topic}: not for the home")
            except Exception as exc:  # one message's failure is a counted drop, not a traceback
                why = f"{topic[:200]}: {type(exc).__name__}: {exc}"
                self.counters.add(p.Drop.ERROR, detail=why)
        if events:
            self._store(events)

    def _store(self, events: list[p.EventsMsg]) -> None:
        """Store a batch in one transaction; if that fails, each message alone, so one that
        cannot be stored (counted) does not hold back the others."""
        try:
            stored = self.db.store(events, self.counters)
        except Exception:
            if len(events) == 1:
                raise
            stored = []
            for msg in events:
                try:
                    stored += self.db.store([msg], self.counters)
                except Exception as exc:
                    self.counters.add(
                        p.Drop.ERROR, detail=f"{msg.user}/{msg.device}: {type(exc).__name__}: {exc}"
                    )
        self._answer(stored)

    def _answer(self, results: list[Stored]) -> None:
        now = p.now_iso()
        for stored in results:
            self.stored += len(stored.new)
            for device_id, seq in stored.acks.items():
                ack = p.AckMsg(
                    v=1,
                    user=stored.user,
                    device=stored.device,
                    device_id=device_id,
                    seq=seq,
                    now=now,
                )
                self.link.publish(
                    p.device_topic(stored.user, stored.device, p.Kind.ACK), p.encode(ack)
                )
            if self.ha_prefix and stored.new:
                self._ha_states(stored.user)
            prev = stored.prev
            for run in p.chunks(stored.new):
                last = run[-1].hseq or prev
                fan = p.FanoutMsg(v=1, user=stored.user, prev=prev, last=last, events=run, now=now)
                self.link.publish(p.fanout_topic(stored.user), p.encode(fan))
                prev = last

    def _presence_seen(self, user: str, device: str, state: str) -> None:
        if (user, device) not in self._presence:
            for topic, config in hass.discovery(self.ha_prefix, user, device):
                self.link.publish(topic, config, retain=True)
        self._presence[(user, device)] = state
        self._ha_states(user, only=device)

    def _ha_states(self, user: str, only: str = "") -> None:
        """Publish (retained) the sensor values of the user's devices, or of one of them."""
        for device in [only] if only else self.db.devices(user):
            if (user, device) not in self._presence:
                self._presence_seen(user, device, "unknown")
                continue
            values = self.db.ha_state(user, device, self._presence[(user, device)])
            self.link.publish(
                hass.state_topic(user, device), json.dumps(values).encode(), retain=True
            )

    def _answer_pull(self, msg: p.PullMsg) -> None:
        now = p.now_iso()
        acked = self.db.acked(msg.user, msg.device, msg.device_id)
        if acked is not None:
            ack = p.AckMsg(
                v=1, user=msg.user, device=msg.device, device_id=msg.device_id, seq=acked, now=now
            )
            self.link.publish(p.device_topic(msg.user, msg.device, p.Kind.ACK), p.encode(ack))
        events, last, more = self.db.pull(msg.user, msg.after)
        answer = p.PulledMsg(
            v=1, user=msg.user, device=msg.device, events=events, last=last, more=more, now=now
        )
        self.link.publish(p.device_topic(msg.user, msg.device, p.Kind.PULLED), p.encode(answer))
