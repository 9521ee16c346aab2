"""Sync without a network: topics and message checks, e2e sealing, backoff, the home database's
exactly-once and watermark rules, and forgetting, over real SQLite."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from earpiece.config import ConfigError, load_settings
from earpiece.store.database import Change, Event, Store
from earpiece.sync import protocol as p
from earpiece.sync.client import apply_events
from earpiece.sync.crypto import E2eError, Sealer, new_key
from earpiece.sync.fleet import Meta, forget_everywhere, is_forgotten, obey_forget
from earpiece.sync.homedb import HomeDb
from earpiece.sync.link import BACKOFF_MAX_S, BACKOFF_MIN_S, SyncError, backoff, login_from

EVENTS = "earpiece/v1/ann/pocket/events"


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "state")
    yield opened
    opened.close()


@pytest.fixture
def home(tmp_path: Path):
    db = HomeDb(tmp_path / "home.sqlite3")
    yield db
    db.close()


def event(device_id: str = "dev1", seq: int = 1, hlc_ms: int = 1700000000000, **over) -> dict:
    base = {
        "device_id": device_id,
        "seq": seq,
        "hlc": f"{hlc_ms:013d}-0000-{device_id}",
        "type": "facts.put",
        "key": f"fact:{seq}",
        "body": {"text": f"fact {seq}"},
    }
    return {**base, **over}


def msg(*events: dict, user: str = "ann", device: str = "pocket") -> p.EventsMsg:
    return p.EventsMsg.model_validate(
        {"v": 1, "user": user, "device": device, "events": list(events)}
    )


def payload(*events: dict, **envelope) -> bytes:
    return json.dumps(
        {"v": 1, "user": "ann", "device": "pocket", "events": list(events), **envelope}
    ).encode()


# --- topics and checks


def test_topics_parse_only_our_tree():
    assert p.parse_topic(EVENTS) == p.Topic("ann", "pocket", p.Kind.EVENTS)
    assert p.parse_topic("earpiece/v1/ann/fanout") == p.Topic("ann", None, p.Kind.FANOUT)
    for bad in (
        "earpiece/v1/ann/pocket/fanout",
        "earpiece/v1/ann/events",
        "earpiece/v2/a/b/ack",
        "earpiece/v1/Ann/pocket/ack",
        "earpiece/v1/ann/pocket/other",
        "x/y",
    ):
        assert p.parse_topic(bad) is None, bad


@pytest.mark.parametrize(
    ("reason", "topic", "data"),
    [
        (p.Drop.TOPIC, "earpiece/v1/ann/pocket/nonsense", payload(event())),
        (p.Drop.SIZE, EVENTS, b" " * (p.MAX_PAYLOAD + 1)),
        (p.Drop.JSON, EVENTS, b"{not json"),
        (p.Drop.JSON, EVENTS, b"\xff\xfe"),
        (p.Drop.SCHEMA, EVENTS, b"[1, 2]"),
        (p.Drop.SCHEMA, EVENTS, payload()),
        (p.Drop.SCHEMA, EVENTS, payload(event(seq=0))),
        (p.Drop.SCHEMA, EVENTS, payload(event(seq="1"))),
        (p.Drop.SCHEMA, EVENTS, payload(event(hlc="yesterday"))),
        (p.Drop.SCHEMA, EVENTS, payload(event(), extra=1)),
        (p.Drop.SCHEMA, EVENTS, payload(event(body=["not", "an", "object"]))),
        (p.Drop.TYPE, EVENTS, payload(event(type="facts.explode"))),
        (p.Drop.TYPE, EVENTS, payload(event(type="meta.put"))),
        (p.Drop.MISMATCH, "earpiece/v1/ann/phone/events", payload(event())),
        (p.Drop.MISMATCH, "earpiece/v1/bob/pocket/events", payload(event())),
    ],
)
def test_bad_messages_are_dropped_and_counted_by_reason(reason, topic, data):
    counters = p.Counters()
    assert p.decode(topic, data, counters) is None
    assert counters.snapshot() == {reason.value: 1}


def test_a_good_message_passes_every_check():
    counters = p.Counters()
    where, decoded = p.decode(EVENTS, payload(event(), event(seq=2)), counters)
    assert where.device == "pocket" and [e.seq for e in decoded.events] == [1, 2]
    assert counters.snapshot() == {}


def test_chunks_keep_every_message_under_the_limit():
    wired = [
        p.WireEvent.model_validate(event(seq=i, body={"text": "x" * 900})) for i in range(1, 200)
    ]
    runs = p.chunks(wired)
    assert [e.seq for run in runs for e in run] == list(range(1, 200))
    for run in runs:
        assert len(p.encode(msg(*[e.model_dump(exclude_none=True) for e in run]))) < p.MAX_PAYLOAD


# --- end-to-end sealing


def test_sealed_bodies_open_only_for_the_same_event_and_key():
    sealer = Sealer(bytes(range(32)), "ann")
    original = Event("dev1", 7, "1700000000000-0000-dev1", "facts.put", "fact:7", {"text": "pin"})
    sealed = Event(*[*original.__dict__.values()][:5], sealer.seal(original))
    assert set(sealed.body) == {"e2e"} and "pin" not in json.dumps(sealed.body)
    assert sealer.open(sealed) == {"text": "pin"}
    moved = Event("dev1", 8, sealed.hlc, sealed.type, sealed.key, sealed.body)
    for bad in (moved, Event(*[*original.__dict__.values()][:5], {"text": "pin"})):
        with pytest.raises(E2eError):
            sealer.open(bad)
    with pytest.raises(E2eError):
        Sealer(bytes(32), "ann").open(sealed)
    with pytest.raises(E2eError):
        Sealer(bytes(range(32)), "bob").open(sealed)


def test_key_file_errors_name_the_setting_and_file(tmp_path: Path):
    short = tmp_path / "short.key"
    short.write_text("c2hvcnQ=\n")
    with pytest.raises(E2eError, match=r"e2e_key_file .*short\.key.*32 bytes"):
        Sealer.from_file(short, "ann")
    with pytest.raises(E2eError, match=r"missing\.key"):
        Sealer.from_file(tmp_path / "missing.key", "ann")
    good = tmp_path / "good.key"
    good.write_text(new_key() + "\n")
    assert Sealer.from_file(good, "ann")


# --- reconnect backoff


def test_backoff_doubles_up_to_a_cap_with_jitter():
    rng = random.Random(1)
    for attempt in range(12):
        ceiling = min(BACKOFF_MAX_S, BACKOFF_MIN_S * 2**attempt)
        waits = {backoff(attempt, rng) for _ in range(20)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) == 20  # jittered: no two devices wait the same


# --- config


def test_sync_section_is_optional_and_validated(tmp_path: Path):
    assert load_settings(None).sync is None
    good = tmp_path / "good.toml"
    good.write_text(
        '[sync]\nbroker = "mqtt://127.0.0.1"\nuser = "ann"\ndevice = "pocket"\n'
        'username = "ann-pocket"\npassword = "pw"\n'
    )
    login = login_from(load_settings(good).sync)
    assert (login.port, login.tls) == (1883, False)
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[sync]\nbroker = "https://x"\nuser = "Ann/x"\ndevice = "pocket"\n'
        'username = "u"\npassword = "a"\npassword_file = "b"\nport = 1\n'
    )
    with pytest.raises(ConfigError) as info:
        load_settings(bad)
    text = str(info.value)
    assert str(bad) in text and "[sync] broker" in text and "[sync] user" in text
    assert "[sync] port: unknown key" in text


def test_a_missing_password_file_is_named(tmp_path: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[sync]\nbroker = "mqtts://h"\nuser = "ann"\ndevice = "pocket"\n'
        f'username = "u"\npassword_file = "{tmp_path}/nope"\n'
    )
    with pytest.raises(SyncError, match=r"\[sync\] password_file .*nope"):
        login_from(load_settings(cfg).sync)


# --- the home database


def test_home_stores_each_event_once_and_acks_the_contiguous_watermark(home: HomeDb):
    counters = p.Counters()
    [first] = home.store([msg(event(seq=1), event(seq=2), event(seq=4))], counters)
    assert [e.hseq for e in first.new] == [1, 2, 3] and first.acks == {"dev1": 2}
    [again] = home.store([msg(event(seq=2), event(seq=3))], counters)
    assert [e.seq for e in again.new] == [3] and again.acks == {"dev1": 4}
    assert again.prev == 3 and counters[p.Drop.REPLAY] == 1
    assert home.count("ann") == 4


def test_home_refuses_a_device_id_that_another_device_owns(home: HomeDb):
    counters = p.Counters()
    home.store([msg(event("devA", 1), device="phone")], counters)
    [stolen] = home.store([msg(event("devA", 2))], counters)
    assert stolen.new == [] and stolen.acks == {} and counters[p.Drop.OWNER] == 1
    assert home.acked("ann", "pocket", "devA") is None and home.acked("ann", "phone", "devA") == 1


def test_home_blanks_superseded_and_deleted_bodies(home: HomeDb):
    counters = p.Counters()
    home.store(
        [
            msg(
                event(seq=1, key="fact:k", body={"text": "old"}),
                event(seq=2, hlc_ms=1700000000001, key="fact:k", body={"text": "new"}),
            )
        ],
        counters,
    )
    assert [e.body for e in home.events("ann")] == [{"redacted": True}, {"text": "new"}]
    home.store(
        [msg(event(seq=3, hlc_ms=1700000000002, key="fact:k", type="facts.delete", body={}))],
        counters,
    )
    assert all("text" not in e.body for e in home.events("ann"))
    # an older write that arrives late is superseded on arrival: its body is not kept either
    home.store(
        [msg(event("devB", 1, 1700000000000, key="fact:k", body={"text": "late"}), device="phone")],
        counters,
    )
    assert all("text" not in e.body for e in home.events("ann"))


def test_a_tombstone_erases_older_events_and_late_old_ones_become_marks(home: HomeDb):
    counters = p.Counters()
    home.store([msg(event("devA", 1), event("devA", 2), device="phone")], counters)
    home.store(
        [msg(event("devB", 1, 1700000000005, type=p.FORGET_ALL, key="forget", body={}))], counters
    )
    assert [e.type for e in home.events("ann")] == [p.FORGET_ALL]
    # the phone was offline; its old event arrives after the forget: kept as a mark only
    [late] = home.store([msg(event("devA", 3, 1700000000003), device="phone")], counters)
    assert late.new[0].type == p.FORGET_MARK and late.new[0].body == {}
    assert late.acks == {"devA": 3}
    [fresh] = home.store([msg(event("devA", 4, 1700000000009), device="phone")], counters)
    assert fresh.new[0].body == {"text": "fact 4"}


def test_pull_answers_in_batches_after_a_home_sequence(home: HomeDb):
    counters = p.Counters()
    big = {"text": "y" * 2000}
    home.store([msg(*[event(seq=i, body=big) for i in range(1, 61)])], counters)
    got, after, more = [], 0, True
    while more:
        batch, after, more = home.pull("ann", after)
        assert (
            len(
                p.encode(
                    p.PulledMsg(
                        v=1, user="ann", device="x", events=batch, last=after, more=more, now=""
                    )
                )
            )
            < p.MAX_PAYLOAD
        )
        got += [e.seq for e in batch]
    assert got == list(range(1, 61))
    assert home.pull("bob", 0) == ([], 0, False)


# --- forgetting on a device


def test_forget_everywhere_leaves_only_the_tombstone_and_numbering_goes_on(store: Store):
    store.commit([Change("facts.put", f"fact:{i}", {"text": "secret"}) for i in range(3)])
    tomb = forget_everywhere(store)
    assert tomb.seq == 4 and store.count("facts") == 0 and store.event_count() == 1
    from earpiece.store import export

    assert is_forgotten(export.document(store)) and not export.is_empty(export.document(store))
    [after] = store.commit([Change("facts.put", "fact:new", {"text": "after"})])
    assert after.seq == 5


def test_obeying_a_remote_forget_keeps_newer_events_and_a_mark(store: Store):
    store.commit([Change("facts.put", "fact:mine", {"text": "mine, older"})])
    tomb = Event("other", 9, "9999999999998-0000-other", p.FORGET_ALL, "forget", {})
    newer = Event("other", 10, "9999999999999-0000-other", "facts.put", "fact:n", {"text": "n"})
    meta = Meta(store)
    apply_events(store, [tomb, newer], meta)
    assert [k for k, _ in store.rows("facts")] == ["fact:n"]
    mine = store.events()
    assert [(e.seq, e.type) for e in mine] == [(1, p.FORGET_MARK)]
    assert meta.load().forgot == tomb.hlc
    # an old event arriving later is not brought back
    old = Event("third", 1, "1700000000000-0000-third", "facts.put", "fact:o", {"text": "o"})
    apply_events(store, [old], meta)
    assert store.get("facts", "fact:o") is None
    obey_forget(store, tomb)  # twice is the same as once
    assert [k for k, _ in store.rows("facts")] == ["fact:n"]
    meta.close()


def test_a_remote_delete_blanks_the_forgotten_fact_in_the_log(store: Store):
    meta = Meta(store)
    put = Event("other", 1, "1700000000000-0000-other", "facts.put", "fact:x", {"text": "xyz"})
    gone = Event("other", 2, "1700000000001-0000-other", "facts.delete", "fact:x", {})
    apply_events(store, [put], meta)
    apply_events(store, [gone], meta)
    assert store.get("facts", "fact:x") is None
    assert all(e.body.get("text") != "xyz" for e in store.events(device_id="other"))
    meta.close()


def test_a_device_drops_garbage_from_the_home_and_stores_nothing(store: Store):
    from earpiece.config import SyncSettings
    from earpiece.sync.client import SyncClient

    settings = SyncSettings(
        broker="mqtt://127.0.0.1:9",
        user="ann",
        device="pocket",
        username="ann-pocket",
        password="pw",
    )
    client = SyncClient(store, settings)  # never started: no network in this test
    fanout = "earpiece/v1/ann/fanout"

    def fan(*events: dict, user: str = "ann", **over) -> bytes:
        body = {
            "v": 1,
            "user": user,
            "prev": 0,
            "last": 1,
            "events": list(events),
            "now": "2026-12-01T10:00:00+00:00",
            **over,
        }
        return json.dumps(body).encode()

    good = event("other", 1, hseq=1)
    for topic, data in [
        (fanout, b"\x00" * (p.MAX_PAYLOAD + 1)),
        (fanout, b"nope"),
        (fanout, fan(good, user="bob")),
        (fanout, fan(event("other", 1, hseq=1, type="facts.burn"))),
        (fanout, fan(good, last="1")),
        ("earpiece/v1/ann/pocket/pulled", fan(good)),
        ("earpiece/v1/ann/pocket/events", payload(event())),
    ]:
        client._handle(topic, data)
    assert store.event_count() == 0 and client._hseq == 0
    assert sum(client.counters.snapshot().values()) == 7
    client._handle(fanout, fan(good))  # and a good one after all that is applied
    assert store.get("facts", "fact:1") == {"text": "fact 1"} and client._hseq == 1
    client._meta.close()


def test_an_event_too_large_for_a_message_is_sent_as_a_mark():
    from earpiece.sync.client import _fits

    small = p.WireEvent.model_validate(event())
    assert _fits(small) is small
    huge = p.WireEvent.model_validate(event(body={"text": "x" * p.MAX_PAYLOAD}))
    mark = _fits(huge)
    assert (mark.type, mark.body, mark.seq) == (p.FORGET_MARK, {}, huge.seq)
