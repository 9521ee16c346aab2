"""Home sync on loopback: a real Mosquitto (TLS, passwords, the deploy ACL) and `earpiece home`.

1. One device: events/s from its SQLite outbox to the home database, counted only when the
   home's ack (persisted) comes back; with and without end-to-end encryption; and the latency
   of a turn's commit with sync running beside it versus without.
2. Many simulated devices (one TLS connection each, the real wire protocol, each waiting for
   the home's ack before sending its next batch, each subscribed to its user's fanout): how
   many connected devices and how many events/s the home held with zero loss. With
   --logins each simulated device has its own login and ACL entry made by
   deploy/home/earpiece-home-setup (as real devices do); without, they share one login.
3. --fuzz N: N hostile messages from a valid device login (bad bodies of every event type,
   deep nesting, lone surrogates, huge numbers, far-future clocks): tracebacks, bad bodies
   stored at the home, bad bodies applied at another device of the user.
4. --hostile: well-behaved users' `sync now` latency while one device floods bad messages
   and joins share groups.

    python benchmarks/sync_bench.py [DEVICES ...]     # default: 100 500 1000 2000
    python benchmarks/sync_bench.py --logins 8316     # a login per simulated device
    python benchmarks/sync_bench.py --fuzz 10000 --hostile --no-single
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from earpiece.store.database import Change, Store
from earpiece.sync import bodies
from earpiece.sync import protocol as p
from earpiece.sync.client import SyncClient
from earpiece.sync.crypto import new_key
from earpiece.sync.home import Home
from earpiece.sync.homedb import HomeDb
from earpiece.sync.link import Login, login_from, new_client
from earpiece.sync.localbroker import LocalBroker

sys.path.insert(0, str(Path(__file__).parent))
from nlu_bench import percentile

BATCH = 5
"""Events per simulated device message (a turn commits a few)."""
ROUNDS = 10
"""Messages per simulated device."""
AT = "2026-12-01T10:00:00+09:00"


def start_home(broker: LocalBroker, db: Path) -> subprocess.Popen:
    script = Path(sys.executable).with_name("earpiece")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "earpiece"]
    proc = subprocess.Popen(
        [*cmd, "home", "--config", str(broker.dir / "home.toml"), "--db", str(db)],
        stderr=subprocess.PIPE,
        text=True,
    )
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
        store.commit(
            Change(
                "turns.put",
                f"turn:{i}:{j}",
                {"text": f"turn {i} line {j}", "at": "2026-12-01T10:00:00"},
            )
            for j in range(3)
        )
    client = SyncClient(store, broker.device_settings("bench", name, key))
    start = time.perf_counter()
    client.start()
    assert client.drain(600), client.status()
    elapsed = time.perf_counter() - start
    # a turn's commit with sync running beside it (sending each turn as it lands)
    with_sync = []
    for i in range(300):
        t = time.perf_counter()
        store.commit([Change("turns.put", f"live:{i}", {"text": "hello", "at": AT})])
        with_sync.append((time.perf_counter() - t) * 1000)
        client.kick()
    assert client.drain(120)
    client.stop()
    without = []
    for i in range(300):
        t = time.perf_counter()
        store.commit([Change("turns.put", f"solo:{i}", {"text": "hello", "at": AT})])
        without.append((time.perf_counter() - t) * 1000)
    store.close()
    stop_home(home)
    db = HomeDb(work / f"home-{name}.sqlite3")
    stored = db.count("bench")
    db.close()
    assert stored == events // 3 * 3 + 300, stored
    return {
        "e2e": e2e,
        "events": events // 3 * 3,
        "seconds": elapsed,
        "per_s": events // 3 * 3 / elapsed,
        "commit_sync": (percentile(with_sync, 50), percentile(with_sync, 99)),
        "commit_solo": (percentile(without, 50), percentile(without, 99)),
    }


class Sim:
    """One simulated device on the wire: sends a batch, waits for its ack, sends the next."""

    def __init__(self, index: int, login: Login | None) -> None:
        self.user, self.device = f"u{index // 4}", f"d{index % 4}"
        self.device_id = f"sim{index}"
        if login is None:  # its own login, made by earpiece-home-setup
            login = Login(
                "localhost",
                0,
                True,
                f"{self.user}-{self.device}",
                sim_password(index),
                str(_BROKER_DIR[0] / "ca.crt"),
            )
        self.client = new_client(login, f"sim-{index}")
        self.client.on_connect = lambda c, *_: c.subscribe(
            [
                (p.device_topic(self.user, self.device, p.Kind.ACK), 1),
                (p.fanout_topic(self.user), 1),
            ]
        )
        self.client.on_subscribe = lambda *_: setattr(self, "ready", True)
        self.client.on_message = self._message
        self.ready = False
        self.sent = 0
        self.acked = 0
        self.fanned = 0
        self.dup = 0
        self.seen: set[int] = set()
        self.topic = p.device_topic(self.user, self.device, p.Kind.EVENTS)

    def send(self) -> None:
        first = self.sent + 1
        events = [
            {
                "device_id": self.device_id,
                "seq": s,
                "type": "turns.put",
                "key": f"t:{s}",
                "hlc": f"{int(time.time() * 1000):013d}-{s:04d}-{self.device_id}",
                "body": {"text": f"turn {s}", "at": "2026-12-01T10:00:00"},
            }
            for s in range(first, first + BATCH)
        ]
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
            for e in data["events"]:
                mark = int(e["device_id"][3:]) * 100_000 + e["seq"]
                if mark in self.seen:
                    self.dup += 1
                self.seen.add(mark)


_PASSWORDS: dict[int, str] = {}
_BROKER_DIR: list[Path] = []


def sim_password(index: int) -> str:
    bundle = _BROKER_DIR[0] / "devices" / f"u{index // 4}-d{index % 4}" / "sync.password"
    return bundle.read_text().strip()


def add_sim_logins(broker: LocalBroker, count: int) -> float:
    """A login and ACL entry per simulated device, by deploy/home/earpiece-home-setup; seconds."""
    start = time.perf_counter()
    have = {
        line.split()[1]
        for line in (broker.dir / "acl").read_text().splitlines()
        if line.startswith("user ")
    }
    for i in range(count):
        if f"u{i // 4}-d{i % 4}" not in have:
            broker.add_device(f"u{i // 4}", f"d{i % 4}")
    return time.perf_counter() - start


def many_devices(broker: LocalBroker, work: Path, count: int, logins: bool = False) -> dict:
    db = work / f"home-many-{count}.sqlite3"
    home = start_home(broker, db)
    shared = Login("localhost", broker.port, True, "bench", "bench-pw", str(broker.dir / "ca.crt"))
    sims = [Sim(i, None if logins else shared) for i in range(count)]

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
    fan_dup = sum(s.dup for s in sims)
    dup = duplicates(db)
    return {
        "devices": count,
        "logins": logins,
        "dup": dup,
        "connect_s": connect_s,
        "events": total,
        "stored": stored,
        "acked": acked,
        "lost": total - stored,
        "done": done,
        "seconds": elapsed,
        "per_s": stored / elapsed,
        "fanout": fanned,
        "fanout_expected": total * 4,
        "fanout_dup": fan_dup,
        "home": last,
    }


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def duplicates(db: Path) -> int:
    """Events stored more than once by (user, device_id, seq)."""
    home = HomeDb(db)
    try:
        with home._lock:
            return home._conn.execute(
                "SELECT COUNT(*) - (SELECT COUNT(*) FROM (SELECT DISTINCT user, device_id, seq "
                "FROM events)) FROM events"
            ).fetchone()[0]
    finally:
        home.close()


class Tracebacks(logging.Handler):
    """Counts log records that carry a traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.count += 1


