"""The person's own words for the free-speech decoder, ready before a press is heard.

Whisper is given the names and places the companion remembers, pending reminder subjects
and short command words as its initial prompt. The decode made while the button is held starts
about a second into the press, so the words must be set when the press starts, not after
the release; reading them from SQLite at every press would put those reads on the press's
path, so they are kept and read again only when the store has changed since
(`Companion.memory_mark`: no table is read to know that).
"""

from __future__ import annotations

from earpiece.companion.policy import Companion
from earpiece.nlu.lang import written_in

PROMPT_WORD_CHARS = 24
"""A remembered value longer than this (characters) is a sentence, not a name: left out."""
# fmt: skip (at its end): a word list read as a table, several words a line.
COMMAND_WORDS = {
    "ko": ("크게", "작게", "볼륨", "그만", "멈춰", "다시 말해 줘", "몇 시야", "알람",
           "알려 줘", "기억해", "잊어버려", "편지"),
    "en": ("louder", "quieter", "softer", "volume up", "volume down", "stop", "pause",
           "again", "time", "date", "remind me", "reminders", "remember", "forget",
           "letter"),
}  # fmt: skip
"""Short command words, after the person's own: the words a press of one or two words is
most often made of, spelt as the NLU reads them (the grammar's phrases are split into the
Vosk model's pieces, "가 기 싫지 만", and too many for Whisper's prompt). Words, not whole
questions: a whole question in the prompt ("what time is it") pulled other questions of its
shape to it ("what date is it" heard as "what time is it", in both English lists), and the
words of questions that are told apart by one word come in pairs ("time", "date")."""


def person_words(companion: Companion) -> dict[str, list[str]]:
    """Per language, the words to bias Whisper toward: the companion's names, short values
    the person told it (names, places, birthdays), reminder subjects, then command words."""
    found: dict[str, list[str]] = {"ko": [], "en": []}

    def add(text: object) -> None:
        if isinstance(text, str) and 0 < len(text.strip()) <= PROMPT_WORD_CHARS:
            word = text.strip()
            lang = written_in(word)
            if word not in found[lang]:
                found[lang].append(word)

    for word in companion.words_to_hear():
        add(word)
    for lang, listed in COMMAND_WORDS.items():
        found[lang] += [w for w in listed if w not in found[lang]]
    return found


class PersonWords:
    """`person_words`, kept until the store changes.

    Threads: the loop thread only (a press starting, a turn ended); `words` reads the
    store only when something was committed since the last read.
    """

    def __init__(self, companion: Companion) -> None:
        self.companion = companion
        self._mark: tuple[int, int] | None = None
        self._words: dict[str, list[str]] = {}
        self.reads = 0
        """How often the store was read for them (the tests check the cache)."""

    def words(self) -> dict[str, list[str]]:
        mark = self.companion.memory_mark()
        if mark != self._mark:
            self._words = person_words(self.companion)
            self._mark = mark
            self.reads += 1
        return self._words
