"""The home-server service: stores every device's events once (homedb.py), acks, fans out,
answers pulls; a device that floods is served fairly, not first.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections import deque
from pathlib import Path

from paho.mqtt.subscribeoptions import SubscribeOptions

from earpiece.config import HomeSettings
from earpiece.sync import hass
from earpiece.sync import protocol as p
from earpiece.sync.homedb import HomeDb, Stored
from earpiece.sync.link import Link, login_from

log = logging.getLogger("earpiece.sync.home")


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
