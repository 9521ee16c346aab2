"""The device's parts that outlive one turn: shutdown order, bounded memory (issue 24)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gpiozero import Device
from gpiozero.exc import BadPinFactory
from gpiozero.pins.mock import MockFactory, MockPWMPin

from earpiece.cli.device import stop_then_close
from earpiece.hardware.controls import (
    HISTORY_KEPT,
    PIN_FACTORY_ENV,
    StatusLed,
    on_raspberry_pi,
    pin_factory_named,
    use_pins,
)
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


@pytest.fixture
def no_pin_factory():
    """gpiozero's process-wide factory, unset before and after (gpiozero's own default)."""
    Device.pin_factory = None
    yield
    if Device.pin_factory is not None:
        Device.pin_factory.close()
    Device.pin_factory = None


def test_the_configured_pin_factory_is_handed_to_gpiozero_not_put_in_the_environment(
    no_pin_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv(PIN_FACTORY_ENV, raising=False)
    env: dict[str, str] = {}
    assert use_pins("mock", tmp_path, env)
    assert isinstance(Device.pin_factory, MockFactory)
    assert PIN_FACTORY_ENV not in env and PIN_FACTORY_ENV not in os.environ
    StatusLed(18).close()  # a device made after it uses it


def test_gpiozero_s_own_variable_wins_over_the_configured_factory(no_pin_factory, tmp_path: Path):
    env = {PIN_FACTORY_ENV: "mock"}
    assert use_pins("lgpio", tmp_path, env)
    assert Device.pin_factory is None  # gpiozero reads its variable itself when a pin is made


def test_with_no_factory_named_only_a_pi_has_pins(no_pin_factory, tmp_path: Path):
    assert use_pins("", tmp_path, {}) == on_raspberry_pi()
    assert Device.pin_factory is None  # gpiozero's default choice, when a pin is made


def test_a_pin_factory_is_found_by_gpiozero_s_names():
    factory = pin_factory_named("MOCK")  # gpiozero's names are case-insensitive
    assert isinstance(factory, MockFactory)
    factory.close()
    with pytest.raises(BadPinFactory, match="nonesuch"):
        pin_factory_named("nonesuch")
