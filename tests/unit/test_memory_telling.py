"""What a person tells in passing: which lines say something lasting (kept) and which do not
(a question, a wish, a passing event, the weather), and the names a line carries."""

from __future__ import annotations

import pytest

from earpiece.companion.memory import analyse, attributes_in, names_in
from earpiece.companion.route import _states_a_fact

TOLD = (
    "나 요즘 필라테스 다니는데 진짜 재밌어",
    "울 강아지 뭉치가 요즘 밥을 잘 안 먹어서 걱정이야",
    "제가 당뇨가 있어서요, 아침마다 혈당을 재요",
    "저는 무릎이 안 좋아서 계단을 잘 못 올라가요",
    "남편이 작년에 허리 수술을 해서요, 제가 많이 돌봐요",
    "우리 언니 다음 달에 결혼해서 요즘 정신없어 ㅠㅠ",
    "집사람은 재작년에 먼저 갔어요. 이름이 영숙이었지요",
    "민수는 내 전 남친이야. 진짜 나쁜 놈이었어",
    "현관 비밀번호 4821",
    "나 27살이야",
    "Jake is my running buddy, we do 5k on Saturdays",
    "My late husband Harold loved fishing",
    "Mr. Patel from next door brings my groceries on Thursdays",
    "ugh my 할머니 is back in the hospital, she's at Asan Medical Center",
    "I drive a grey Tucson",
    "I take insulin every morning",
    "our wifi password is bluefish22",
    "I'm 74",
)
NOT_TOLD = (
    "엄마한테 전화해야 되나?",
    "아까 엄마랑 통화했어",
    "약 먹었어요",
    "딸이 바빠서요",
    "고양이 키우고 싶다",
    "참 잘됐네, 또 비 오네",
    "요즘 너무 외롭고 힘들어",
    "I went to the store earlier",
    "my sister called me earlier",
    "I took my pills",
    "I'm so sad today, my dog died",
    "had ramen for lunch",
    "The mailman was late again",
    "the bus was 10 minutes late",
    "my mom is in the kitchen",
    "my head is killing me",
    "do you think I should call my roommate?",
    "I love you",
)


@pytest.mark.parametrize("line", TOLD)
def test_something_lasting_told_in_passing_is_a_fact(line):
    assert _states_a_fact(line)


@pytest.mark.parametrize("line", NOT_TOLD)
def test_a_question_a_wish_or_an_event_is_not(line):
    assert not _states_a_fact(line)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("울 강아지 뭉치가 요즘 밥을 잘 안 먹어", [("dog", "뭉치")]),
        ("손녀 하은이가 다음 주에 놀러 온대요", [("grandchild", "하은")]),
        ("회사 동료 지현이 생일이 5월 2일이래", [("coworker", "지현")]),
        ("민수는 내 전 남친이야", [("ex", "민수")]),
        ("my 동생 Amy lives in Busan", [("sibling", "Amy")]),
        ("Priya is my manager, she's kind of intense", [("boss", "Priya")]),
        ("Dr. Hill is my GP", [("doctor", "Dr. Hill")]),
        ("Bill from the pub owes me a tenner", [("", "Bill")]),
        ("my son Ethan's 12, he's obsessed with soccer", [("son", "Ethan")]),
        ("I'm going to Busan with friends on Friday", []),
        ("요즘 진짜 많이 바빠", []),
    ],
)
def test_names_said_in_passing(line, found):
    assert names_in(line) == found


def test_a_name_told_after_whom_it_belongs_to_and_a_value_cut_at_the_sentence():
    wife = analyse("집사람은 재작년에 먼저 갔어요. 이름이 영숙이었지요", "ko")
    assert (wife.person, wife.attribute, wife.value) == ("wife", "name", "영숙")
    daughter = analyse("큰딸은 미국에 살아요. 이름은 수정이고요", "ko")
    assert (daughter.person, daughter.attribute, daughter.value) == ("daughter", "name", "수정")
    son = analyse("아들 이름은 민재예요. 대전에 살아요", "ko")
    assert (son.person, son.value) == ("son", "민재")
    assert {"place", "name"} <= attributes_in("큰딸은 미국에 살아요. 이름은 수정이고요")


@pytest.mark.parametrize(
    ("line", "undoes"),
    [
        ("아 그건 저장하지 마", True),
        ("아니요, 그건 기억하지 마세요", True),
        ("아니 그거 빼 줘", True),
        ("no wait don't save that", True),
        ("빼 줘", False),  # alone it may be a reminder to take off
        ("알림에서 빼 줘", False),
    ],
)
def test_dont_keep_that_in_the_ways_it_is_said(line, undoes):
    from earpiece.companion.route import _DONT_KEEP

    assert bool(_DONT_KEEP.match(line)) is undoes


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("been a widower six years now, my Linda passed in the spring", [("wife", "Linda")]),
        (
            "the grandkids, Noah and Lily, come over on Sundays",
            [("grandchild", "Noah"), ("grandchild", "Lily")],
        ),
    ],
)
def test_names_in_a_list_or_after_my(line, found):
    assert names_in(line) == found


def test_write_a_letter_is_not_a_request_to_remember():
    from earpiece.companion.route import told_to_remember

    assert told_to_remember("write a letter to my son") is None
    assert told_to_remember("note this down: the furnace guy is Ray, 555-0142") == (
        "the furnace guy is Ray, 555-0142"
    )
