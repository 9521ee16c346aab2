"""Home sync over a real Mosquitto (TLS, a password per device, the deploy ACL), real SQLite."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from earpiece.store import export
from earpiece.store.database import Change, Store
from earpiece.sync import protocol as p
from earpiece.sync.client import SyncClient, check_broker
from earpiece.sync.crypto import new_key
from earpiece.sync.home import Home
from earpiece.sync.homedb import export_user
from earpiece.sync.link import login_from, new_client
from earpiece.sync.localbroker import LocalBroker
from tests.conftest import earpiece_cmd

# slow: a real Mosquitto, devices over the network
pytestmark = [pytest.mark.integration, pytest.mark.slow]

DEVICES = {
    "ann": ("pocket", "phone"),
    "bo": ("pocket", "phone"),
    "cy": ("pocket", "phone"),
    "di": ("pocket", "phone"),
    "ed": ("pocket", "phone"),
    "fay": ("pocket", "spare"),
    "gus": ("pocket", "phone"),
    "mal": ("pocket", "phone"),
    "hal": ("pocket",),
}


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory):
    """One broker for this module, made by deploy/home/earpiece-home-setup; stopped after."""
    made = LocalBroker(tmp_path_factory.mktemp("broker"))
    for user, devices in DEVICES.items():
        for device in devices:
            made.add_device(user, device)
    made.add_homeassistant()
    made.start()
    yield made
    made.stop()


@pytest.fixture
def home(broker: LocalBroker, tmp_path: Path):
    running = Home(tmp_path / "home.sqlite3", broker.home_settings()).start()
    assert running.link.up.wait(10), running.link.last_error
    yield running
    running.stop()


@pytest.fixture
def device(broker: LocalBroker, tmp_path: Path):
    """device(user, name) -> a SyncClient (not started) on a fresh store of its own."""
    made: list[SyncClient] = []

    def make(user: str, name: str, key_file: str = "", store: Store | None = None) -> SyncClient:
        store = store or Store.open(tmp_path / f"{user}-{name}-{len(made)}")
        client = SyncClient(store, broker.device_settings(user, name, key_file))
        made.append(client)
        return client

    yield make
    for client in made:
        if client._worker is not None and client._worker.is_alive():
            client.stop()
        client.store.close()


def eventually(check: Callable[[], bool], within_s: float = 30.0) -> bool:
    """Poll until `check()` holds; a bound on waiting for a network, not a speed assertion."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def facts(store: Store) -> dict[str, str]:
    return {key: row["text"] for key, row in store.rows("facts")}


def same_export(a: dict, b: dict) -> bool:
    strip = ("device_id", "exported_at")
    return {k: v for k, v in a.items() if k not in strip} == {
        k: v for k, v in b.items() if k not in strip
    }


def test_two_devices_converge_and_the_later_write_wins_everywhere(home: Home, device):
    pocket, phone = device("ann", "pocket"), device("ann", "phone")
    pocket.store.commit(
        [Change("facts.put", f"fact:p{i}", {"text": f"pocket {i}"}) for i in range(20)]
    )
    phone.store.commit(
        [Change("facts.put", f"fact:f{i}", {"text": f"phone {i}"}) for i in range(20)]
    )
    pocket.store.commit([Change("facts.put", "fact:shared", {"text": "written first"})])
    time.sleep(0.01)  # a later wall-clock millisecond: the phone's write is the later one
    phone.store.commit([Change("facts.put", "fact:shared", {"text": "written last"})])
    heard: list[datetime] = []
    pocket.on_home_time = heard.append
    with pocket, phone:
        assert pocket.drain(30) and phone.drain(30)
        assert eventually(lambda: len(facts(pocket.store)) == len(facts(phone.store)) == 41)
    assert heard and all(abs(t - datetime.now(UTC)) < timedelta(minutes=1) for t in heard)
    assert facts(pocket.store) == facts(phone.store)
    assert facts(pocket.store)["fact:shared"] == "written last"
    assert pocket.store.event_count() == phone.store.event_count() == 42 == home.db.count("ann")
    at_home = export_user(home.db, "ann")
    assert same_export(export.document(pocket.store), at_home)
    assert same_export(export.document(phone.store), at_home)


