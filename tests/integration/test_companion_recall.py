"""Recall by whom and what is asked: the last of a chain of owners is the one asked about
("my mom's carer", '엄마 간병인'), Korean kinship said in English is a relation, a number asked
of something is found only in a fact said of it, and nothing fitting is said honestly."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at, texts


def _told(companion, *lines: str) -> None:
    for line in lines:
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line


def test_the_last_owner_in_a_chain_is_the_one_asked_about(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "My mom's name is Evelyn.", "My mom's carer is called Agnes.")
    carer = companion.respond("what's my mum's carer called again?")
    assert carer.intent == "recall_fact" and "Agnes" in carer.text and "Evelyn" not in carer.text
    mother = companion.respond("what's my mother's name?")
    assert "Evelyn" in mother.text and "Agnes" not in mother.text


def test_korean_owner_then_role_is_the_role(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "엄마 성함은 이순례야.", "엄마 간병인 이름은 옥자 씨야.")
    carer = companion.respond("엄마 간병인 이름이 뭐였지?")
    assert "옥자" in carer.text and "이순례" not in carer.text
    mother = companion.respond("엄마 성함이 뭐였지?")
    assert "이순례" in mother.text and "옥자" not in mother.text


def test_a_role_with_a_name_after_it_is_kept_and_found(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(
        companion,
        "my landlady is Gwen, she lives upstairs",
        "The weekend aide, Rosalind, comes at nine.",
    )
    assert any("Gwen" in t for t in texts(companion))
    assert "Gwen" in companion.respond("what's my landlady's name?").text
    assert "Rosalind" in companion.respond("what's the aide called again?").text


def test_korean_kinship_said_in_english_is_a_relation(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "my umma's birthday is May 2", "my halmoni's name is Kim Bok-nam")
    assert "May 2" in companion.respond("when is my mom's birthday?").text
    grandma = companion.respond("what's my grandma's name?")
    assert "Bok-nam" in grandma.text and "May 2" not in grandma.text


def test_a_number_asked_of_something_is_only_that_ones(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "The vet's number is 555-0192.", "My brother's name is Otto.")
    assert "0192" in companion.respond("what's the vet's number?").text
    other = companion.respond("what's the florist's number?")
    assert other.intent == "recall_fact" and "0192" not in other.text and "Otto" not in other.text


def test_korean_number_asked_of_something_is_only_that_ones(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "세탁소 번호는 02-333-1234야. 적어 둬.", "우리 손자 이름은 도윤이야.")
    assert "1234" in companion.respond("세탁소 번호 뭐였지?").text
    other = companion.respond("꽃집 전화번호 뭐였지?")
    assert other.intent == "recall_fact" and "1234" not in other.text and "도윤" not in other.text


def test_a_number_asked_for_is_never_answered_with_a_fact_without_one(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "the church choir practice is at the parish hall on Thursdays, I sing alto")
    reply = companion.respond("what's the parish hall's number?")
    assert reply.intent == "recall_fact" and "alto" not in reply.text


def test_a_question_then_who_is_asking_is_recall_about_the_question(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "당뇨약은 다이아벡스 먹어요.", "저는 새우 알레르기가 있어요.")
    reply = companion.respond("내가 먹는 약이 뭐뭐 있었지요? 의사 선생님이 물어봐요.")
    assert reply.intent == "recall_fact" and "다이아벡스" in reply.text and "새우" not in reply.text
    assert not any("물어봐요" in t for t in texts(companion))
    _told(companion, "I take Synthroid every morning.")
    reply = companion.respond("what pills am I on? the pharmacist is asking.")
    assert reply.intent == "recall_fact" and "Synthroid" in reply.text


def test_a_birthday_or_number_told_of_someone_by_name_is_theirs(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "Rowan's birthday is August 30th", "Imani's number is 555-0148")
    _told(companion, "채원이 생일이 10월 4일이에요.", "my daughter's birthday is May 21")
    assert "August 30" in companion.respond("when is Rowan's birthday?").text
    imani = companion.respond("what's Imani's number?")
    assert "0148" in imani.text and "August" not in imani.text
    assert "10월 4일" in companion.respond("채원이 생일 언제였지?").text
    daughter = companion.respond("when's my daughter's birthday?")
    assert "May 21" in daughter.text and "August" not in daughter.text
    _told(companion, "Imani's birthday is June 2nd")
    assert "August 30" in companion.respond("when is Rowan's birthday?").text  # not replaced


def test_a_value_said_wrong_is_set_right_where_it_was_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(
        companion,
        "우리 외손녀 생일이 4월 7일이에요.",
        "my nephew's train gets in at 5:20 on sunday",
    )
    fixed = companion.respond("어머, 외손녀 생일 7일이라고 했죠? 8일이에요.")
    assert fixed.intent == "remember_fact" and fixed.outcome is Outcome.ACTED
    kept = " ".join(texts(companion))
    assert "4월 8일" in kept and "4월 7일" not in kept
    assert "4월 8일" in companion.respond("외손녀 생일 언제였죠?").text
    companion.respond("oh wait, I said 5:20 but it's actually 5:40")
    kept = " ".join(texts(companion))
    assert "5:40" in kept and "5:20" not in kept


def test_a_told_thing_said_back_to_check_it_is_answered_from_memory(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "my nephew's flight gets in at 5:10 on sunday", "손자 생일이 9월 9일이에요.")
    checked = companion.respond("off to the airport soon, my nephew lands at 5:10, right?")
    assert checked.intent == "recall_fact" and "5:10" in checked.text
    checked = companion.respond("손자 생일 9일 맞지요?")
    assert checked.intent == "recall_fact" and "9월 9일" in checked.text
    assert companion.respond("you're a robot, right?").intent != "recall_fact"


def test_a_favourite_a_job_or_a_place_told_without_my_is_kept_and_found(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(
        companion,
        "Mom's favorite flower is the peony, she grows them",
        "Funeral home is Brennan's on Oak Street.",
        "태호 직업이 목수래. 인천에서 일한대.",
    )
    assert "peony" in companion.respond("what's my mom's favorite flower?").text
    assert "Brennan" in companion.respond("which funeral home was it again?").text
    assert "목수" in companion.respond("태호가 무슨 일 한다고 했지?").text


def test_what_someone_cannot_eat_is_never_answered_with_their_birthday(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "My granddaughter Maisie's birthday is October 4th.")
    unknown = companion.respond("What can't Maisie eat?")
    assert unknown.intent == "recall_fact" and "October" not in unknown.text
    assert "Maisie" in unknown.text  # it says honestly what it does not know
    _told(companion, "Maisie is allergic to sesame.")
    assert "sesame" in companion.respond("what can't Maisie eat again?").text
    assert "October" in companion.respond("when is Maisie's birthday?").text


def test_korean_what_someone_cannot_eat_is_theirs_and_only_that(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "우리 외손자 준서 생일은 7월 12일이야.")
    unknown = companion.respond("준서 뭐 못 먹지?")
    assert unknown.intent == "recall_fact" and "7월" not in unknown.text
    _told(companion, "준서는 복숭아를 못 먹어.")
    known = companion.respond("준서가 뭐 못 먹더라?")
    assert "복숭아" in known.text and "7월" not in known.text


def test_a_question_by_name_of_another_kind_says_it_does_not_know(make_companion):
    companion = make_companion(clock=at(8, 9))
    _told(companion, "My nephew Arlo's birthday is May 21st.")
    likes = companion.respond("what does Arlo like?")
    assert "May" not in likes.text and "Arlo" in likes.text
    where = companion.respond("where does Arlo live?")
    assert "May" not in where.text


def test_the_time_of_something_set_as_a_reminder_is_answered_from_it(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("금요일 오전 열 시에 세무서 상담 있어. 삼십 분 전에 알려 줘")
    korean = companion.respond("세무서 상담 몇 시였지?")
    assert korean.intent == "recall_fact" and "9시 30분" in korean.text
    companion.respond("remind me to pick up the new glasses on Saturday at 4pm")
    english = companion.respond("what time is the glasses pickup again?")
    assert "4:00 PM" in english.text
    clock = companion.respond("what time is it?")
    assert clock.intent == "ask_time" and "glasses" not in clock.text


def test_a_time_asked_after_the_question_mark_or_by_when_is_the_reminders(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("오늘 오후 네 시에 남편 한의원 가라고 알려 줘")
    asked = companion.respond("남편 한의원 가는 게 오늘이었죠? 몇 시였더라")
    assert asked.intent == "recall_fact" and "4시" in asked.text
    unknown = companion.respond("남편 생일 언제였지?")
    assert "한의원" not in unknown.text
    companion.respond("remind me to go to the eye clinic follow-up on Thursday at 3pm")
    assert "3:00 PM" in companion.respond("when's the eye clinic follow-up?").text
