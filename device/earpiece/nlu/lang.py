"""Which of the device's two languages a text is in: the one home of these guesses.

A Hangul *letter* is a syllable (가-힣) or a jamo (ㄱ, ㅋ, ㅠ: conjoining or compatibility).
A text *has Korean* when it has a syllable: ㅋㅋ or ㅠㅠ beside English words are laughter and
tears, not Korean words. Three questions, three rules:

- `written_in`: a short text the device itself handles (a name, a reply to speak, a clause to
  score): any Korean makes it Korean.
- `language`: the NLU's reading of an utterance: the script with more letters.
- `reply_language`: the language to answer a mixed line in: the one of more of its words.

>>> written_in("Samantha"), written_in("민수한테 전화")
('en', 'ko')
>>> language("meeting 너무 길어"), reply_language("my 누나 called", heard="ko")
('ko', 'en')
"""

from __future__ import annotations

import re

KO = "ko"
EN = "en"

_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def is_hangul(ch: str) -> bool:
    """A Hangul letter: a syllable, a conjoining jamo (as after NFD) or a compatibility jamo."""
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"


def has_korean(text: str) -> bool:
    """Any Korean syllable in the text (jamo alone, ㅋㅋ or ㅠㅠ, are not a word)."""
    return _SYLLABLE.search(text) is not None


def written_in(text: str) -> str:
    """'ko' when the text has any Korean in it, else 'en'."""
    return KO if has_korean(text) else EN


def language(text: str, default: str = KO) -> str:
    """'ko' when Hangul outweighs Latin letters (a syllable counts as two letters, about what
    it holds), 'en' when Latin does; `default` for a text with neither (digits, emoji)."""
    hangul = 2 * sum(1 for ch in text if is_hangul(ch))
    latin = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    if hangul == 0 and latin == 0:
        return default
    return KO if hangul >= latin else EN


def reply_language(text: str, heard: str) -> str:
    """The language a line is mostly in, by words: a Korean sentence with English words
    ('meeting 너무 stressful 했어') is Korean, an English one with a borrowed Korean word ('my
    누나 called') English; a tie goes to Korean when the line ends in it. A line without
    Korean words is English when it has English words, else (digits, emoji) `heard`."""
    words = text.split()
    korean = sum(1 for w in words if any(map(is_hangul, w)))
    latin = sum(1 for w in words if _LATIN_WORD.search(w) and not any(map(is_hangul, w)))
    if not korean:
        return EN if latin else heard
    if korean >= latin or any(map(is_hangul, words[-1])):
        return KO
    return EN
