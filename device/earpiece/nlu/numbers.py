"""Spoken numbers (Korean native and Sino-Korean, English, digits) as regexes and integers."""

import re
from collections.abc import Iterable

# The number words below keep `# fmt: skip`: each is a lexicon read as a table, several words a
# line, in counting order; one word a line would stretch 70 entries over 80 lines.
_KO_NATIVE_UNITS = {
    "하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "석": 3, "넷": 4, "네": 4, "넉": 4,
    "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8, "아홉": 9,
}  # fmt: skip
_KO_NATIVE_TENS = {
    "열": 10, "스물": 20, "스무": 20, "서른": 30, "마흔": 40, "쉰": 50,
    "예순": 60, "일흔": 70, "여든": 80, "아흔": 90,
}  # fmt: skip
_KO_SINO_DIGITS = {
    "영": 0, "공": 0, "일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "륙": 6,
    "칠": 7, "팔": 8, "구": 9,
}  # fmt: skip
_KO_SINO_POWERS = {"십": 10, "백": 100, "천": 1000}

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9,
}  # fmt: skip
_EN_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}  # fmt: skip


_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")
_EN_CARDINALS = {**_EN_UNITS, **_EN_TEENS, **_EN_TENS}


def _either(words: Iterable[object]) -> str:
    """A regex alternation of words, longest first, so no word hides a longer one."""
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))


_DIGITS = r"(?<!\d)\d{1,4}(?!\d)"
# Korean words start at a word edge, or right after a time word when the recogniser
# dropped the space ("오후세시", "일곱시삼십분"). Each lookbehind is fixed-width.
_KO_EDGE = (
    r"(?:(?<![가-힣])|(?<=[밤낮시에])"
    r"|(?<=오전|오후|아침|저녁|새벽|점심|오늘|내일|모레|요일))"
)
_KO_NATIVE_WORDS = (
    rf"(?:(?:{_either(_KO_NATIVE_TENS)})(?:{_either(_KO_NATIVE_UNITS)})?"
    rf"|{_either(_KO_NATIVE_UNITS)})"
)
_KO_SINO_WORDS = rf"[{''.join(_KO_SINO_DIGITS)}{''.join(_KO_SINO_POWERS)}]{{1,6}}"

KO_NATIVE = rf"(?:{_DIGITS}|{_KO_EDGE}{_KO_NATIVE_WORDS})"
"""Digits or a native Korean number word (한, 두, 열두, 스물다섯): counts hours."""
KO_SINO = rf"(?:{_DIGITS}|{_KO_EDGE}{_KO_SINO_WORDS})"
"""Digits or a Sino-Korean number word (삼십, 이십오): minutes, months, days."""
KO_NUMBER = rf"(?:{_DIGITS}|{_KO_EDGE}(?:{_KO_NATIVE_WORDS}|{_KO_SINO_WORDS}))"
"""Digits or either kind of Korean number word (for 시, which speakers say both ways)."""

_EN_UNITS_1_9 = _either(k for k, v in _EN_UNITS.items() if v)
_EN_TENS_WORDS = rf"(?:{_either(_EN_TENS)})(?:[\s-]{{1,2}}(?:{_EN_UNITS_1_9}))?"
_EN_BELOW_100 = rf"(?:{_EN_TENS_WORDS}|{_either(_EN_TEENS)}|{_either(_EN_UNITS)})"
_EN_WORDS = (
    rf"(?:(?:{_EN_UNITS_1_9}|a)\s{{1,3}}hundred(?:\s{{1,3}}(?:and\s{{1,3}})?{_EN_BELOW_100})?"
    rf"|{_EN_BELOW_100})"
)
EN_NUMBER = rf"(?:{_DIGITS}|\b{_EN_WORDS}\b)"
"""Digits or English number words (five, twenty-five, one hundred and two); compile with re.I."""
EN_UNIT_WORD = rf"\b(?:{_EN_UNITS_1_9})\b"
EN_CLOCK_HOUR = _either(w for w, n in _EN_CARDINALS.items() if 1 <= n <= 12)
"""The English words of a clock's hour, one to twelve (an alternation: wrap it in a group)."""
"""One English digit word, one to nine (the "five" of "seven oh five")."""

_EN_ORDINAL_WORDS = rf"(?:(?:twenty|thirty)[\s-]{{1,2}}(?:{_either(list(_EN_ORDINALS)[:9])})" + (
    rf"|{_either(_EN_ORDINALS)})"
)
EN_ORDINAL = rf"(?:(?<!\d)\d{{1,2}}(?:st|nd|rd|th)\b|\b{_EN_ORDINAL_WORDS}\b)"
"""An English day-of-month ordinal (5th, fifth, twenty-first); compile with re.I."""


def parse_korean_number(words: str) -> int | None:
    """The value of digits or one Korean number word ("일곱" -> 7, "삼십오" -> 35), else None."""
    compact = re.sub(r"\s+", "", words)
    if compact.isdecimal():
        return int(compact)
    native = _parse_korean_native(compact)
    return native if native is not None else _parse_sino_korean(compact)


def _parse_korean_native(word: str) -> int | None:
    for tens_word, tens in _KO_NATIVE_TENS.items():
        if word.startswith(tens_word):
            rest = word[len(tens_word) :]
            unit = _KO_NATIVE_UNITS.get(rest, 0 if not rest else None)
            return None if unit is None else tens + unit
    return _KO_NATIVE_UNITS.get(word)


def _parse_sino_korean(word: str) -> int | None:
    total, digit, last_power = 0, None, 10_000
    for char in word:
        if char in _KO_SINO_DIGITS:
            if digit is not None:
                return None  # two digits in a row ("이사") is not a number
            digit = _KO_SINO_DIGITS[char]
        elif char in _KO_SINO_POWERS and _KO_SINO_POWERS[char] < last_power:
            last_power = _KO_SINO_POWERS[char]
            total += (1 if digit is None else digit) * last_power
            digit = None
        else:
            return None
    return total + (digit or 0) if word else None


def parse_english_number(words: str) -> int | None:
    """The value of digits or English number words ("twenty-five" -> 25), else None."""
    tokens = [t for t in re.split(r"[\s-]+", words.strip().lower()) if t and t != "and"]
    if len(tokens) == 1 and tokens[0].isdecimal():
        return int(tokens[0])
    value = 0
    for token in tokens:
        if token == "hundred":
            value = (value or 1) * 100
        elif token == "a" or token in _EN_CARDINALS:
            value += _EN_CARDINALS.get(token, 1)
        else:
            return None
    return value if tokens else None


def parse_english_ordinal(words: str) -> int | None:
    """The value of an English ordinal ("5th", "fifth", "twenty-first" -> 21), else None."""
    tokens = [t for t in re.split(r"[\s-]+", words.strip().lower()) if t]
    if len(tokens) == 1 and tokens[0][:-2].isdecimal() and tokens[0][-2:] in _ORDINAL_SUFFIXES:
        return int(tokens[0][:-2])
    if not tokens or tokens[-1] not in _EN_ORDINALS:
        return None
    tens = [_EN_TENS.get(t) for t in tokens[:-1]]
    if None in tens:
        return None
    return sum(t for t in tens if t) + _EN_ORDINALS[tokens[-1]]
