"""Forgetting one memory from the page: the home logs a delete of its own and fans it out."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from earpiece.home_web.source import WEB_DEVICE, HomeSource
from earpiece.store.clock import Hlc
from earpiece.store.database import Change, Event
from earpiece.sync import protocol as p
from earpiece.sync.crypto import Sealer
from earpiece.sync.home import Home

_lock = threading.Lock()


class NoSuchFact(KeyError):
    """The key is not one of this user's live facts."""


def changes_for(doc: dict, key: str) -> list[Change]:
    """What a device does when told to forget one fact: delete it and blank every turn that
    said it (the same as companion/facts.py)."""
    if key not in {f["key"] for f in doc.get("facts", [])}:
        raise NoSuchFact(key)
    out = [Change("facts.delete", key, {})]
    for turn in doc.get("turns", []):
        if key in turn.get("refs", []):
            body = {k: v for k, v in turn.items() if k != "key"}
            body.update(text="", reply="", slots={}, forgotten=True)
            out.append(Change("turns.put", turn["key"], body))
    return out


def forget_fact(home: Home, source: HomeSource, key: str, wait_s: float = 10.0) -> bool:
    """Log the forget as the page's own events (sealed when the user's events are), hand them
    to the home service in order with the devices' messages, and wait until stored.

    Devices apply them from the fanout, or at their next pull when offline."""
    with _lock:
        changes = changes_for(source.document(), key)
        seq, newest = source.next_position()
        hlc = Hlc(0, 0, WEB_DEVICE)
        now_ms = time.time_ns() // 1_000_000
        if newest:
            hlc = hlc.merge(Hlc.parse(newest), now_ms)
        sealer = (
            Sealer.from_file(Path(source.key_file), source.user, "[home] web_e2e_key_file")
            if source.key_file
            else None
        )
        wired = []
        for change in changes:
            hlc = hlc.tick(now_ms)
            event = Event(WEB_DEVICE, seq, str(hlc), change.type, change.key, change.body)
            wired.append(p.wire(event, sealer.seal(event) if sealer else None))
            seq += 1
        msg = p.EventsMsg(v=1, user=source.user, device=WEB_DEVICE, events=wired)
        home.submit(p.device_topic(source.user, WEB_DEVICE, p.Kind.EVENTS), p.encode(msg))
        last = wired[-1].seq
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if source.has(WEB_DEVICE, last):
                return True
            time.sleep(0.02)
        return False
