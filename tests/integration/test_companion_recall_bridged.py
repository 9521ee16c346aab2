"""Recall of a thing told of someone by name when asked by whom they are to the person (the name
bridges the two facts), of an in-law by the whole relation, of a birthday told without the word,
and a health complaint ('안 좋아서') told, not read as a liking. The lines are this file's own."""

from __future__ import annotations

from tests.integration.test_companion_week import at


def test_a_birthday_told_by_name_answers_the_relation(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 외손녀 지아가 이번에 유치원 들어갔어요.")
    companion.respond("지아 생일은 4월 17일이에요.")
    companion.respond("친구 영순이 생일은 8월 8일이에요.")
    asked = companion.respond("외손녀 생일이 언제라고 했죠?")
    assert asked.intent == "recall_fact" and "4월 17일" in asked.text
    assert "8월 8일" not in asked.text


def test_born_on_told_of_a_named_son_answers_his_birthday(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My son Oliver just started kindergarten, he loves it.")
    companion.respond("Oliver was born on July 14th, during a thunderstorm.")
    asked = companion.respond("When's my son's birthday again?")
    assert asked.intent == "recall_fact" and "July 14" in asked.text
    nobody = companion.respond("When's my wife's birthday?")
    assert "July 14" not in nobody.text


def test_an_in_law_is_not_the_parent(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My father-in-law's name is Desmond. He's coming for New Year.")
    asked = companion.respond("What's my father-in-law called again?")
    assert asked.intent == "recall_fact" and "Desmond" in asked.text
    father = companion.respond("What's my father's name?")
    assert "Desmond" not in father.text


def test_a_birthday_told_as_turning_an_age_answers_it(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("my niece Priya turns seven on April 2nd")
    asked = companion.respond("when is Priya's birthday")
    assert asked.intent == "recall_fact" and "April 2" in asked.text


def test_not_well_is_told_as_health_not_a_liking(make_companion):
    companion = make_companion(clock=at(8, 9))
    told = companion.respond("저는 어깨가 안 좋아서 무거운 걸 못 들어요")
    assert told.intent == "remember_fact"
    kept = [b for _, b in companion.store.rows("facts")]
    assert len(kept) == 1 and "어깨" in kept[0]["text"] and kept[0]["kind"] != "like"
    asked = companion.respond("제가 어디가 안 좋다고 했죠?")
    assert asked.intent == "recall_fact" and "어깨" in asked.text
    companion.respond("저는 오이를 안 좋아해요")
    disliked = [b for _, b in companion.store.rows("facts") if "오이" in b["text"]]
    assert disliked and disliked[0]["kind"] != "like"


def test_a_pet_named_without_a_particle_is_recalled_by_its_kind(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("우리 강아지 산책 시키고 왔어. 날씨 좋더라")
    unknown = companion.respond("우리 강아지 이름 뭐였지?")
    assert unknown.intent == "recall_fact" and "산책" not in unknown.text
    companion.respond("우리 고양이 나비 올해로 열두 살이야")
    asked = companion.respond("우리 고양이 이름 뭐였더라?")
    assert asked.intent == "recall_fact" and "나비" in asked.text


def test_a_dog_told_as_a_mixed_breed_at_the_line_end_is_named(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("준서는 내 아들이고 아홉 살이야. 초코는 우리 집 시츄 믹스고")
    asked = companion.respond("우리 집 강아지 이름 뭐라고 했지?")
    assert asked.intent == "recall_fact" and "초코" in asked.text


def test_a_name_then_a_friend_met_is_not_the_friend(make_companion):
    from earpiece.companion.memory import names_in

    assert names_in("민호는 친구 만나고 왔어") == []
    assert names_in("우리 강아지 요즘 밥을 잘 안 먹어") == []


def test_a_job_told_of_a_named_grandchild_answers_their_work(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("My grandson Marcus is twenty-two and lives in Leeds.")
    companion.respond("Marcus is a plumber, you know. Works for the city water department.")
    asked = companion.respond("What does my grandson do for work again?")
    assert asked.intent == "recall_fact" and "plumber" in asked.text
    unknown = companion.respond("What does my daughter do for work?")
    assert "plumber" not in unknown.text


def test_a_reaction_told_by_name_answers_what_they_cannot_eat(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("서윤이는 복숭아 먹으면 입술이 부어요. 그래서 여름마다 조심해요.")
    companion.respond("서윤이 생일은 6월 3일이에요.")
    asked = companion.respond("우리 서윤이 뭐 먹으면 안 된다고 했죠?")
    assert asked.intent == "recall_fact" and "복숭아" in asked.text
    assert "6월 3일" not in asked.text


def test_a_name_said_with_an_object_particle_bridges_only_when_told_again(make_companion):
    from earpiece.companion.memory import words_after

    assert words_after("외손자 도윤이를 제가 봐 주고 있어요", "grandchild") == ["도윤"]
    companion = make_companion(clock=at(8, 9))
    companion.respond("외손자 도윤이를 제가 봐 주고 있어요. 이제 네 살이에요.")
    unknown = companion.respond("손주 생일이 언제였지요?")
    assert unknown.intent == "recall_fact" and "도윤" not in unknown.text
    companion.respond("도윤이 생일이 10월 21일이에요.")
    asked = companion.respond("우리 손주 생일이 언제였지요?")
    assert asked.intent == "recall_fact" and "10월 21일" in asked.text
