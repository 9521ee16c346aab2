"""The SQLite store: event log, last-writer-wins, idempotency, migrations and failure paths."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from earpiece.store.clock import Hlc
from earpiece.store.database import DB_FILE, Change, Event, Store, StoreBusy, StoreError
from earpiece.store.migrations import STEPS


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "state")
    yield opened
    opened.close()


def test_state_dir_and_file_are_private_and_wal_is_on(tmp_path: Path):
    state = tmp_path / "state"
    opened = Store.open(state)
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / DB_FILE).stat().st_mode) == 0o600
    with sqlite3.connect(state / DB_FILE) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(STEPS)
    opened.close()


def test_commit_logs_events_in_order_and_drives_the_tables(store: Store):
    events = store.commit(
        [
            Change("facts.put", "fact:a", {"text": "jazz"}),
            Change("facts.put", "fact:b", {"text": "tea"}),
        ]
    )
    assert [e.seq for e in events] == [1, 2]
    assert Hlc.parse(events[0].hlc) < Hlc.parse(events[1].hlc)
    assert store.get("facts", "fact:a") == {"text": "jazz"}
    store.commit([Change("facts.delete", "fact:a", {})])
    assert store.get("facts", "fact:a") is None and store.count("facts") == 1


def test_remote_events_apply_once_and_the_later_clock_wins(store: Store):
    late = Event("other", 1, "9999999999999-0000-other", "facts.put", "fact:x", {"v": "late"})
    early = Event("other", 2, "0000000000001-0000-other", "facts.put", "fact:x", {"v": "early"})
    assert store.apply_remote([late, early]) == 2
    assert store.get("facts", "fact:x") == {"v": "late"}  # arrived first, still newer
    assert store.apply_remote([late, early]) == 0  # idempotent by device:seq
    assert store.event_count() == 2


def test_the_same_events_in_any_order_give_the_same_tables(tmp_path: Path):
    events = [
        Event("a", 1, "0000000000005-0000-a", "facts.put", "k", {"v": 1}),
        Event("b", 1, "0000000000005-0001-b", "facts.put", "k", {"v": 2}),
        Event("a", 2, "0000000000006-0000-a", "facts.delete", "k2", {}),
        Event("b", 2, "0000000000004-0000-b", "facts.put", "k2", {"v": 3}),
    ]
    one, two = Store.open(tmp_path / "one"), Store.open(tmp_path / "two")
    one.apply_remote(events)
    two.apply_remote(reversed(events))
    for table in ("facts",):
        assert one.rows(table) == two.rows(table)
    assert one.get("facts", "k") == {"v": 2} and one.get("facts", "k2") is None


def test_hlc_never_goes_backwards_when_the_wall_clock_does():
    clock = Hlc(1000, 0, "d")
    assert clock.tick(999) == Hlc(1000, 1, "d")
    assert clock.tick(2000) == Hlc(2000, 0, "d")
    assert clock.merge(Hlc(5000, 7, "e"), 10) == Hlc(5000, 8, "d")


def test_a_corrupt_file_is_kept_aside_and_a_fresh_store_starts(tmp_path: Path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    garbage = b"this is not sqlite" * 100
    (state / DB_FILE).write_bytes(garbage)
    opened = Store.open(state)
    assert opened.recovered_from is not None
    assert opened.recovered_from.read_bytes() == garbage  # nothing thrown away
    assert opened.integrity() == "ok" and opened.event_count() == 0
    opened.close()


def test_a_locked_database_is_a_clear_error_and_loses_nothing(store: Store, monkeypatch):
    monkeypatch.setattr("earpiece.store.database.BUSY_TIMEOUT_MS", 100)
    store.commit([Change("facts.put", "fact:1", {"text": "kept"})])
    holder = sqlite3.connect(store.path, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")
    store._conn.execute("PRAGMA busy_timeout = 100")
    with pytest.raises(StoreBusy, match="locked by another process"):
        store.commit([Change("facts.put", "fact:2", {"text": "later"})])
    holder.rollback()
    holder.close()
    store.commit([Change("facts.put", "fact:2", {"text": "later"})])
    assert store.count("facts") == 2


def test_a_state_dir_that_cannot_be_created_is_named(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the state directory"):
        Store.open(blocker / "state")


def test_a_read_only_state_dir_is_a_clear_error(tmp_path: Path, monkeypatch):
    state = tmp_path / "ro"
    state.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == state else real_access(p, m))
    with pytest.raises(StoreError, match="read-only"):
        Store.open(state)


def test_a_newer_schema_is_refused_not_damaged(tmp_path: Path):
    state = tmp_path / "state"
    Store.open(state).close()
    with sqlite3.connect(state / DB_FILE) as conn:
        conn.execute(f"PRAGMA user_version = {len(STEPS) + 5}")
    with pytest.raises(StoreError, match="newer than this earpiece"):
        Store.open(state)


def test_redact_blanks_bodies_but_keeps_the_log_whole(store: Store):
    store.commit(
        [
            Change("facts.put", "fact:s", {"text": "secret"}),
            Change("dialog.put", "state", {"last": "secret 1"}),
            Change("dialog.put", "state", {"last": "fine"}),
        ]
    )
    store.commit([Change("facts.delete", "fact:s", {})])
    store.redact(["fact:s"], superseded=["state"])
    bodies = [e.body for e in store.events()]
    assert len(bodies) == 4 and not any("secret" in str(b) for b in bodies)
    assert store.get("dialog", "state") == {"last": "fine"}


def test_erase_all_leaves_nothing(store: Store):
    store.commit([Change("facts.put", "fact:1", {"text": "x"})])
    store.erase_all()
    assert store.event_count() == 0 and store.count("facts") == 0
    assert store.integrity() == "ok"


def test_a_version_1_database_gains_recurring_reminders_and_keeps_its_old_ones(tmp_path: Path):
    """Step 2 (issue 20): an old reminder body without "repeat" still applies, as a one-off."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    old = {"due_at": "2026-11-27T20:00+09:00", "what": "call mom", "status": "pending"}
    with sqlite3.connect(state / DB_FILE) as conn:
        for statement in [s for s in STEPS[0].split(";") if s.strip()]:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO reminders (key, hlc, body) VALUES (?, ?, ?)",
            ("reminder:old", "0000000000000:00000:x", json.dumps(old)),
        )
        conn.execute("PRAGMA user_version = 1")
    os.chmod(state / DB_FILE, 0o600)
    opened = Store.open(state)
    try:
        assert opened.get("reminders", "reminder:old") == old
        daily = {**old, "what": "pills", "repeat": {"every": "day"}}
        plain = {**old, "what": "tea"}
        opened.commit(
            [
                Change("reminders.put", "reminder:new", daily),
                Change("reminders.put", "reminder:plain", plain),
            ]
        )
        assert [k for k, _ in opened.rows("reminders", "repeat_every = 'day'")] == ["reminder:new"]
        assert {k for k, _ in opened.rows("reminders", "repeat_every IS NULL")} == {
            "reminder:old",
            "reminder:plain",
        }
    finally:
        opened.close()
    with sqlite3.connect(state / DB_FILE) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(STEPS) >= 2
