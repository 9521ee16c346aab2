"""Simulated speech-recognition errors: drop, swap or substitute characters and words.

Used to augment training data and, with other seeds, to measure how the NLU
holds up when the recogniser mishears. Substitutions are phonetic near misses
(a tense or aspirated consonant for a plain one, ㅐ for ㅔ, b for p), the kind
of error a small acoustic model makes, not random letters.
"""

from __future__ import annotations

import random

_S_BASE, _L_COUNT, _V_COUNT, _T_COUNT = 0xAC00, 19, 21, 28
_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_LEAD_NEAR = ["ㄱㅋㄲ", "ㄷㅌㄸ", "ㅂㅍㅃ", "ㅈㅊㅉ", "ㅅㅆ", "ㄴㄹㅁ", "ㅇㅎ"]
_VOWEL_NEAR = ["ㅐㅔㅒㅖ", "ㅓㅗ", "ㅡㅜ", "ㅕㅛ", "ㅙㅞㅚ", "ㅢㅣ", "ㅏㅑ", "ㅝㅘ"]
_LATIN_NEAR = ["aeiouy", "bp", "dt", "gk", "sz", "mn", "fv", "lr", "cks"]


def _near(ch: str, groups: list[str], rng: random.Random) -> str:
    for group in groups:
        if ch in group and len(group) > 1:
            return rng.choice([c for c in group if c != ch])
    return ch


def _substitute_hangul(syl: str, rng: random.Random) -> str:
    index = ord(syl) - _S_BASE
    lead, rest = divmod(index, _V_COUNT * _T_COUNT)
    vowel, tail = divmod(rest, _T_COUNT)
    part = rng.randrange(3)
    if part == 0:
        lead = _LEADS.index(_near(_LEADS[lead], _LEAD_NEAR, rng))
    elif part == 1:
        vowel = _VOWELS.index(_near(_VOWELS[vowel], _VOWEL_NEAR, rng))
    else:
        tail = 0 if tail else rng.choice((4, 8, 16, 21))  # drop or add ㄴ ㄹ ㅁ ㅇ batchim
    return chr(_S_BASE + (lead * _V_COUNT + vowel) * _T_COUNT + tail)


def _substitute(ch: str, rng: random.Random) -> str:
    if "\uac00" <= ch <= "\ud7a3":
        return _substitute_hangul(ch, rng)
    return _near(ch.lower(), _LATIN_NEAR, rng)


def _corrupt_word(word: str, rate: float, rng: random.Random) -> str:
    chars = list(word)
    out: list[str] = []
    i = 0
    while i < len(chars):
        if rng.random() >= rate:
            out.append(chars[i])
            i += 1
            continue
        action = rng.randrange(3)
        if action == 0:  # drop
            i += 1
        elif action == 1 and i + 1 < len(chars):  # swap with the next
            out.extend((chars[i + 1], chars[i]))
            i += 2
        else:
            out.append(_substitute(chars[i], rng))
            i += 1
    return "".join(out)


def corrupt(text: str, rate: float, rng: random.Random) -> str:
    """Apply errors to about `rate` of the characters (syllables in Korean) and words.

    >>> corrupt("내일 아침 일곱 시에 깨워줘", 0.0, random.Random(1))
    '내일 아침 일곱 시에 깨워줘'
    """
    words = text.split()
    out: list[str] = []
    for word in words:
        roll = rng.random()
        if roll < rate / 3 and len(words) > 1:
            continue  # the recogniser dropped the word
        if roll < rate / 2 and out:
            out[-1] += word  # the recogniser merged two words
            continue
        out.append(_corrupt_word(word, rate, rng))
    return " ".join(w for w in out if w)
