"""What the companion says about itself is true (issue 24 items 5 and 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from earpiece.companion.outcome import Certainty

pytestmark = pytest.mark.integration

SYNC = """[sync]
broker = "mqtts://home.example:8883"
user = "ann"
device = "pocket"
username = "ann-pocket"
password = "not used: nothing connects in this test"
"""


def test_with_sync_set_up_the_companion_never_says_it_is_off(make_companion, tmp_path: Path):
    config = tmp_path / "earpiece.toml"
    config.write_text(SYNC, encoding="utf-8")
    companion = make_companion(config=config)
    said = {
        "sync now (en)": companion.respond("sync now").text,
        "status (ko)": companion.respond("배터리 얼마나 남았어").text,
    }
    asked = companion.respond("sync now", certainty=Certainty.UNSURE)
    assert asked.intent == "sync_now" and "?" in asked.text  # unsure: asked first
    said["confirmed (en)"] = companion.respond("yes").text
    for where, text in said.items():
        assert "isn't set up" not in text and "설정돼 있지 않아서" not in text, (where, text)
        assert "stays on this device" not in text and "여기에만" not in text, (where, text)
    assert (
        "Sync is set up" in said["sync now (en)"] or "syncs with your home" in said["sync now (en)"]
    )
    assert "동기화가 설정돼 있어" in said["status (ko)"] or "알아서 동기화해" in said["status (ko)"]


def test_without_sync_it_says_everything_stays_here(make_companion):
    text = make_companion().respond("sync now").text
    assert "isn't set up" in text or "no home server" in text
