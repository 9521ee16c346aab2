"""Home sync throughput on loopback: a real Mosquitto (TLS, passwords, ACL) and `earpiece home`.

1. One device: events/s from its SQLite outbox to the home database, counted only when the
   home's ack (persisted) comes back; with and without end-to-end encryption; and the latency
   of a turn's commit with sync running beside it versus without.
2. Many simulated devices (one TLS connection each, the real wire protocol, each waiting for
   the home's ack before sending its next batch, each subscribed to its user's fanout): how
   many connected devices and how many events/s the home held with zero loss.

    python benchmarks/sync_bench.py [DEVICES ...]     # default: 100 500 1000 2000
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from earpiece.store.database import Change, Store
from earpiece.sync import protocol as p
from earpiece.sync.client import SyncClient
from earpiece.sync.crypto import new_key
from earpiece.sync.home import HomeDb
from earpiece.sync.link import Login, new_client
from earpiece.sync.localbroker import LocalBroker

sys.path.insert(0, str(Path(__file__).parent))
from nlu_bench import percentile

BATCH = 5
"""Events per simulated device message (a turn commits a few)."""
ROUNDS = 10
"""Messages per simulated device."""


def start_home(broker: LocalBroker, db: Path) -> subprocess.Popen:
    script = Path(sys.executable).with_name("earpiece")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "earpiece"]
    proc = subprocess.Popen([*cmd, "home", "--config", str(broker.dir / "home.toml"),
                             "--db", str(db)], stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(2.0)  # connect and subscribe
    return proc


def stop_home(proc: subprocess.Popen) -> str:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    return err.strip().splitlines()[-1] if err.strip() else ""


def one_device(broker: LocalBroker, work: Path, events: int, e2e: bool) -> dict:
    key = ""
    if e2e:
        (work / "k").write_text(new_key())
        key = str(work / "k")
    name = "pocket-e2e" if e2e else "pocket"
    home = start_home(broker, work / f"home-{name}.sqlite3")
    store = Store.open(work / name)
    for i in range(events // 3):
        store.commit(Change("turns.put", f"turn:{i}:{j}", {"text": f"turn {i} line {j}",
                                                           "at": "2026-12-01T10:00:00"})
                     for j in range(3))  # fmt: skip
    client = SyncClient(store, broker.device_settings("bench", name, key))
    start = time.perf_counter()
    client.start()
    assert client.drain(600), client.status()
    elapsed = time.perf_counter() - start
    # a turn's commit with sync running beside it (sending each turn as it lands)
    with_sync = []
    for i in range(300):
        t = time.perf_counter()
        store.commit([Change("turns.put", f"live:{i}", {"text": "hello", "at": "x"})])
        with_sync.append((time.perf_counter() - t) * 1000)
        client.kick()
    assert client.drain(120)
    client.stop()
    without = []
    for i in range(300):
        t = time.perf_counter()
        store.commit([Change("turns.put", f"solo:{i}", {"text": "hello", "at": "x"})])
        without.append((time.perf_counter() - t) * 1000)
    store.close()
    stop_home(home)
    db = HomeDb(work / f"home-{name}.sqlite3")
    stored = db.count("bench")
    db.close()
    assert stored == events // 3 * 3 + 300, stored
    return {"e2e": e2e, "events": events // 3 * 3, "seconds": elapsed,
            "per_s": events // 3 * 3 / elapsed,
            "commit_sync": (percentile(with_sync, 50), percentile(with_sync, 99)),
            "commit_solo": (percentile(without, 50), percentile(without, 99))}  # fmt: skip


class Sim:
    """One simulated device on the wire: sends a batch, waits for its ack, sends the next."""

    def __init__(self, index: int, login: Login) -> None:
        self.user, self.device = f"u{index // 4}", f"d{index % 4}"
        self.device_id = f"sim{index}"
        self.client = new_client(login, f"sim-{index}")
        self.client.on_connect = lambda c, *_: c.subscribe(
            [(p.device_topic(self.user, self.device, p.Kind.ACK), 1),
             (p.fanout_topic(self.user), 1)])  # fmt: skip
        self.client.on_subscribe = lambda *_: setattr(self, "ready", True)
        self.client.on_message = self._message
        self.ready = False
        self.sent = 0
        self.acked = 0
        self.fanned = 0
        self.topic = p.device_topic(self.user, self.device, p.Kind.EVENTS)

    def send(self) -> None:
        first = self.sent + 1
        events = [{"device_id": self.device_id, "seq": s, "type": "turns.put", "key": f"t:{s}",
                   "hlc": f"{int(time.time() * 1000):013d}-{s:04d}-{self.device_id}",
                   "body": {"text": f"turn {s}", "at": "2026-12-01T10:00:00"}}
                  for s in range(first, first + BATCH)]  # fmt: skip
        body = {"v": 1, "user": self.user, "device": self.device, "events": events}
        self.client.publish(self.topic, json.dumps(body).encode(), qos=1)
        self.sent += BATCH

    def _message(self, _c, _u, message) -> None:
        data = json.loads(message.payload)
        if message.topic.endswith("/ack"):
            self.acked = max(self.acked, data["seq"])
            if self.acked >= self.sent and self.sent < ROUNDS * BATCH:
                self.send()
        else:
            self.fanned += len(data["events"])


def many_devices(broker: LocalBroker, work: Path, count: int) -> dict:
    db = work / f"home-many-{count}.sqlite3"
    home = start_home(broker, db)
    login = Login("localhost", broker.port, True, "bench", "bench-pw", str(broker.dir / "ca.crt"))
    sims = [Sim(i, login) for i in range(count)]
    sel = selectors.DefaultSelector()
    t0 = time.perf_counter()
    for sim in sims:
        sim.client.connect("localhost", broker.port, keepalive=120)
        sel.register(sim.client.socket(), selectors.EVENT_READ, sim)
    connect_s = time.perf_counter() - t0

    def pump(until, limit_s: float) -> bool:
        deadline = time.perf_counter() + limit_s
        misc = time.perf_counter()
        while time.perf_counter() < deadline:
            for sim in sims:
                if sim.client.want_write():
                    sim.client.loop_write()
            for key, _ in sel.select(timeout=0.005):
                key.data.client.loop_read()
            if time.perf_counter() - misc > 1:
                misc = time.perf_counter()
                for sim in sims:
                    sim.client.loop_misc()
            if until():
                return True
        return False

    assert pump(lambda: all(s.ready for s in sims), 120), "not all connected"
    total = count * ROUNDS * BATCH
    start = time.perf_counter()
    for sim in sims:
        sim.send()
    done = pump(lambda: all(s.acked >= ROUNDS * BATCH for s in sims), 600)
    elapsed = time.perf_counter() - start
    pump(lambda: False, 1.0)  # let the last fanouts arrive
    for sim in sims:
        sim.client.disconnect()
    pump(lambda: False, 0.2)
    last = stop_home(home)
    home_db = HomeDb(db)
    stored = home_db.count()
    home_db.close()
    acked = sum(s.acked for s in sims)
    fanned = sum(s.fanned for s in sims)
    return {"devices": count, "connect_s": connect_s, "events": total, "stored": stored,
            "acked": acked, "lost": total - stored, "done": done, "seconds": elapsed,
            "per_s": stored / elapsed, "fanout": fanned, "fanout_expected": total * 4,
            "home": last}  # fmt: skip


def main(levels: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        work = Path(tmp)
        broker = LocalBroker(work / "broker")
        broker.add_device("bench", "pocket")
        broker.add_device("bench", "pocket-e2e")
        subprocess.run(["mosquitto_passwd", "-b", str(broker.dir / "passwd"), "bench", "bench-pw"],
                       check=True)  # fmt: skip
        with open(broker.dir / "acl", "a") as acl:
            acl.write("\n# the benchmark's simulated devices\nuser bench\n"
                      "topic readwrite earpiece/v1/#\n")  # fmt: skip
        broker.start()
        try:
            singles = [one_device(broker, work, 3000, e2e) for e2e in (False, True)]
            many = [many_devices(broker, work, n) for n in levels]
        finally:
            broker.stop()
    print("One device -> home database, counted at the home's ack (persisted, synchronous=FULL):")
    print()
    print("| e2e | events | seconds | events/s | commit p50/p99 ms, sync running | without |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in singles:
        print(f"| {'AES-GCM' if r['e2e'] else 'off'} | {r['events']} | {r['seconds']:.2f} | "
              f"{r['per_s']:.0f} | {r['commit_sync'][0]:.2f} / {r['commit_sync'][1]:.2f} | "
              f"{r['commit_solo'][0]:.2f} / {r['commit_solo'][1]:.2f} |")  # fmt: skip
    print()
    print(f"Many simulated devices (TLS each, {ROUNDS} messages of {BATCH} events, each waiting "
          "for its ack; 4 devices per user, each subscribed to its user's fanout):")  # fmt: skip
    print()
    print("| devices connected | connect s | events | stored at home | lost | seconds | "
          "events/s | fanout delivered |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in many:
        print(f"| {r['devices']} | {r['connect_s']:.1f} | {r['events']} | {r['stored']} | "
              f"{r['lost']} | {r['seconds']:.1f} | {r['per_s']:.0f} | "
              f"{r['fanout']}/{r['fanout_expected']} |")  # fmt: skip
    for r in many:
        print(f"<!-- {r['devices']} devices: home said: {r['home']} -->")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main([int(a) for a in sys.argv[1:]] or [100, 500, 1000, 2000])