GOOD: dict[str, dict] = {
    "facts.put": {"text": "my pin is 2580", "lang": "en", "kind": "fact", "at": AT},
    "reminders.put": {"what": "pills", "due_at": "2026-12-01T18:00+09:00", "status": "pending"},
    "letters.put": {"recipient": "mom", "body": "thanks", "status": "draft"},
    "mood.put": {"at": AT, "emotion": "sadness", "confidence": 0.8},
    "turns.put": {"at": AT, "text": "hi", "reply": "hello", "refs": [], "slots": {}},
    "dialog.put": {"last_turn_at": AT, "last_reply": "hello", "recent_refs": []},
    "settings.put": {"value": 80, "at": AT},
}
JUNK: list[object] = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5,
    float("inf"),
    "",
    "x" * 9000,
    "\ud800",
    "not a time",
    [],
    [1, "a"],
    {},
    {"a": {"b": [None]}},
    "2026-13-45T99:00",
]


def fuzz_event(rng: random.Random, seq: int, device_id: str) -> dict:
    """One event with a body that is usually bad: a good body with fields dropped or given
    junk, a random object, or a good one (about one in eight)."""
    type_ = rng.choice(sorted(p.EVENT_TYPES))
    good = GOOD.get(type_, {})
    roll = rng.random()
    if roll < 0.125:
        body: dict = dict(good)
    elif roll < 0.6 and good:
        body = dict(good)
        for name in rng.sample(sorted(good), rng.randint(1, len(good))):
            if rng.random() < 0.3:
                del body[name]
            else:
                body[name] = rng.choice(JUNK)
    else:
        body = {
            rng.choice(["text", "what", "due_at", "x", "refs", "value", "at"]): rng.choice(JUNK)
            for _ in range(rng.randint(0, 4))
        }
    hlc_ms = int(time.time() * 1000)
    if rng.random() < 0.05:
        hlc_ms = rng.choice([9_999_999_999_999, hlc_ms + 3_600_000])
    return {
        "device_id": device_id,
        "seq": seq,
        "hlc": f"{hlc_ms:013d}-0000-{device_id}",
        "type": type_,
        "key": f"{type_.split('.')[0]}:{seq}",
        "body": body,
    }