def test_broker_killed_mid_burst_loses_nothing_and_stores_nothing_twice(
    broker: LocalBroker, home: Home, device
):
    pocket = device("bo", "pocket")
    killed = threading.Event()

    def burst() -> None:
        for i in range(30):
            pocket.store.commit(
                Change("turns.put", f"turn:{i}-{j}", {"text": f"line {i}.{j}"}) for j in range(10)
            )
            if i == 10:
                killed.wait(10)
            time.sleep(0.01)

    with pocket:
        assert pocket.link.up.wait(10)
        writer = threading.Thread(target=burst)
        writer.start()
        assert eventually(lambda: home.db.count("bo") > 0)
        broker.kill()
        killed.set()
        time.sleep(1.0)
        broker.start()
        writer.join()
        assert pocket.drain(60), pocket.status()
    rows = home.db._conn.execute(
        "SELECT COUNT(*), COUNT(DISTINCT seq), MIN(seq), MAX(seq) FROM events WHERE user = 'bo'"
    ).fetchone()
    assert rows == (300, 300, 1, 300)
    assert pocket.status().acked_seq == 300 and pocket.pending() == 0


def test_a_device_offline_for_a_while_catches_up(home: Home, device):
    pocket, phone = device("cy", "pocket"), device("cy", "phone")
    with phone:
        phone.store.commit([Change("facts.put", "fact:early", {"text": "before the trip"})])
        assert phone.drain(30)
    # the phone is off; the pocket goes on, and the phone changes things while offline
    with pocket:
        for i in range(50):
            pocket.store.commit([Change("facts.put", f"fact:{i}", {"text": f"while away {i}"})])
        assert pocket.drain(30)
    phone.store.commit([Change("facts.put", "fact:offline", {"text": "said offline"})])
    with device("cy", "phone", store=phone.store) as back:
        assert back.drain(30)
    assert len(facts(phone.store)) == 52
    with device("cy", "pocket", store=pocket.store) as again:
        assert again.drain(30)
        assert eventually(lambda: "fact:offline" in facts(pocket.store))
    assert facts(phone.store) == facts(pocket.store)


def raw_client(broker: LocalBroker, user: str, device: str) -> mqtt.Client:
    client = new_client(login_from(broker.device_settings(user, device)), f"raw-{user}-{device}")
    connected = threading.Event()
    client.on_connect = lambda *_a: connected.set()
    client.connect("localhost", broker.port)
    client.loop_start()
    assert connected.wait(10)
    return client


def publish_reason(client: mqtt.Client, topic: str, payload: bytes) -> int:
    """The broker's PUBACK reason code for one QoS 1 publish."""
    done = threading.Event()
    codes: dict[int, int] = {}

    def on_publish(_c, _u, mid, reason, _props) -> None:
        codes[mid] = reason.value
        done.set()

    client.on_publish = on_publish
    info = client.publish(topic, payload, qos=1)
    assert eventually(lambda: info.mid in codes, 10)
    return codes[info.mid]


def events_payload(user: str, device: str, device_id: str = "abc", seq: int = 1, **over) -> bytes:
    event = {
        "device_id": device_id,
        "seq": seq,
        "hlc": f"1700000000000-0000-{device_id}",
        "type": "facts.put",
        "key": "fact:x",
        "body": {"text": "injected"},
    }
    event.update(over)
    return json.dumps({"v": 1, "user": user, "device": device, "events": [event]}).encode()


def test_the_broker_refuses_a_device_writing_into_another_users_tree(
    broker: LocalBroker, home: Home
):
    raw = raw_client(broker, "di", "pocket")
    try:
        not_authorized = 0x87
        for topic in (
            "earpiece/v1/ed/pocket/events",
            "earpiece/v1/di/phone/events",
            "earpiece/v1/di/fanout",
            "earpiece/v1/di/pocket/ack",
        ):
            user, dev = topic.split("/")[2], "pocket"
            assert publish_reason(raw, topic, events_payload(user, dev)) == not_authorized, topic
        # reading: the broker may grant a subscription but delivers only what the ACL allows
        seen: list[str] = []
        raw.on_message = lambda _c, _u, m: seen.append(m.topic)
        raw.subscribe(
            [
                ("earpiece/v1/ed/fanout", 1),
                ("earpiece/v1/+/+/events", 1),
                ("earpiece/v1/di/fanout", 1),
            ]
        )
        time.sleep(0.3)
        other = raw_client(broker, "ed", "pocket")
        assert publish_reason(other, "earpiece/v1/ed/pocket/events", b"{}") == 0
        other.loop_stop()
        other.disconnect()
        home.link.publish("earpiece/v1/ed/fanout", b"{}").wait_for_publish(10)
        home.link.publish("earpiece/v1/di/fanout", b"{}").wait_for_publish(10)
        assert eventually(lambda: "earpiece/v1/di/fanout" in seen, 10)
        time.sleep(0.3)
        assert seen == ["earpiece/v1/di/fanout"]
        # its own tree is open to it
        assert (
            publish_reason(raw, "earpiece/v1/di/pocket/events", events_payload("di", "pocket")) == 0
        )
        assert eventually(lambda: home.db.count("di") == 1)
    finally:
        raw.loop_stop()
        raw.disconnect()
    assert home.db.count("ed") == 0


