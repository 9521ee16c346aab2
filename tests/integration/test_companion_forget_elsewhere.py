"""A forget made elsewhere reaches a running companion; each device keeps its own dialog
(issue 24 item 5). Sync is played by hand: one store's events applied to the other, as the
sync client does (Store.apply_remote)."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from earpiece.companion.outcome import Certainty
from earpiece.companion.policy import Companion
from earpiece.config import load_settings
from earpiece.home_web.forget import changes_for
from earpiece.store.clock import Hlc
from earpiece.store.database import Event, Store
from tests.conftest import SEOUL, FakeClock

pytestmark = pytest.mark.integration
SECRET = "4711"


def synced(source: Store, target: Store) -> None:
    """Everything of `source`'s own, applied to `target` (what sync does)."""
    target.apply_remote(source.events(device_id=source.device_id))


def forgotten_from_the_home_page(store: Store, key: str) -> None:
    """The page's forget of `key` as the home fans it out: events of device 'home-web'."""
    doc = {
        "facts": [{"key": k, **b} for k, b in store.rows("facts")],
        "turns": [{"key": k, **b} for k, b in store.rows("turns")],
    }
    newest = max(e.hlc for e in store.events())
    hlc = Hlc(0, 0, "home-web").merge(Hlc.parse(newest), 0)
    events = []
    for seq, change in enumerate(changes_for(doc, key), start=1):
        hlc = hlc.tick(0)
        events.append(Event("home-web", seq, str(hlc), change.type, change.key, change.body))
    assert store.apply_remote(events) == len(events)


def companion_on(store: Store, nlu_model) -> Companion:
    clock = FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))
    return Companion(store, nlu_model, load_settings(None), clock=clock, rng=random.Random(5))


def test_a_forget_from_the_page_is_not_said_again_nor_committed_again(nlu_model, tmp_path):
    store = Store.open(tmp_path / "pocket")
    try:
        pocket = companion_on(store, nlu_model)
        assert pocket.respond(f"remember that my locker code is {SECRET}").intent == (
            "remember_fact"
        )
        [(key, _)] = store.rows("facts")
        recalled = pocket.respond("what is my locker code?")
        assert SECRET in recalled.text, recalled.text  # the last reply names it
        forgotten_from_the_home_page(store, key)  # while the companion runs
        again = pocket.respond("say that again")
        assert again.intent == "repeat" and SECRET not in again.text, again.text
        pocket.respond("thank you")
        rows = json.dumps([b for _, b in store.rows("dialog")], ensure_ascii=False)
        assert SECRET not in rows  # the next turn did not commit it again (nor sync it out)
        mine = [e for e in store.events(device_id=store.device_id) if e.type == "dialog.put"]
        assert SECRET not in json.dumps(mine[-1].body, ensure_ascii=False)
    finally:
        store.close()


def test_each_device_keeps_its_own_question_in_flight(nlu_model, tmp_path: Path):
    pocket_store, phone_store = Store.open(tmp_path / "pocket"), Store.open(tmp_path / "phone")
    try:
        pocket = companion_on(pocket_store, nlu_model)
        phone = companion_on(phone_store, nlu_model)
        asked = pocket.respond("remember that my sister loves jazz", certainty=Certainty.UNSURE)
        assert "?" in asked.text and pocket_store.count("facts") == 0  # asked first
        phone.respond("hello")  # the phone's own conversation
        synced(phone_store, pocket_store)
        restarted = companion_on(pocket_store, nlu_model)  # the pocket device restarts
        answer = restarted.respond("yes")
        assert pocket_store.count("facts") == 1, answer.text  # its question was still there
    finally:
        pocket_store.close()
        phone_store.close()
