"""The device side of sync: sends the outbox, applies the user's other devices' events, restores.

Everything runs on two threads of its own (paho's network loop and one worker); a turn never
waits for it. The outbox is read from SQLite: this device's events past the home's watermark.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from earpiece.clock import now_utc
from earpiece.config import Settings, SyncSettings
from earpiece.store.database import Event, Store
from earpiece.sync import bodies
from earpiece.sync import protocol as p
from earpiece.sync.crypto import E2eError, Sealer
from earpiece.sync.fleet import Meta, apply_events, forget_everywhere
from earpiece.sync.link import Link, SyncError, check, login_from

log = logging.getLogger("earpiece.sync")

WINDOW = 2000
"""Most events sent and not yet acknowledged."""
RESEND_S = 5.0
"""Unacknowledged events are sent again after this long without progress."""
POLL_S = 0.25
"""How often the worker looks for new events in the store."""


def check_broker(sync_settings: SyncSettings, timeout_s: float = 5.0) -> tuple[bool, str]:
    """For `earpiece doctor`: log in once with the configured TLS and credentials; (ok, why)."""
    try:
        login = login_from(sync_settings)
    except SyncError as exc:
        return False, str(exc)
    return check(login, timeout_s)


@dataclass(frozen=True)
class SyncStatus:
    """What `earpiece sync status` shows."""

    connected: bool
    pending: int
    acked_seq: int
    last_ack_at: str
    home_seq: int
    dropped: dict[str, int]
    error: str = ""

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


class SyncClient:
    """Keeps one device's store in sync with its user's home server while started."""

    def __init__(
        self,
        store: Store,
        settings: SyncSettings,
        on_home_time: Callable[[datetime], None] | None = None,
        on_applied: Callable[[int], None] | None = None,
    ) -> None:
        self.store = store
        self.user, self.device = settings.user, settings.device
        self.on_home_time = on_home_time
        """Called with the home's wall-clock time from every ack, fanout and pull answer."""
        self.on_applied = on_applied
        """Called with the count of other devices' events just applied to the store."""
        self.counters = p.Counters()
        login = login_from(settings)
        key = settings.e2e_key_file
        self.sealer = Sealer.from_file(Path(key), self.user) if key else None
        self._meta = Meta(store)
        state = self._meta.load()
        self._acked, self._hseq, self._ack_at = state.acked, state.hseq, state.ack_at
        self._sent = self._acked
        self._progress_at = time.monotonic()
        self._inbox: queue.Queue[tuple[str, bytes] | None] = queue.Queue()
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._pulling = False
        self._pull_at = 0.0
        self._missed = 0
        self._worker: threading.Thread | None = None
        topic = p.device_topic(self.user, self.device, p.Kind.PRESENCE)
        self._presence = topic
        self.link = Link(
            login,
            f"earpiece-{self.user}-{self.device}-{uuid.uuid4().hex[:12]}",  # one per process
            self._on_up,
            self._on_message,
            will=(topic, self._presence_body("offline")),
        )

    # --- life cycle

    def start(self) -> SyncClient:
        self.link.start()
        self._worker = threading.Thread(target=self._work, name="earpiece-sync", daemon=True)
        self._worker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._inbox.put(None)
        if self._worker:
            self._worker.join(timeout=5)
        self.link.stop(last=(self._presence, self._presence_body("offline")))
        self._meta.close()

    def close(self) -> None:
        """Release a client that was never started, and its store."""
        self._meta.close()
        self.store.close()

    def __enter__(self) -> SyncClient:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def kick(self) -> None:
        """Look at the outbox now rather than at the next poll (call after a commit)."""
        self._inbox.put(("", b""))

    # --- what the CLI asks

    def status(self) -> SyncStatus:
        return SyncStatus(
            self.link.up.is_set(),
            self.pending(),
            self._acked,
            self._ack_at,
            self._hseq,
            self.counters.snapshot(),
            self.link.last_error,
        )

    def pending(self) -> int:
        """This device's events the home has not acknowledged yet."""
        if not self._stop.is_set():
            return self._meta.pending(self.store.device_id, self._acked)
        meta = Meta(self.store)  # after stop(): a connection of its own
        try:
            return meta.pending(self.store.device_id, self._acked)
        finally:
            meta.close()

    def drain(self, timeout_s: float) -> bool:
        """Wait until the home has persisted every event logged so far (and any catch-up is
        applied); False if `timeout_s` passed first."""
        target = self._meta.last_seq(self.store.device_id)
        self.kick()
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while self._acked < target or self._pulling or not self.link.up.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.2))
        return True

    def restore(self, timeout_s: float) -> bool:
        """Pull every event of the user from the home (a new, empty device); False on timeout."""
        with self._changed:
            self._pulling = True  # drain() now waits for the whole answer
        self._inbox.put(("restore", b""))
        return self.drain(timeout_s)

    # --- network thread

    def _presence_body(self, state: Literal["online", "offline"]) -> bytes:
        return p.encode(p.PresenceMsg(v=1, state=state, at=p.now_iso()))

    def _on_up(self) -> None:
        c = self.link.client
        c.subscribe(
            [
                (p.device_topic(self.user, self.device, p.Kind.ACK), 1),
                (p.device_topic(self.user, self.device, p.Kind.PULLED), 1),
                (p.fanout_topic(self.user), 1),
            ]
        )
        c.publish(self._presence, self._presence_body("online"), qos=1, retain=True)
        self._inbox.put(("up", b""))

    def _on_message(self, topic: str, payload: bytes) -> None:
        self._inbox.put((topic, payload))

    # --- worker thread

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                item = self._inbox.get(timeout=POLL_S)
            except queue.Empty:
                item = ("", b"")
            try:
                if item is not None:
                    self._handle(*item)
                self._send()
            except Exception as exc:  # never let one bad message or a busy store stop sync
                where = item[0][:200] if item else ""
                self.counters.add(p.Drop.ERROR, detail=f"{where}: {type(exc).__name__}: {exc}")
                self._stop.wait(1.0)
            with self._changed:
                self._changed.notify_all()

    def _handle(self, topic: str, payload: bytes) -> None:
        if topic == "up":
            self._sent = self._acked  # whatever was in flight is sent again; the home dedups
            self._progress_at = time.monotonic()
            self._pull(self._hseq)
            return
        if topic == "restore":
            self._hseq = 0
            self._meta.save(hseq=0)
            self._pull(0)
            return
        if not topic:
            return
        decoded = p.decode(topic, payload, self.counters)
        if decoded is None:
            return
        _where, msg = decoded
        if isinstance(msg, p.AckMsg):
            self._on_ack(msg)
        elif isinstance(msg, p.FanoutMsg):
            self._home_time(msg.now)
            if msg.last <= self._hseq:
                return
            if msg.prev > self._hseq:  # we missed some: ask for them
                self._missed = max(self._missed, msg.last)
                if not self._pulling:
                    self._pull(self._hseq)
                return
            self._apply(msg.events, msg.now)
            self._hseq = msg.last
            self._meta.save(hseq=msg.last)
        elif isinstance(msg, p.PulledMsg):
            self._home_time(msg.now)
            self._pull_at = time.monotonic()
            self._apply(msg.events, msg.now)
            self._hseq = max(self._hseq, msg.last)
            self._meta.save(hseq=self._hseq)
            if msg.more or self._missed > self._hseq:
                self._pull(self._hseq)
            else:
                self._pulling = False
                self._missed = 0
        else:
            self.counters.add(p.Drop.TOPIC, detail=f"{topic}: not for a device")

    def _on_ack(self, msg: p.AckMsg) -> None:
        if msg.device_id != self.store.device_id:
            return  # an ack for an earlier store of this device name
        self._home_time(msg.now)
        if msg.seq < self._acked:
            log.warning(
                "the home acknowledges only up to %d (had %d): sending again", msg.seq, self._acked
            )
            self._sent = msg.seq
        if msg.seq != self._acked:
            self._progress_at = time.monotonic()
        self._acked, self._ack_at = msg.seq, msg.now
        self._sent = max(self._sent, self._acked)
        self._meta.save(acked=msg.seq, ack_at=msg.now)

    def _home_time(self, now: str) -> None:
        if self.on_home_time is None:
            return
        try:
            when = datetime.fromisoformat(now)
        except ValueError:
            return
        if when.tzinfo is not None:
            self.on_home_time(when)

    def _pull(self, after: int) -> None:
        if not self.link.up.is_set():
            return
        self._pulling = True
        self._pull_at = time.monotonic()
        msg = p.PullMsg(
            v=1, user=self.user, device=self.device, device_id=self.store.device_id, after=after
        )
        self.link.publish(p.device_topic(self.user, self.device, p.Kind.PULL), p.encode(msg))

    def _send(self) -> None:
        if not self.link.up.is_set():
            return
        now = time.monotonic()
        if self._pulling and now - self._pull_at > RESEND_S:
            self._pull(self._hseq)  # the answer was lost with a connection: ask again
        if self._sent > self._acked and now - self._progress_at > RESEND_S:
            self._sent = self._acked  # the home did not answer: send again
            self._progress_at = now
        room = WINDOW - (self._sent - self._acked)
        if room <= 0:
            return
        events = self._meta.outbox(self.store.device_id, self._sent, min(room, 500))
        if not events:
            return
        if self._sent == self._acked:
            self._progress_at = now
        wired = [_fits(p.wire(e, self.sealer.seal(e) if self.sealer else None)) for e in events]
        topic = p.device_topic(self.user, self.device, p.Kind.EVENTS)
        for run in p.chunks(wired):
            msg = p.EventsMsg(v=1, user=self.user, device=self.device, events=run)
            self.link.publish(topic, p.encode(msg))
            self._sent = run[-1].seq

    def _apply(self, wired: list[p.WireEvent], home_now: str) -> None:
        """Apply what the home sent, after the same checks the home made: an event whose clock
        runs ahead of the home's time (sent with the message) or whose body is not its type's
        is dropped and counted, never applied."""
        now_ms = p.wall_ms(home_now) or int(now_utc().timestamp() * 1000)
        events: list[Event] = []
        for w in wired:
            if w.device_id == self.store.device_id:
                continue  # our own events, back from the fanout
            if p.ahead(w.hlc, now_ms):
                self.counters.add(p.Drop.CLOCK, detail=f"{w.device_id}:{w.seq} at {w.hlc}")
                continue
            event = w.event()
            if self.sealer:
                try:
                    event = dataclasses.replace(event, body=self.sealer.open(event))
                except E2eError as exc:
                    self.counters.add(p.Drop.CRYPTO, detail=str(exc))
                    continue
            why = bodies.problem(event.type, event.body)
            if why:
                self.counters.add(p.Drop.BODY, detail=f"{w.device_id}:{w.seq}: {why}")
                continue
            events.append(event)
        applied = apply_events(self.store, events, self._meta) if events else 0
        if self.on_applied and applied:
            self.on_applied(applied)