def test_garbage_payloads_change_nothing_and_are_counted(broker: LocalBroker, home: Home, device):
    raw = raw_client(broker, "gus", "pocket")
    topic = "earpiece/v1/gus/pocket/events"
    try:
        good = events_payload("gus", "pocket", "devgus")
        assert publish_reason(raw, topic, good) == 0
        assert eventually(lambda: home.db.count("gus") == 1)
        garbage = {
            p.Drop.SIZE: b"{" + b" " * p.MAX_PAYLOAD + b"}",
            p.Drop.JSON: b"\xff\xfe not json",
            p.Drop.SCHEMA: json.dumps({"v": 1, "user": "gus", "device": "pocket"}).encode(),
            p.Drop.TYPE: events_payload("gus", "pocket", "devgus", 2, type="facts.explode"),
            p.Drop.MISMATCH: events_payload("gus", "phone", "devgus", 3),
            p.Drop.REPLAY: good,
            p.Drop.OWNER: b"",
        }
        # an event of the phone's store id, sent from the pocket: the phone owns that id
        phone = device("gus", "phone")
        phone.store.commit([Change("facts.put", "fact:phone", {"text": "the phone's own"})])
        with phone:
            assert phone.drain(30)
        garbage[p.Drop.OWNER] = events_payload("gus", "pocket", phone.store.device_id, 2)
        before = home.db.count("gus")
        for reason, payload in garbage.items():
            assert publish_reason(raw, topic, payload) == 0, reason
            assert eventually(lambda r=reason: home.counters[r] >= 1, 10), reason
        assert home.db.count("gus") == before == 2
        # the home is still serving: the next good event is stored and acknowledged
        assert publish_reason(raw, topic, events_payload("gus", "pocket", "devgus", 2)) == 0
        assert eventually(lambda: home.db.count("gus") == 3)
        texts = [e.body.get("text") for e in home.db.events("gus")]
        assert texts.count("injected") == 2 and "the phone's own" in texts
    finally:
        raw.loop_stop()
        raw.disconnect()


def config_file(path: Path, settings) -> Path:
    lines = ["[sync]", *(f"{k} = {json.dumps(v)}" for k, v in settings.model_dump().items() if v)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*earpiece_cmd(), *args], env=env, capture_output=True, text=True, timeout=180
    )


