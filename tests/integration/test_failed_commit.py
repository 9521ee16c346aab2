"""A turn whose commit fails (here a really full database) leaves the companion's in-memory
dialog exactly as it was: no question in flight that was never stored, no changed last reply."""

from __future__ import annotations

import pytest

from earpiece.store.database import StoreError

pytestmark = pytest.mark.integration


def test_a_failed_commit_leaves_the_dialog_state_as_it_was(make_companion, tmp_path):
    companion = make_companion(tmp_path / "s")
    first = companion.respond("hello")
    before = dict(companion.state)
    conn = companion.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL for real
    with pytest.raises(StoreError, match="disk is full"):
        companion.respond("remind me to call mom " + "and then some more words " * 400)
    assert companion.state == before
    conn.execute("PRAGMA max_page_count = 1073741823")
    again = companion.respond("say that again")
    assert again.intent == "repeat" and again.text == first.text
