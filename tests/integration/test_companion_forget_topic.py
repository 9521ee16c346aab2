"""Forget by what was named (a topic, a person and a topic, a name, 'that one just now'),
always asking first, removing the fact and every line that said it and nothing else; a topic
kept in no fact but said in lines offers those lines; nothing at all is said honestly. Recall of
a pet told by its breed. The lines are this file's own."""

from __future__ import annotations

import json

from earpiece.companion.outcome import Outcome
from earpiece.store.export import document
from tests.integration.test_companion_week import at


def _exported(companion) -> str:
    return json.dumps(document(companion.store), ensure_ascii=False)


def _facts(companion) -> str:
    return " ".join(str(b["text"]) for _, b in companion.store.rows("facts"))


def test_a_topic_said_only_in_lines_is_offered_and_those_lines_go_on_yes(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 고양이 이름은 두부야")
    companion.respond("요즘 술 끊으려고 노력 중이야. 벌써 열흘째야")
    companion.respond("동생 지호가 다음 달에 결혼해")
    assert "술" not in _facts(companion)  # the effort was talk, not a fact
    asked = companion.respond("술 얘기는 잊어줘. 조카가 옆에서 자꾸 들어")
    assert asked.intent == "forget_fact" and asked.outcome is Outcome.CONFIRMING
    assert "열흘" in _exported(companion)  # nothing goes before the yes
    done = companion.respond("응")
    assert done.intent == "forget_fact"
    exported = _exported(companion)
    assert "술" not in exported and "열흘" not in exported and "조카" not in exported
    assert "두부" in _facts(companion) and "지호" in _facts(companion)
    assert "두부" in exported  # the lines that did not say it stay


def test_a_word_inside_another_word_is_not_the_topic(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("다음 주에 무릎 수술 받아")
    companion.respond("우리 강아지 이름은 보리야")
    said = companion.respond("술 얘기는 지워 줘")
    assert said.outcome is Outcome.ANSWERED  # '수술' is no '술': nothing to offer
    assert "수술" in _exported(companion) and "보리" in _facts(companion)


def test_a_person_and_a_topic_offer_that_fact_alone(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("제 손주 이름은 도윤이에요")
    companion.respond("옆집 영자 씨한테 삼십만 원 빌려줬어요")
    asked = companion.respond("영자 씨 돈 얘기는 이제 잊어 주세요. 어제 다 받았어요")
    assert asked.outcome is Outcome.CONFIRMING and "영자" in asked.text
    assert "도윤" not in asked.text
    companion.respond("네")
    exported = _exported(companion)
    assert "영자" not in exported and "삼십만" not in exported
    assert "도윤" in _facts(companion)


def test_what_was_told_about_a_named_person_goes_with_every_line_that_said_it(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My name is Dana.")
    companion.respond("My son Eli is nine.")
    companion.respond("My coworker Brandon got fired for stealing from the register.")
    companion.respond("Honestly Brandon had it coming.")
    asked = companion.respond("Forget what I told you about Brandon. Not my story to tell.")
    assert asked.outcome is Outcome.CONFIRMING and "Brandon" in asked.text
    assert "Dana" not in asked.text and "Eli" not in asked.text  # never their own name
    companion.respond("yes")
    exported = _exported(companion)
    assert "Brandon" not in exported and "register" not in exported
    assert "Eli" in _facts(companion) and "Dana" in _facts(companion)


def test_dont_save_that_just_now_with_a_reason_offers_the_last_thing_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 강아지 이름은 보리야")
    companion.respond("회사 동료 태민이가 이직 준비한대. 아직 비밀이야")
    asked = companion.respond("아 방금 그건 저장하지 마. 태민이가 말하지 말랬어")
    assert asked.intent == "forget_fact" and asked.outcome is Outcome.CONFIRMING
    assert "태민" in asked.text and "보리" not in asked.text
    companion.respond("응")
    assert "태민" not in _exported(companion) and "보리" in _facts(companion)


def test_dont_save_that_one_in_english_with_a_reason(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My cat is Pepper.")
    companion.respond("My brother-in-law Rick still owes me 400 bucks.")
    asked = companion.respond("Oh, don't save that one. He'd be mortified.")
    assert asked.intent == "forget_fact" and asked.outcome is Outcome.CONFIRMING
    assert "Rick" in asked.text and "Pepper" not in asked.text
    companion.respond("no")
    assert "Rick" in _facts(companion)  # a no keeps it


def test_a_code_named_by_its_kind_is_offered(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My dog is called Biscuit.")
    companion.respond("The password for the side door is 5502.")
    asked = companion.respond("Please forget my door code, someone could overhear.")
    assert asked.outcome is Outcome.CONFIRMING and "5502" in asked.text
    companion.respond("yes")
    assert "5502" not in _exported(companion) and "Biscuit" in _facts(companion)


def test_nothing_named_anywhere_is_said_honestly_and_nothing_changes(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My dog is called Biscuit.")
    before = _exported(companion)
    said = companion.respond("Forget the thing about the lottery.")
    assert said.intent == "forget_fact" and said.outcome is Outcome.ANSWERED
    assert "Biscuit" not in said.text
    after = json.loads(_exported(companion))
    assert [b["text"] for b in after["facts"]] == [b["text"] for b in json.loads(before)["facts"]]


def test_a_pet_told_by_its_breed_is_recalled_as_the_dog_or_the_cat(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("보리는 우리 집 푸들이고 세 살이야")
    assert "보리" in companion.respond("우리 집 강아지 이름 뭐였지?").text
    companion.respond("We also have a tabby named Miso.")
    assert "Miso" in companion.respond("what's my cat's name again?").text


def test_a_code_told_in_case_one_forgets_is_kept_then_forgotten_when_asked(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My dog is called Biscuit.")
    told = companion.respond("My bike lock is 0427 in case I forget.")
    assert told.intent == "remember_fact" and "0427" in _facts(companion)
    asked = companion.respond("Please forget my bike lock code. That was silly of me.")
    assert asked.outcome is Outcome.CONFIRMING and "0427" in asked.text
    companion.respond("yes")
    assert "0427" not in _exported(companion) and "Biscuit" in _facts(companion)
    again = companion.respond("what was my bike lock code again?")
    assert "0427" not in again.text


def test_two_names_told_in_one_line_are_each_recalled_by_relation(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("지우는 내 아들이고 다섯 살이야. 초코는 우리 집 푸들이고")
    assert "초코" in companion.respond("우리 강아지 이름 뭐였지?").text
    assert "지우" in companion.respond("우리 아들 이름 뭐였지?").text


def test_a_thing_named_by_how_it_was_told_is_found(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 고양이 이름은 두부야")
    companion.respond("나 술 끊은 지 한 달 됐다. 대단하지 않냐?")
    asked = companion.respond("술 끊었다는 거 지워줘. 어제 한 잔 했어")
    assert asked.outcome is Outcome.CONFIRMING and "한 달" in asked.text
    companion.respond("응")
    assert "한 달" not in _exported(companion) and "두부" in _facts(companion)


def test_forget_that_after_talk_kept_as_no_fact_offers_that_line(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 고양이 이름은 두부야")
    companion.respond("오늘 회사에서 엄청 깨졌어. 진짜 서러웠어")
    asked = companion.respond("그 얘긴 기억하지 마. 생각하기도 싫다")
    assert asked.intent == "forget_fact" and asked.outcome is Outcome.CONFIRMING
    assert "서러웠어" in _exported(companion)
    companion.respond("응")
    assert "서러웠어" not in _exported(companion) and "두부" in _exported(companion)