def test_a_restored_new_device_answers_recall_fact_as_the_old_one(
    broker: LocalBroker, home: Home, device, make_companion, cli_env, tmp_path: Path
):
    old = make_companion(tmp_path / "old")
    assert old.respond("remember that my sister's name is Jisoo").intent == "remember_fact"
    assert old.respond("내 생일은 삼월 오일이야 기억해 줘").intent == "remember_fact"
    # the old device syncs by the command line
    old_config = config_file(tmp_path / "old.toml", broker.device_settings("fay", "pocket"))
    pushed = cli(
        "sync",
        "now",
        "--json",
        "--config",
        str(old_config),
        env={**cli_env, "EARPIECE_STATE_DIR": str(tmp_path / "old")},
    )
    assert pushed.returncode == 0, pushed.stderr
    assert json.loads(pushed.stdout)["pending"] == 0
    assert home.db.count("fay") == old.store.event_count() > 0
    # a new, empty device of the same person, restored by the command line
    config = config_file(tmp_path / "spare.toml", broker.device_settings("fay", "spare"))
    env = {**cli_env, "EARPIECE_STATE_DIR": str(tmp_path / "new")}
    done = cli("sync", "restore", "--json", "--config", str(config), env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["restored"] is True and report["rows"]["facts"] == 2
    status = cli("sync", "status", "--json", "--config", str(config), env=env)
    shown = json.loads(status.stdout.splitlines()[-1])
    assert status.returncode == 0 and shown["connected"] is True
    assert shown["pending"] == 0 and shown["home_seq"] == home.db.count("fay")
    new = make_companion(tmp_path / "new")
    assert new.store.device_id != old.store.device_id
    for question, answer in (
        ("what's my sister's name?", "Jisoo"),
        ("내 생일 언제라고 했지", "삼월 오일"),
    ):
        before, after = old.respond(question), new.respond(question)
        assert before.intent == after.intent == "recall_fact"
        assert answer in before.text and answer in after.text


def test_forget_on_one_device_erases_everywhere(
    broker: LocalBroker, home: Home, device, cli_env, tmp_path: Path
):
    pocket, phone = device("mal", "pocket"), device("mal", "phone")
    secret = "the locker code is 4711"
    pocket.store.commit([Change("facts.put", "fact:code", {"text": secret})])
    phone.store.commit([Change("facts.put", "fact:dog", {"text": "the dog is called Bori"})])
    with phone:
        assert phone.drain(30)
        with pocket:
            assert pocket.drain(30)
            assert eventually(lambda: len(facts(phone.store)) == 2)
        pocket.store.close()
        config = config_file(tmp_path / "pocket.toml", broker.device_settings("mal", "pocket"))
        env = {**cli_env, "EARPIECE_STATE_DIR": str(pocket.store.path.parent)}
        done = cli("forget", "--yes", "--config", str(config), env=env)
        assert done.returncode == 0, done.stderr
        assert eventually(lambda: facts(phone.store) == {})
    assert [e.type for e in home.db.events("mal")].count(p.FORGET_ALL) == 1
    assert all(not e.type.endswith(".put") for e in home.db.events("mal"))
    assert export_user(home.db, "mal")["facts"] == []
    on_disk = b"".join(f.read_bytes() for f in home.db.path.parent.glob("home.sqlite3*"))
    assert secret.encode() not in on_disk and b"Bori" not in on_disk
    after = Store.open(pocket.store.path.parent)
    assert after.count("facts") == 0
    after.close()
    assert secret.encode() not in b"".join(
        f.read_bytes() for f in pocket.store.path.parent.glob("earpiece.sqlite3*")
    )
    assert b"Bori" not in b"".join(f.read_bytes() for f in phone.store.path.parent.glob("*3*"))


def test_end_to_end_encryption_the_home_sees_ciphertext_only(
    broker: LocalBroker, home: Home, device, tmp_path: Path
):
    key = tmp_path / "ed.key"
    key.write_text(new_key() + "\n", encoding="ascii")
    pocket, phone = device("ed", "pocket", str(key)), device("ed", "phone", str(key))
    pocket.store.commit([Change("facts.put", "fact:1", {"text": "my pin is 2580"})])
    with pocket, phone:
        assert pocket.drain(30) and phone.drain(30)
        assert eventually(lambda: facts(phone.store) == {"fact:1": "my pin is 2580"})
    stored = home.db.events("ed")
    assert [set(e.body) for e in stored] == [{"e2e"}]
    on_disk = b"".join(f.read_bytes() for f in home.db.path.parent.glob("home.sqlite3*"))
    assert b"2580" not in on_disk
    assert same_export(export_user(home.db, "ed", key), export.document(pocket.store))
    # a device with another key cannot read the others' events and stores nothing of them
    wrong = tmp_path / "wrong.key"
    wrong.write_text(new_key(), encoding="ascii")
    with device("ed", "phone", str(wrong)) as stranger:
        assert stranger.drain(30)
        assert stranger.counters[p.Drop.CRYPTO] == 1
        assert facts(stranger.store) == {}


def test_check_broker_says_what_is_wrong(broker: LocalBroker, tmp_path: Path):
    good = broker.device_settings("ann", "pocket")
    ok, why = check_broker(good)
    assert ok and "ann-pocket" in why
    bad_password = good.model_copy(update={"password_file": "", "password": "nope"})
    ok, why = check_broker(bad_password)
    assert not ok and "refused" in why
    other_ca = tmp_path / "other"
    LocalBroker(other_ca)  # a second CA that did not sign this broker's certificate
    ok, why = check_broker(good.model_copy(update={"ca_file": str(other_ca / "ca.crt")}))
    assert not ok and "not trusted" in why and "ca_file" in why
    ok, why = check_broker(good.model_copy(update={"password_file": str(tmp_path / "none")}))
    assert not ok and "password_file" in why


def test_presence_is_retained_and_the_last_will_says_offline(
    broker: LocalBroker, home: Home, device
):
    watcher = new_client(login_from(broker.home_settings(), "home"), "presence-watcher")
    states: list[str] = []
    watcher.on_message = lambda _c, _u, m: states.append(json.loads(m.payload)["state"])
    watcher.connect("localhost", broker.port)
    watcher.loop_start()
    try:
        pocket = device("ann", "pocket").start()
        assert pocket.link.up.wait(10)
        watcher.subscribe("earpiece/v1/ann/pocket/presence", qos=1)
        assert eventually(lambda: states[-1:] == ["online"], 10)  # retained, read after the fact
        # the device dies without a goodbye: the broker publishes its last will
        pocket.link._stop.set()
        pocket.link.client.loop_stop()
        pocket.link.client.socket().close()
        assert eventually(lambda: states[-1:] == ["offline"], 30)
        pocket._stop.set()
        pocket._inbox.put(None)
    finally:
        watcher.loop_stop()
        watcher.disconnect()


def test_home_assistant_discovery_shows_each_devices_sensors(
    broker: LocalBroker, device, tmp_path: Path
):
    settings = broker.home_settings().model_copy(update={"ha_discovery": True})
    seen: dict[str, dict] = {}
    watcher = new_client(login_from(broker.homeassistant, "home"), "ha-watcher")
    watcher.on_message = lambda _c, _u, m: seen.__setitem__(m.topic, json.loads(m.payload))
    watcher.connect("localhost", broker.port)
    watcher.loop_start()
    watcher.subscribe(
        [
            ("homeassistant/sensor/earpiece_hal_pocket/+/config", 1),
            ("earpiece/v1/hal/pocket/ha/state", 1),
        ]
    )
    pocket = device("hal", "pocket")
    due = "2026-12-01T18:00+09:00"
    pocket.store.commit(
        [
            Change("turns.put", "turn:1", {"text": "hi", "at": "2026-12-01T10:00:00"}),
            Change(
                "mood.put",
                "mood:1",
                {"emotion": "sad", "at": "2026-12-01T10:00:00", "confidence": 0.9},
            ),
            Change("reminders.put", "rem:1", {"what": "pills", "status": "pending", "due_at": due}),
            Change("reminders.put", "rem:2", {"what": "call", "status": "pending", "due_at": due}),
            Change("reminders.put", "rem:3", {"what": "walk", "status": "done", "due_at": due}),
        ]
    )
    home = Home(tmp_path / "home.sqlite3", settings).start()
    try:
        assert home.link.up.wait(10)
        with pocket:
            assert pocket.drain(30)
            state = "earpiece/v1/hal/pocket/ha/state"
            assert eventually(lambda: seen.get(state, {}).get("pending_reminders") == 2, 10)
            assert eventually(lambda: seen[state]["presence"] == "online", 10)
        assert seen[state]["mood"] == "sad" and seen[state]["last_interaction"]
        configs = [t for t in seen if t.endswith("/config")]
        assert len(configs) == 4
        assert all(seen[t]["state_topic"] == state for t in configs)
        assert eventually(lambda: seen[state]["presence"] == "offline", 10)
    finally:
        home.stop()
        watcher.loop_stop()
        watcher.disconnect()


def test_two_home_workers_split_the_load_and_store_each_event_once(
    broker: LocalBroker, device, tmp_path: Path
):
    db = tmp_path / "home.sqlite3"
    workers = [Home(db, broker.home_settings()).start() for _ in range(2)]
    try:
        assert all(w.link.up.wait(10) for w in workers)
        pocket, phone = device("bo", "pocket"), device("bo", "phone")
        with pocket, phone:
            for round_ in range(6):
                for client in (pocket, phone):
                    client.store.commit(
                        Change("facts.put", f"fact:{client.device}:{round_}:{i}", {"text": "t"})
                        for i in range(10)
                    )
                    assert client.drain(30)
            assert eventually(lambda: len(facts(pocket.store)) == len(facts(phone.store)) == 120)
        assert workers[0].db.count("bo") == 120
        assert all(w.stored > 0 for w in workers) and sum(w.stored for w in workers) == 120
    finally:
        for w in workers:
            w.stop()


def test_earpiece_run_syncs_while_it_runs(broker: LocalBroker, home: Home, cli_env, tmp_path):
    """The device runtime starts the sync client itself: a fact told to `earpiece run` reaches
    the home while the process is still running, without `sync now`."""
    config = config_file(tmp_path / "run.toml", broker.device_settings("fay", "pocket"))
    env = {**cli_env, "EARPIECE_STATE_DIR": str(tmp_path / "run-state")}
    proc = subprocess.Popen(
        [*earpiece_cmd(), "run", "--text", "--config", str(config)],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdin is not None
        proc.stdin.write("remember that my dog's name is Bori\n")
        proc.stdin.flush()
        assert eventually(lambda: home.db.count("fay") > 0, within_s=60), "nothing reached home"
        assert any(
            e.type == "facts.put" and "Bori" in json.dumps(e.body, ensure_ascii=False)
            for e in home.db.events("fay")
        )
    finally:
        if proc.stdin:
            proc.stdin.close()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
