"""Edits said while a letter is dictated (letters.edit), the letter's first lines said with the
request (letters.first_lines), and a letter asked for tersely (route.refine). The lines are this
file's own."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from earpiece.companion import letters
from earpiece.companion.route import Route, refine
from earpiece.nlu.model import Understanding

NOW = datetime(2026, 12, 10, 15, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def test_a_wording_changed_into_another_in_both_languages():
    body = "Dear Ana, the flat is tiny. I am sort of okay."
    assert letters.edit(body, "oh, change 'sort of okay' to 'finding my feet'.") == (
        "Dear Ana, the flat is tiny. I am finding my feet."
    )
    body = "수민아, 할머니는 요즘 다리가 아파도 잘 지낸다."
    edited = letters.edit(body, "'다리가 아파도'를 '조금 느려도'로 고쳐 주세요.")
    assert edited == "수민아, 할머니는 요즘 조금 느려도 잘 지낸다."


def test_a_wording_taken_out_and_a_new_one_put_where_the_like_one_was():
    body = "동생아, 누나가 바빠서 자주 전화 못 해서 속상하고, 설에 보자."
    edited = letters.edit(body, "어 '속상하고'는 빼 줘. '자주 전화 못 해도'로 바꿔 줘")
    assert edited == "동생아, 누나가 바빠서 자주 전화 못 해도, 설에 보자."
    body = "Hi Sam, I'm sorry I was so grumpy, and thanks for the ride."
    assert (
        letters.edit(body, "take out 'so grumpy, and'")
        == "Hi Sam, I'm sorry I was thanks for the ride."
    )


def test_make_it_a_number_changes_the_letters_last_number():
    body = "Here is fifteen dollars for the bus. See you soon."
    assert letters.edit(body, "Make it thirty. Buses are dear.") == (
        "Here is thirty dollars for the bus. See you soon."
    )
    body = "용돈으로 이만 원 넣었다."
    assert letters.edit(body, "삼만 원으로 해 줘") == "용돈으로 삼만 원 넣었다."


def test_a_signature_goes_at_the_end():
    assert letters.edit("Thanks for the soup.", "Sign it Walt.") == "Thanks for the soup. Walt."
    assert letters.edit("Thanks for the soup", "sign off with Love, Gran") == (
        "Thanks for the soup. Love, Gran."
    )
    assert (
        letters.edit("밥 잘 챙겨 먹어.", "끝에 '큰이모가'라고 써 줘")
        == "밥 잘 챙겨 먹어. 큰이모가."
    )
    assert letters.edit("밥 잘 챙겨 먹어.", "서명은 막내로 해 줘요") == "밥 잘 챙겨 먹어. 막내."


@pytest.mark.parametrize(
    "line",
    [
        "Make it home safe, okay?",
        "Remember the lake house?",
        "나쁜 일은 다 잊어버리고 새로 시작하자.",
        "I hope the new job is kind to you.",
        "할아버지는 네가 늘 자랑스럽다.",
    ],
)
def test_dictated_lines_are_not_taken_for_edits(line):
    assert letters.edit("Dear Kim, hello. 민지야, 안녕.", line) is None


def test_a_quoted_wording_not_in_the_letter_is_no_change_but_still_an_edit():
    body = "Dear Kim, the garden is lovely."
    assert letters.edit(body, "change 'the porch' to 'the deck'") == body
    assert letters.edit(body, "'베란다'를 '마당'으로 바꿔 줘") == body


def test_the_letter_said_after_the_request_starts_at_its_greeting():
    assert letters.first_lines(
        "이모한테 편지 써 줘. 이모, 김치 잘 받았어요. 고마워요.", "이모"
    ) == ("이모, 김치 잘 받았어요. 고마워요.")
    assert (
        letters.first_lines("조카한테 편지 좀 써 주세요. 하준아, 입학 축하한다.")
        == "하준아, 입학 축하한다."
    )
    assert letters.first_lines(
        "Can you help me with a letter to my aunt? Dear Ruth, the scarf is perfect."
    ) == ("Dear Ruth, the scarf is perfect.")
    # what the request says about the person is not the letter
    assert letters.first_lines("Letter. To Ben, the boy across the road. He fixed my gate.") == ""
    assert letters.first_lines("손자한테 편지 쓰고 싶어요. 제가 말할게요.") == ""


def _u(text: str, intent: str, lang: str) -> Understanding:
    return Understanding(text, lang, intent, 0.6, "neutral", 0.0)


@pytest.mark.parametrize(
    ("text", "lang", "recipient"),
    [
        ("Letter. To Ben, the boy across the road. He fixed my gate.", "en", "Ben"),
        ("A note for Carla, my old landlady.", "en", "Carla"),
        ("편지. 지호한테. 우리 가게 일 도와준 학생이야.", "ko", "지호"),
    ],
)
def test_a_letter_named_first_then_whom_it_is_for_is_a_letter_to_write(text, lang, recipient):
    refined, route = refine(_u(text, "share_feeling", lang), None, NOW)
    assert route is Route.INTENT and refined.intent == "write_letter"
    assert refined.slots.get("recipient") == recipient


def test_a_letter_told_of_is_still_not_a_letter_to_write():
    refined, _ = refine(_u("The letter to Ben came back today.", "share_feeling", "en"), None, NOW)
    assert refined.intent != "write_letter"


def test_make_it_a_good_one_is_no_change_of_a_reminder():
    _, route = refine(_u("Tell me a story. Make it a funny one.", "tell_joke", "en"), None, NOW)
    assert route is Route.INTENT
    _, route = refine(_u("Make it half past seven.", "unknown", "en"), None, NOW)
    assert route is Route.CHANGE_REMINDER


def test_too_much_after_a_reminder_is_not_the_same_task_again():
    # a moved reminder is now reported as set_reminder, so the line after it meets this rule
    said = _u("Ugh, had way too much pizza at dinner.", "share_feeling", "en")
    refined, _ = refine(said, "set_reminder", NOW)
    assert refined.intent != "set_reminder"
    refined, _ = refine(_u("And at 9 pm too.", "unknown", "en"), "set_reminder", NOW)
    assert refined.intent == "set_reminder"