def fuzz_payload(rng: random.Random, n: int, user: str, device: str, device_id: str) -> bytes:
    """Message number n of the fuzz: mostly events with fuzzed bodies, and every kind of
    hostile envelope the issue found (deep nesting, a lone surrogate, seq 2**70, ...)."""
    kind = n % 10
    if kind == 0:
        return b"[" * 20_000 + b"]" * 20_000
    env = {"v": 1, "user": user, "device": device}
    events = [fuzz_event(rng, n * 3 + i + 1, device_id) for i in range(rng.randint(1, 3))]
    if kind == 1:
        events[0]["body"] = {"text": "\ud800"}
    elif kind == 2:
        events[0]["seq"] = 2**70
    elif kind == 3:
        events[0]["body"] = {"text": "x", "deep": json.loads("[" * 40 + "]" * 40)}
    elif kind == 4:
        return b"\xff\xfe" + os.urandom(rng.randint(0, 64))
    return json.dumps({**env, "events": events}, ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


def fuzz(broker: LocalBroker, work: Path, count: int, seed: int = 23) -> dict:
    """`count` hostile messages from fz/bad's valid login; fz/good is another device of the
    user, applying what the home fans out."""
    traces = Tracebacks()
    logging.getLogger().addHandler(traces)
    home = Home(work / "home-fuzz.sqlite3", broker.home_settings()).start()
    good_store = Store.open(work / "fuzz-good")
    good = SyncClient(good_store, broker.device_settings("fz", "good")).start()
    login = login_from(broker.device_settings("fz", "bad"))
    bad = new_client(login, "fuzz-bad")
    rng = random.Random(seed)
    start = time.perf_counter()
    try:
        assert home.link.up.wait(10) and good.link.up.wait(10)
        bad.connect(login.host, login.port)
        bad.loop_start()
        topic = p.device_topic("fz", "bad", p.Kind.EVENTS)
        for n in range(count):
            info = bad.publish(topic, fuzz_payload(rng, n, "fz", "bad", "fzbad1"), qos=1)
            if n % 100 == 99:
                info.wait_for_publish(30)
            if n % 1000 == 999:
                say(f"fuzz: {n + 1} sent, home inbox {home._inbox.qsize()}")
        info.wait_for_publish(30)
        deadline = time.monotonic() + 120
        while not home._inbox.empty() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        good.drain(30)
        stored = home.db.events("fz")
        applied = [e for e in good_store.events(device_id="fzbad1")]
    finally:
        elapsed = time.perf_counter() - start
        bad.loop_stop()
        bad.disconnect()
        good.stop()
        home.stop()
        good_store.close()
        logging.getLogger().removeHandler(traces)
    drops = home.counters.snapshot()
    return {
        "messages": count,
        "seconds": elapsed,
        "tracebacks": traces.count,
        "stored": len(stored),
        "stored_bad": sum(1 for e in stored if bodies.problem(e.type, e.body)),
        "applied": len(applied),
        "applied_bad": sum(1 for e in applied if bodies.problem(e.type, e.body)),
        "drops": {str(k): v for k, v in sorted(drops.items())},
    }


def hostile(broker: LocalBroker, work: Path, users: int = 4, rounds: int = 25) -> dict:
    """Well-behaved users' `sync now` (5 new facts, then drain) while fz/bad floods bad messages
    and 10 of its connections sit in share groups."""
    home = Home(work / "home-hostile.sqlite3", broker.home_settings()).start()
    assert home.link.up.wait(10)
    login = login_from(broker.device_settings("fz", "bad"))
    flood = new_client(login, "flood")
    flood.connect(login.host, login.port)
    flood.loop_start()
    joiners = []
    for n in range(10):
        c = new_client(login, f"joiner-{n}")
        c.connect(login.host, login.port)
        c.loop_start()
        c.subscribe(
            [
                (f"$share/{g}/earpiece/v1/+/+/{k}", 1)
                for g in ("earpiece-home", "home")
                for k in ("events", "pull")
            ]
        )
        joiners.append(c)
    stop = threading.Event()
    sent = [0]

    rng = random.Random(7)
    pool = [fuzz_payload(rng, n, "fz", "bad", "fzbad2") for n in range(500)]

    def spray() -> None:
        topic = p.device_topic("fz", "bad", p.Kind.EVENTS)
        while not stop.is_set():
            info = flood.publish(topic, pool[sent[0] % len(pool)], qos=1)
            sent[0] += 1
            if sent[0] % 50 == 0:
                info.wait_for_publish(10)

    times: list[float] = []
    clients = []
    for u in range(users):
        store = Store.open(work / f"hostile-u{u}")
        clients.append(SyncClient(store, broker.device_settings(f"ok{u}", "pocket")).start())
    sprayer = threading.Thread(target=spray, daemon=True)
    try:
        for c in clients:
            assert c.link.up.wait(10)
        sprayer.start()
        for r in range(rounds):
            for u, c in enumerate(clients):
                c.store.commit(
                    [
                        Change("facts.put", f"fact:{r}:{i}", {"text": f"ok{u} {r} {i}"})
                        for i in range(5)
                    ]
                )
                t = time.perf_counter()
                c.drain(30)
                times.append(time.perf_counter() - t)
            say(
                f"hostile round {r}: last {times[-1]:.3f} s, flood {sent[0]}, "
                f"home inbox {home._inbox.qsize()}"
            )
    finally:
        stop.set()
        sprayer.join(10)
        for c in [flood, *joiners]:
            c.loop_stop()
            c.disconnect()
        for c in clients:
            c.stop()
            c.store.close()
        home.stop()
    return {
        "users": users,
        "syncs": len(times),
        "p50": percentile(times, 50),
        "p99": percentile(times, 99),
        "max": max(times),
        "flood": sent[0],
        "mean": statistics.mean(times),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Home sync on loopback with a real Mosquitto (TLS, passwords, the deploy "
        "ACL): one device's throughput, many simulated devices, a hostile fuzz and flood.",
    )
    parser.add_argument(
        "devices",
        nargs="*",
        type=int,
        metavar="DEVICES",
        help="simulated device counts to run (default 100 500 1000 2000; "
        "none with --fuzz/--hostile alone)",
    )
    parser.add_argument(
        "--logins",
        action="store_true",
        help="a login and ACL entry per simulated device, made by "
        "earpiece-home-setup (default: one shared login)",
    )
    parser.add_argument(
        "--fuzz",
        type=int,
        default=0,
        metavar="N",
        help="send N hostile messages from a valid device login",
    )
    parser.add_argument(
        "--hostile",
        action="store_true",
        help="measure well-behaved users' sync now while one device floods",
    )
    parser.add_argument("--no-single", action="store_true", help="skip the one-device runs")
    args = parser.parse_args(argv)
    levels = args.devices or ([] if args.fuzz or args.hostile else [100, 500, 1000, 2000])
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        work = Path(tmp)
        broker = LocalBroker(work / "broker")
        _BROKER_DIR.append(broker.dir)
        broker.add_device("bench", "pocket")
        broker.add_device("bench", "pocket-e2e")
        for user, device in [
            ("fz", "bad"),
            ("fz", "good"),
            *[(f"ok{u}", "pocket") for u in range(4)],
        ]:
            broker.add_device(user, device)
        subprocess.run(
            ["mosquitto_passwd", "-b", str(broker.dir / "passwd"), "bench", "bench-pw"], check=True
        )
        if not args.logins:
            with open(broker.dir / "acl", "a") as acl:
                acl.write(
                    "\n# the benchmark's simulated devices\nuser bench\n"
                    "topic readwrite earpiece/v1/#\n"
                )
        setup_s = add_sim_logins(broker, max(levels)) if args.logins and levels else 0.0
        broker.start()
        try:
            singles = (
                []
                if args.no_single
                else [one_device(broker, work, 3000, e2e) for e2e in (False, True)]
            )
            many = [many_devices(broker, work, n, args.logins) for n in levels]
            fuzzed = fuzz(broker, work, args.fuzz) if args.fuzz else None
            say(f"fuzz: {fuzzed}")
            flood = hostile(broker, work) if args.hostile else None
        finally:
            broker.stop()
    if singles:
        report_singles(singles)
    if many:
        report_many(many, setup_s)
    if fuzzed:
        print()
        print(
            f"Fuzz: {fuzzed['messages']} hostile messages from a valid device login in "
            f"{fuzzed['seconds']:.1f} s: {fuzzed['tracebacks']} tracebacks; stored at home "
            f"{fuzzed['stored']} events, {fuzzed['stored_bad']} with a bad body; applied at "
            f"another device {fuzzed['applied']}, {fuzzed['applied_bad']} with a bad body; "
            f"drops {fuzzed['drops']}"
        )
    if flood:
        print()
        print(
            f"Hostile device: {flood['users']} users' sync now x {flood['syncs']} while one "
            f"device sent {flood['flood']} bad messages and held 10 share-group joiners: "
            f"p50 {flood['p50']:.3f} s, p99 {flood['p99']:.3f} s, max {flood['max']:.3f} s"
        )
    return 0


def report_singles(singles: list[dict]) -> None:
    print("One device -> home database, counted at the home's ack (persisted, synchronous=FULL):")
    print()
    print("| e2e | events | seconds | events/s | commit p50/p99 ms, sync running | without |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in singles:
        print(
            f"| {'AES-GCM' if r['e2e'] else 'off'} | {r['events']} | {r['seconds']:.2f} | "
            f"{r['per_s']:.0f} | {r['commit_sync'][0]:.2f} / {r['commit_sync'][1]:.2f} | "
            f"{r['commit_solo'][0]:.2f} / {r['commit_solo'][1]:.2f} |"
        )


def report_many(many: list[dict], setup_s: float) -> None:
    logins = "its own login and ACL entry (earpiece-home-setup" + (
        f", {setup_s:.0f} s to make)" if setup_s else ")"
    )
    print()
    print(f"Each simulated device with {logins if many[0]['logins'] else 'one shared login'}.")
    print()
    print(
        f"Many simulated devices (TLS each, {ROUNDS} messages of {BATCH} events, each waiting "
        "for its ack; 4 devices per user, each subscribed to its user's fanout):"
    )
    print()
    print(
        "| devices connected | connect s | events | stored at home | lost | duplicated | "
        "seconds | events/s | fanout delivered | fanout duplicated |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in many:
        print(
            f"| {r['devices']} | {r['connect_s']:.1f} | {r['events']} | {r['stored']} | "
            f"{r['lost']} | {r['dup']} | {r['seconds']:.1f} | {r['per_s']:.0f} | "
            f"{r['fanout']}/{r['fanout_expected']} | {r['fanout_dup']} |"
        )
    for r in many:
        print(f"<!-- {r['devices']} devices: home said: {r['home']} -->")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
