"""A turn whose commit fails (here a really full database) leaves the companion's in-memory
dialog exactly as it was: no question in flight that was never stored, no changed last reply."""

from __future__ import annotations

import copy

import pytest

from earpiece.store.database import StoreError

pytestmark = pytest.mark.integration


def test_a_failed_commit_leaves_the_dialog_state_as_it_was(make_companion, tmp_path):
    companion = make_companion(tmp_path / "s")
    first = companion.respond("hello")
    before = copy.deepcopy(companion.state)  # a shallow copy would share what the turn changes
    conn = companion.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite reports SQLITE_FULL for real
    with pytest.raises(StoreError, match="disk is full"):
        companion.respond("remind me to call mom " + "and then some more words " * 400)
    assert companion.state == before
    conn.execute("PRAGMA max_page_count = 1073741823")
    again = companion.respond("say that again")
    assert again.intent == "repeat" and again.text == first.text


def test_the_reply_is_handed_over_before_its_commit_and_a_failed_commit_answers_nothing(
    make_companion, tmp_path
):
    """`on_reply` lets a voice render the reply while the turn commits: it is called with the
    reply before the store has the turn, and a commit that fails returns no reply to say."""
    companion = make_companion(tmp_path / "s")
    seen: list[tuple[str, str, int]] = []

    def on_reply(text: str, lang: str) -> None:
        seen.append((text, lang, companion.store.count("turns")))

    reply = companion.respond("hello", on_reply=on_reply)
    assert seen == [(reply.text, "en", 0)] and companion.store.count("turns") == 1
    conn = companion.store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="disk is full"):
        companion.respond("remind me to call mom " + "and then some more words " * 400,
                          on_reply=on_reply)  # fmt: skip
    assert len(seen) == 2  # handed over, then the commit failed: the caller says nothing
