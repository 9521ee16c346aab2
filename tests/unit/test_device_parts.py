"""The device's parts that outlive one turn: shutdown order, bounded memory (issue 24)."""

from __future__ import annotations

from pathlib import Path

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory, MockPWMPin

from earpiece.cli.device import stop_then_close
from earpiece.hardware.controls import HISTORY_KEPT, StatusLed
from earpiece.store.database import Change, Store


class SyncStandIn:
    """Stands for the sync client: its stop() still applies one event, as the worker may."""

    def __init__(self, store: Store, fails: bool = False) -> None:
        self.store, self.fails = store, fails
        self.applied_to_an_open_store = False

    def stop(self) -> None:
        self.store.commit([Change("facts.put", "f1", {"text": "late from home"})])
        self.applied_to_an_open_store = True
        if self.fails:
            raise RuntimeError("the broker hung up")


def test_sync_stops_before_the_store_closes(tmp_path: Path):
    store = Store.open(tmp_path)
    sync = SyncStandIn(store)
    stop_then_close(sync, store)
    assert sync.applied_to_an_open_store
    with pytest.raises(Exception, match="closed"):
        store.count("facts")


def test_the_store_closes_even_when_sync_fails_to_stop(tmp_path: Path):
    store = Store.open(tmp_path)
    with pytest.raises(RuntimeError, match="hung up"):
        stop_then_close(SyncStandIn(store, fails=True), store)
    with pytest.raises(Exception, match="closed"):
        store.count("facts")


def test_the_led_keeps_only_its_latest_states():
    Device.pin_factory = MockFactory(pin_class=MockPWMPin)
    try:
        led = StatusLed(18)
        for _ in range(HISTORY_KEPT):
            led.listening()
            led.idle()
        assert len(led.history) == HISTORY_KEPT and led.history[-1] == "idle"
        led.close()
    finally:
        Device.pin_factory.reset()
        Device.pin_factory = None
