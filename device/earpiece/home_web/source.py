"""One user's data at the home: the export document (cached), devices, and their presence."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from earpiece.config import HomeSettings
from earpiece.sync import protocol as p
from earpiece.sync.crypto import E2eError
from earpiece.sync.homedb import HomeDb, export_user
from earpiece.sync.link import Link, SyncError, login_from

WEB_DEVICE = p.WEB_DEVICE
"""Device name and device_id of the events the page itself makes (a forget from the page)."""


class Unreadable(Exception):
    """The user's events cannot be shown: none yet, or encrypted without the key."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Presence:
    state: str
    at: datetime | None


@dataclass(frozen=True)
class DeviceRow:
    """One of the user's devices as the home knows it."""

    name: str
    device_ids: tuple[str, ...]
    stored: int
    acked: int
    waiting: int
    last_event: datetime | None
    presence: Presence | None


class HomeSource:
    """Reads one user's events from the home database; nothing of any other user."""

    def __init__(self, db: HomeDb, user: str, key_file: Path | None = None) -> None:
        self.db, self.user, self.key_file = db, user, key_file
        self._ro = sqlite3.connect(f"file:{db.path}?mode=ro", uri=True, check_same_thread=False)
        self._ro.execute("PRAGMA busy_timeout = 5000")
        self._lock = threading.Lock()
        self._cached: tuple[tuple[int, int], dict] | None = None
        self.presence: dict[str, Presence] = {}

    def close(self) -> None:
        self._ro.close()

    def _query(self, sql: str, *params: object) -> list[tuple]:
        with self._lock:
            return self._ro.execute(sql, params).fetchall()

    def version(self) -> tuple[int, int]:
        """Changes whenever the user's events change (count and newest home sequence)."""
        [(count, last)] = self._query(
            "SELECT COUNT(*), COALESCE(MAX(hseq), 0) FROM events WHERE user = ?", self.user
        )
        return count, last

    def document(self) -> dict:
        """The user's export document, replayed as a device would (cached until it changes)."""
        version = self.version()
        cached = self._cached
        if cached and cached[0] == version:
            return cached[1]
        if version[0] == 0:
            raise Unreadable("empty_user", f"no events of {self.user} at home yet")
        try:
            doc = export_user(self.db, self.user, self.key_file)
        except (SyncError, E2eError) as exc:
            raise Unreadable("e2e_locked", str(exc)) from None
        self._cached = (version, doc)
        return doc

    def devices(self) -> list[DeviceRow]:
        rows = self._query(
            "SELECT o.device, o.device_id, o.acked, COUNT(e.seq), MAX(e.hlc), "
            "SUM(e.seq > o.acked) FROM origins o LEFT JOIN events e "
            "ON e.user = o.user AND e.device_id = o.device_id WHERE o.user = ? "
            "GROUP BY o.device, o.device_id",
            self.user,
        )
        by_name: dict[str, list[tuple]] = {}
        for row in rows:
            if row[0] != WEB_DEVICE:
                by_name.setdefault(row[0], []).append(row)
        out = []
        for name, found in sorted(by_name.items()):
            hlcs = [r[4] for r in found if r[4]]
            last = _hlc_time(max(hlcs)) if hlcs else None
            out.append(
                DeviceRow(
                    name,
                    tuple(r[1] for r in found),
                    sum(r[3] for r in found),
                    max(r[2] for r in found),
                    sum(r[5] or 0 for r in found),
                    last,
                    self.presence.get(name),
                )
            )
        for name, presence in sorted(self.presence.items()):
            if name not in by_name:
                out.append(DeviceRow(name, (), 0, 0, 0, None, presence))
        return out

    def next_position(self) -> tuple[int, str]:
        """The page's next sequence number and the user's newest clock reading at home."""
        [(seq, acked, newest)] = self._query(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM events WHERE user = ?1 AND device_id = ?2),"
            " (SELECT COALESCE(MAX(acked), 0) FROM origins WHERE user = ?1 AND device_id = ?2),"
            " (SELECT COALESCE(MAX(hlc), '') FROM events WHERE user = ?1)",
            self.user,
            WEB_DEVICE,
        )
        return max(seq, acked) + 1, newest

    def has(self, device_id: str, seq: int) -> bool:
        return bool(
            self._query(
                "SELECT 1 FROM events WHERE user = ? AND device_id = ? AND seq = ?",
                self.user,
                device_id,
                seq,
            )
        )


def _hlc_time(hlc: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000, UTC).astimezone()
    except ValueError:
        return None


class PresenceWatch:
    """Listens (with the home's login) to the retained presence of the user's devices."""

    def __init__(self, settings: HomeSettings, source: HomeSource, client_id: str) -> None:
        self.source = source
        self.counters = p.Counters()
        topic = f"{p.ROOT}/{source.user}/+/{p.Kind.PRESENCE}"
        self.link = Link(
            login_from(settings, "home"),
            client_id,
            lambda: self._subscribe(topic),
            self._on_message,
        )

    def _subscribe(self, topic: str) -> None:
        self.link.client.subscribe(topic, 1)

    def _on_message(self, topic: str, payload: bytes) -> None:
        decoded = p.decode(topic, payload, self.counters)
        if decoded is None:
            return
        where, msg = decoded
        if where.user != self.source.user or where.device is None:
            return
        assert isinstance(msg, p.PresenceMsg)
        try:
            at = datetime.fromisoformat(msg.at).astimezone() if msg.at else None
        except ValueError:
            at = None
        self.source.presence = {**self.source.presence, where.device: Presence(msg.state, at)}

    def start(self) -> PresenceWatch:
        self.link.start()
        return self

    def stop(self) -> None:
        self.link.stop()
