"""What sync keeps in a device's store (rows in `meta`), applying the fleet's events to a store
(a device's, or the home's scratch one for an export), and forgetting across the whole fleet."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass

from earpiece.store.database import BUSY_TIMEOUT_MS, Change, Event, Redaction, Store
from earpiece.store.migrations import DIALOG_KEY, TABLES
from earpiece.sync import bodies
from earpiece.sync.protocol import FORGET_ALL, FORGET_MARK

_NAMES = {
    "acked": "sync.acked_seq",
    "hseq": "sync.home_seq",
    "ack_at": "sync.last_ack_at",
    "forgot": "sync.forgot_hlc",
}


@dataclass(frozen=True)
class SyncState:
    """The device's sync bookkeeping: the home's watermark of our events, the home sequence
    we have applied up to, when the home last acked, and the newest forget we obeyed."""

    acked: int = 0
    hseq: int = 0
    ack_at: str = ""
    forgot: str = ""


class Meta:
    """Reads and writes the `sync.*` rows of the store's meta table on a connection of its own."""

    def __init__(self, store: Store) -> None:
        self._conn = sqlite3.connect(
            store.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Losing the last of these rows to a power cut only means sending or pulling again
        # (both idempotent), so they do not wait for an fsync that a turn's commit needs.
        self._conn.execute("PRAGMA synchronous = NORMAL")

    def load(self) -> SyncState:
        rows = dict(self._conn.execute("SELECT name, value FROM meta WHERE name LIKE 'sync.%'"))
        return SyncState(
            int(rows.get(_NAMES["acked"], 0)),
            int(rows.get(_NAMES["hseq"], 0)),
            rows.get(_NAMES["ack_at"], ""),
            rows.get(_NAMES["forgot"], ""),
        )

    def save(self, **values: int | str) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [(_NAMES[k], str(v)) for k, v in values.items()],
        )

    def all_events(self) -> list[Event]:
        found = self._conn.execute("SELECT * FROM events ORDER BY hlc").fetchall()
        return [Event(d, s, h, t, k, json.loads(b)) for d, s, h, t, k, b in found]

    def outbox(self, device_id: str, after: int, limit: int) -> list[Event]:
        found = self._conn.execute(
            "SELECT * FROM events WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?",
            (device_id, after, limit),
        ).fetchall()
        return [Event(d, s, h, t, k, json.loads(b)) for d, s, h, t, k, b in found]

    def last_seq(self, device_id: str) -> int:
        return self._conn.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE device_id = ?", (device_id,)
        ).fetchone()[0]

    def deleted(self, keys: set[str]) -> set[str]:
        """Those of `keys` that a logged facts.delete has forgotten."""
        marks = ",".join("?" * len(keys))
        found = self._conn.execute(
            f"SELECT DISTINCT key FROM events WHERE type = 'facts.delete' AND key IN ({marks})",
            tuple(keys),
        )
        return {r[0] for r in found}

    def pending(self, device_id: str, acked: int) -> int:
        return self._conn.execute(
            "SELECT COUNT(*) FROM events WHERE device_id = ? AND seq > ?", (device_id, acked)
        ).fetchone()[0]

    def close(self) -> None:
        self._conn.close()


def forget_everywhere(store: Store) -> Event:
    """Erase everything here and log a tombstone that, once synced, erases it on the home
    server and on every other device of the person."""
    [tombstone] = store.commit([Change(FORGET_ALL, "forget", {})])
    obey_forget(store, tombstone)
    return tombstone


def obey_forget(store: Store, tombstone: Event) -> None:
    """Erase every event older (by HLC) than the tombstone and what it wrote; keep newer ones,
    the tombstone, and a mark at this device's last sequence so its numbering goes on.

    One transaction (`Store.rewrite`): a commit made meanwhile is either in the log read or
    waits for the rewrite, and a power cut leaves the log from before or after, never half."""
    meta = Meta(store)
    try:
        forgot = meta.load().forgot
    finally:
        meta.close()
    if forgot >= tombstone.hlc:
        store.apply_remote([tombstone])
        return

    def after_forget(events: list[Event]) -> list[Event]:
        keep = [e for e in events if e.hlc > tombstone.hlc]
        mine = [e.seq for e in events if e.device_id == store.device_id]
        kept = {(e.device_id, e.seq) for e in keep} | {(tombstone.device_id, tombstone.seq)}
        if mine and (store.device_id, max(mine)) not in kept:
            keep.append(Event(store.device_id, max(mine), tombstone.hlc, FORGET_MARK, "forget", {}))
        return [tombstone, *keep]

    store.rewrite(after_forget, {_NAMES["forgot"]: tombstone.hlc})


def is_forgotten(doc: dict) -> bool:
    """An export document that holds nothing but (at most) forget tombstones and marks."""
    return all(not doc.get(t) for t in TABLES if t in doc) and doc["events"] <= 2


def apply_events(store: Store, events: list[Event], meta: Meta) -> int:
    """Apply other devices' events: idempotent, HLC last-writer-wins (the store's rule), nothing
    older than the newest forget, then obey tombstones and blank what deletes left behind."""
    forgot = meta.load().forgot
    tombs = [e for e in events if e.type == FORGET_ALL]
    plain = [
        e
        for e in events
        if e.type != FORGET_ALL and e.hlc > forgot and e.device_id != store.device_id
    ]  # our own come back in the fanout: have them
    gone = {e.key for e in plain if e.type == "facts.delete"}
    named = {k for e in plain for k in bodies.mentions(e.type, e.body)}
    gone |= meta.deleted(named - gone) if named - gone else set()
    if gone:  # a turn from a device that had not heard of a forget comes without its words
        plain = [
            dataclasses.replace(e, body=bodies.without_mentions(e.type, e.body))
            if set(bodies.mentions(e.type, e.body)) & gone
            else e
            for e in plain
        ]
    applied = store.apply_remote(plain) if plain else 0
    for tomb in sorted(tombs, key=lambda e: e.hlc):
        obey_forget(store, tomb)
    deleted = [
        e.key
        for e in plain
        if e.type.endswith(".delete") and store.get(e.type.partition(".")[0], e.key) is None
    ]
    put = sorted({e.key for e in plain if e.type.endswith(".put")})
    if applied and (deleted or put):
        store.redact(deleted, superseded=put)
    if applied and deleted:
        _forget_mentions(store, set(deleted))
    return applied


def _forget_mentions(store: Store, keys: set[str]) -> None:
    """This device's own turns that said a fact forgotten elsewhere (e.g. while it was
    offline) lose their words, as a local forget does (companion/facts.py)."""
    turns = [
        (k, b)
        for k, b in store.rows("turns")
        if set(bodies.mentions("turns.put", b)) & keys and not b.get("forgotten")
    ]
    if not turns:
        return
    changes: list[Change | Redaction] = [
        Change("turns.put", k, bodies.without_mentions("turns.put", b)) for k, b in turns
    ]
    changes.append(
        Redaction(
            tuple(k for k, _ in turns), superseded=(DIALOG_KEY, f"{DIALOG_KEY}:{store.device_id}")
        )
    )
    store.commit(changes)
