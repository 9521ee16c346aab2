"""nlu/lang.py: the device's guesses at the language of a text, each for its own question."""

from __future__ import annotations

import pytest

from earpiece.nlu.lang import has_korean, is_hangul, language, reply_language, written_in


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("지금 몇 시야", "ko"),
        ("what time is it", "en"),
        ("사만다 hello", "ko"),
        ("ok 알람 cancel please", "en"),
        ("12345", "ko"),
        ("", "ko"),
        ("ㅠㅠ", "ko"),
        ("ㅋㅋ that's so funny", "en"),
    ],
)
def test_language_is_the_script_with_more_letters(text: str, lang: str):
    assert language(text, default="ko") == lang


def test_a_text_without_letters_is_in_the_default_language():
    assert language("12:30 !!", default="en") == "en"


def test_hangul_letters_are_syllables_and_both_kinds_of_jamo():
    assert all(map(is_hangul, "가힣ㄱㅋㅠ\u1100\u11a8"))
    assert not any(map(is_hangul, "aZ1 .!~、。"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Samantha", "en"),
        ("사만다", "ko"),
        ("call 민수", "ko"),
        ("ok ㅋㅋ", "en"),
        ("I miss you ㅠㅠ", "en"),
        ("", "en"),
        ("42", "en"),
    ],
)
def test_written_in_korean_means_any_korean_syllable(text: str, lang: str):
    assert written_in(text) == lang
    assert has_korean(text) is (lang == "ko")


@pytest.mark.parametrize(
    ("text", "heard", "lang"),
    [
        ("my 누나 called this morning", "ko", "en"),
        ("meeting 너무 stressful 했어", "en", "ko"),
        ("오늘 gym 갔어", "en", "ko"),
        ("gym 갔어", "en", "ko"),  # a tie: the line ends in Korean
        ("갔어 gym", "ko", "ko"),  # a tie: Korean
        ("okay thanks", "ko", "en"),
        ("42!", "ko", "ko"),
        ("42!", "en", "en"),
    ],  # no words of either: as heard
)
def test_a_mixed_line_is_answered_in_the_language_of_more_of_its_words(
    text: str, heard: str, lang: str
):
    assert reply_language(text, heard) == lang
