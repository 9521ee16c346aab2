"""The sync wire protocol: topic names, message schemas, and the checks every message passes."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from earpiece.clock import now_utc
from earpiece.store.clock import Hlc
from earpiece.store.database import Event
from earpiece.store.migrations import TABLES

log = logging.getLogger("earpiece.sync")

VERSION = 1
ROOT = f"earpiece/v{VERSION}"
MAX_PAYLOAD = 64 * 1024
"""Larger messages are dropped unread by both sides."""
BATCH_BYTES = 48 * 1024
"""Senders keep one message's events under this, leaving room for the envelope."""
WEB_DEVICE = "home-web"
"""The home page writes the forgets made on it as this device (no broker login may use it)."""
FORGET_ALL = "forget.all"
"""The tombstone: every event of the user older (by HLC) than it is erased everywhere."""
FORGET_MARK = "forget.mark"
"""What an erased event of this device's log becomes, so its sequence keeps counting."""
EVENT_TYPES = frozenset(
    {f"{t}.{op}" for t in TABLES for op in ("put", "delete")} | {FORGET_ALL, FORGET_MARK}
)

Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,31}$")]
DeviceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
HlcText = Annotated[str, StringConstraints(pattern=r"^\d{13}-\d{4}-[A-Za-z0-9_-]{1,64}$")]
"""Fixed width (wall ms, counter): its text order is its numeric order (store/clock.py)."""
Seq = Annotated[int, Field(ge=0, le=2**63 - 1)]
"""Sequence numbers fit SQLite's INTEGER; a larger one is a schema drop, not an OverflowError."""
Seq1 = Annotated[int, Field(ge=1, le=2**63 - 1)]
MAX_DEPTH = 24
"""Deepest nesting of objects and lists a message may have (ours are under 8)."""
MAX_AHEAD_S = 300
"""An event whose HLC wall time is more than this ahead of the receiver's trusted time
(the home's clock; at a device, the home's time sent with the message) is refused."""
LOG_EVERY_S = 60.0
"""Drops of one reason are logged at most once per this many seconds (with a count)."""


class Kind(StrEnum):
    """The message kinds, one per topic leaf."""

    EVENTS = "events"  # device -> home, QoS 1
    ACK = "ack"  # home -> device: the persisted watermark
    PRESENCE = "presence"  # device -> anyone, retained, last will "offline"
    PULL = "pull"  # device -> home: send me the user's events after this home sequence
    PULLED = "pulled"  # home -> device: one batch of the answer
    FANOUT = "fanout"  # home -> all the user's devices


def device_topic(user: str, device: str, kind: Kind) -> str:
    """`earpiece/v1/<user>/<device>/<kind>`."""
    return f"{ROOT}/{user}/{device}/{kind}"


def fanout_topic(user: str) -> str:
    return f"{ROOT}/{user}/{Kind.FANOUT}"


@dataclass(frozen=True)
class Topic:
    """Where a message came from, parsed from its topic name."""

    user: str
    device: str | None
    kind: Kind


_NAME = r"[a-z0-9][a-z0-9_-]{0,31}"
_TOPIC = re.compile(rf"^{ROOT}/({_NAME})/(?:({_NAME})/)?(\w+)$")


def parse_topic(topic: str) -> Topic | None:
    """The user, device and kind of a topic of ours, or None for anything else."""
    found = _TOPIC.match(topic)
    if not found:
        return None
    try:
        kind = Kind(found[3])
    except ValueError:
        return None
    if (kind == Kind.FANOUT) != (found[2] is None):
        return None
    return Topic(found[1], found[2], kind)


