"""The person's words for Whisper: kept between presses, read again only after the store
changed (by this process or another one), with a real store and companion."""

from __future__ import annotations

import pytest

from earpiece.runtime.bias import PersonWords
from earpiece.store.database import Change, Store

pytestmark = pytest.mark.integration


def test_words_are_read_once_and_again_only_after_a_change(make_companion, tmp_path):
    companion = make_companion()
    words = PersonWords(companion)
    first = words.words()
    assert "몇 시야" in first["ko"] and words.reads == 1
    assert words.words() == first and words.reads == 1  # nothing changed: nothing read
    companion.store.commit([Change("facts.put", "fact:sister", {"value": "지수"})])
    assert "지수" in words.words()["ko"] and words.reads == 2
    ko = words.words()["ko"]
    assert ko[0] == companion.settings.companion.name_ko
    assert ko.index("지수") < ko.index("몇 시야")  # the person's words before command words
    assert words.reads == 2


def test_a_change_by_another_connection_is_seen(make_companion, tmp_path):
    companion = make_companion(tmp_path / "shared")
    words = PersonWords(companion)
    assert "Jisoo" not in words.words()["en"]
    other = Store.open(tmp_path / "shared")  # e.g. `earpiece chat` in another process
    try:
        other.commit([Change("facts.put", "fact:sister", {"value": "Jisoo"})])
    finally:
        other.close()
    assert "Jisoo" in words.words()["en"] and words.reads == 2


def test_long_values_are_sentences_not_names(make_companion):
    companion = make_companion()
    companion.store.commit([Change("facts.put", "fact:a", {"value": "x" * 40}),
                            Change("facts.put", "fact:b", {"value": "Busan"})])  # fmt: skip
    found = PersonWords(companion).words()["en"]
    assert "Busan" in found and "x" * 40 not in found


def test_english_command_words_are_words_not_whole_questions(make_companion):
    """A whole question in Whisper's prompt pulls other questions of its shape to it ("what
    date is it" heard as the prompt's "what time is it"): the command words are words."""
    from earpiece.runtime.bias import COMMAND_WORDS

    english = PersonWords(make_companion()).words()["en"]
    commands = [w for w in english if w in COMMAND_WORDS["en"]]
    assert commands == list(COMMAND_WORDS["en"])  # all of them, after the person's words
    assert all(len(w.split()) <= 2 for w in commands)
    asking = ("what", "who", "how", "when", "where", "which", "say", "tell")
    assert not any(w.split()[0] in asking for w in commands), commands