def _fits(event: p.WireEvent) -> p.WireEvent:
    """The event, or a mark in its place when it alone would exceed a message (it then stays
    on this device only: the home's watermark moves on instead of waiting for it forever)."""
    if len(event.model_dump_json(exclude_none=True)) <= p.BATCH_BYTES:
        return event
    log.error(
        "event %s:%d is over %d bytes: kept here, not synced",
        event.device_id,
        event.seq,
        p.BATCH_BYTES,
    )
    return event.model_copy(update={"type": p.FORGET_MARK, "key": "forget", "body": {}})


def start_for(
    store: Store, settings: Settings, on_home_time: Callable[[datetime], None] | None = None
) -> SyncClient | None:
    """A started client when the config has [sync]; None (and no network at all) without it."""
    if settings.sync is None:
        return None
    return SyncClient(store, settings.sync, on_home_time=on_home_time).start()


def forget_synced(store: Store, sync_settings: SyncSettings, wait_s: float = 10.0) -> str | None:
    """`earpiece forget` with sync on: erase here, log a tombstone, and try for `wait_s` seconds
    to hand it to the home (which fans it out); otherwise the next sync delivers it. Returns what
    to tell the person when the home was not reached, else None."""
    forget_everywhere(store)
    try:
        client = SyncClient(store, sync_settings)
    except (SyncError, E2eError) as exc:
        return f"{exc}; the home forgets at the next sync"
    with client:
        delivered = client.drain(wait_s)
    if delivered:
        return None
    return "the home server was not reached; it and your other devices forget at the next sync"