class _Msg(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class WireEvent(_Msg):
    """One logged event on the wire; `hseq` is the home's sequence for it (home -> device)."""

    device_id: DeviceId
    seq: Seq1
    hlc: HlcText
    type: str
    key: str = Field(min_length=1, max_length=200)
    body: dict
    hseq: Seq1 | None = None

    def event(self, body: dict | None = None) -> Event:
        return Event(
            self.device_id,
            self.seq,
            self.hlc,
            self.type,
            self.key,
            self.body if body is None else body,
        )


class EventsMsg(_Msg):
    v: Literal[1]
    user: Name
    device: Name
    events: list[WireEvent] = Field(min_length=1, max_length=1000)


class AckMsg(_Msg):
    v: Literal[1]
    user: Name
    device: Name
    device_id: DeviceId
    seq: Seq
    now: str


class PullMsg(_Msg):
    v: Literal[1]
    user: Name
    device: Name
    device_id: DeviceId
    after: Seq


class PulledMsg(_Msg):
    v: Literal[1]
    user: Name
    device: Name
    events: list[WireEvent] = Field(max_length=1000)
    last: Seq
    more: bool
    now: str


class FanoutMsg(_Msg):
    v: Literal[1]
    user: Name
    prev: Seq
    last: Seq
    events: list[WireEvent] = Field(min_length=1, max_length=1000)
    now: str


class PresenceMsg(_Msg):
    v: Literal[1]
    state: Literal["online", "offline"]
    at: str = ""


SCHEMAS: dict[Kind, type[_Msg]] = {
    Kind.EVENTS: EventsMsg,
    Kind.ACK: AckMsg,
    Kind.PULL: PullMsg,
    Kind.PULLED: PulledMsg,
    Kind.FANOUT: FanoutMsg,
    Kind.PRESENCE: PresenceMsg,
}


class Drop(StrEnum):
    """Why a message or an event was dropped."""

    TOPIC = "topic"
    SIZE = "size"
    JSON = "json"
    SCHEMA = "schema"
    TYPE = "type"
    MISMATCH = "mismatch"  # topic and body disagree on user or device
    OWNER = "owner"  # an event of a device_id that belongs to another device
    REPLAY = "replay"  # an event already stored
    CRYPTO = "crypto"  # cannot be decrypted (wrong key, tampered, or plaintext under e2e)
    BODY = "body"  # the body is not what its event type holds (sync/bodies.py)
    CLOCK = "clock"  # the HLC is further ahead of the receiver's trusted time than MAX_AHEAD_S
    FLOOD = "flood"  # its device has too many messages waiting at the home (home.FairInbox)
    ERROR = "error"  # handling it raised: a bug, counted and logged (rate-limited), not fatal


class Counters:
    """Thread-safe counts of dropped messages and events by reason; the log says each reason
    at most once per LOG_EVERY_S (with how many were not logged), so a flood of bad messages
    cannot fill the disk with log lines."""

    def __init__(self, log_every_s: float = LOG_EVERY_S) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._log_every_s = log_every_s
        self._logged_at: dict[str, float] = {}
        self._quiet: Counter[str] = Counter()

    def add(self, reason: Drop, n: int = 1, detail: str = "") -> None:
        now = time.monotonic()
        with self._lock:
            self._counts[reason] += n
            if reason == Drop.REPLAY:
                return
            last = self._logged_at.get(reason)
            if last is not None and now - last < self._log_every_s:
                self._quiet[reason] += n
                return
            self._logged_at[reason] = now
            quiet = self._quiet.pop(reason, 0)
        more = f" (and {quiet} more not logged)" if quiet else ""
        log.warning(
            "dropped %d (%s)%s%s", n, reason.value, f": {detail[:300]}" if detail else "", more
        )

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def __getitem__(self, reason: Drop) -> int:
        with self._lock:
            return self._counts[reason]


def now_iso() -> str:
    """The trusted time (earpiece/clock.py) as ISO 8601 UTC, for `now` fields."""
    return now_utc().astimezone(UTC).isoformat(timespec="milliseconds")


def encode(msg: _Msg) -> bytes:
    return json.dumps(
        msg.model_dump(exclude_none=True), ensure_ascii=False, separators=(",", ":")
    ).encode()


def decode(topic: str, payload: bytes, counters: Counters) -> tuple[Topic, _Msg] | None:
    """Parse and check one message: size, JSON, depth, schema, event types, topic-vs-body;
    None (counted and logged) when it fails any of them. Never raises."""
    try:
        return _decode(topic, payload, counters)
    except Exception as exc:  # a check we did not foresee: a counted drop, not a traceback
        counters.add(Drop.ERROR, detail=f"{topic[:200]}: {type(exc).__name__}: {exc}")
        return None


def _decode(topic: str, payload: bytes, counters: Counters) -> tuple[Topic, _Msg] | None:
    where = parse_topic(topic)
    if where is None:
        counters.add(Drop.TOPIC, detail=topic)
        return None
    if len(payload) > MAX_PAYLOAD:
        counters.add(Drop.SIZE, detail=f"{topic}: {len(payload)} bytes")
        return None
    try:
        data = json.loads(payload)
        if not _shallow(data):
            raise ValueError(f"nested deeper than {MAX_DEPTH}")
        json.dumps(data, ensure_ascii=False).encode()  # a lone surrogate cannot be stored
    except (ValueError, UnicodeError, RecursionError) as exc:
        counters.add(Drop.JSON, detail=f"{topic}: {type(exc).__name__}: {exc}")
        return None
    try:
        msg = SCHEMAS[where.kind].model_validate(data)
    except ValidationError as exc:
        counters.add(
            Drop.SCHEMA,
            detail=f"{topic}: {exc.error_count()} errors, first: {exc.errors()[0]['msg']}",
        )
        return None
    events = getattr(msg, "events", [])
    bad = [e.type for e in events if e.type not in EVENT_TYPES]
    if bad:
        counters.add(Drop.TYPE, detail=f"{topic}: unknown event type {bad[0]!r}")
        return None
    user = getattr(msg, "user", where.user)
    device = getattr(msg, "device", where.device)
    if user != where.user or device != where.device:
        counters.add(Drop.MISMATCH, detail=f"{topic}: body says {user}/{device}")
        return None
    return where, msg


def _shallow(data: object) -> bool:
    """Whether `data` nests no deeper than MAX_DEPTH (walked without recursion)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return True


def ahead(hlc: str, now_ms: int) -> bool:
    """Whether an event's HLC is further ahead of `now_ms` than MAX_AHEAD_S allows."""
    return Hlc.parse(hlc).wall_ms > now_ms + MAX_AHEAD_S * 1000


def wall_ms(iso: str) -> int | None:
    """A `now` field as ms since the epoch; None when it is not an aware ISO 8601 time."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return None
    return int(when.timestamp() * 1000) if when.tzinfo is not None else None


def wire(event: Event, body: dict | None = None, hseq: int | None = None) -> WireEvent:
    return WireEvent(
        device_id=event.device_id,
        seq=event.seq,
        hlc=event.hlc,
        type=event.type,
        key=event.key,
        body=event.body if body is None else body,
        hseq=hseq,
    )


def chunks(events: list[WireEvent], limit: int = BATCH_BYTES) -> list[list[WireEvent]]:
    """Split events into runs whose JSON stays under `limit` bytes (one oversized event alone)."""
    out: list[list[WireEvent]] = []
    run: list[WireEvent] = []
    size = 0
    for event in events:
        n = len(event.model_dump_json(exclude_none=True)) + 1
        if run and (size + n > limit or len(run) >= 500):
            out.append(run)
            run, size = [], 0
        run.append(event)
        size += n
    if run:
        out.append(run)
    return out
