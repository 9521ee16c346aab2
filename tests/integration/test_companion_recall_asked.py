"""A question for a thing told before that the intent model reads as a feeling or the schedule
is a recall ('…며칠이었지? <why>', 'do I have any…', 'what do I like doing…'), while advice and
the schedule stay what they are; '병원 선생님' is a doctor. The lines are this file's own."""

from __future__ import annotations

from earpiece.companion.memory import mentions, names_in, whom
from tests.integration.test_companion_week import at


def test_a_date_asked_with_its_reason_is_recalled(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("관리비 내는 날은 매달 17일이야. 잊으면 연체료 붙어.")
    asked = companion.respond("관리비 내는 날 며칠이었지? 통장에 돈 넣어 놔야 돼서.")
    assert asked.intent == "recall_fact" and "17일" in asked.text


def test_do_i_have_any_asks_a_told_condition(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("I've got asthma, had it for years now")
    asked = companion.respond("do I have any breathing problems")
    assert asked.intent == "recall_fact" and "asthma" in asked.text
    assert "I've" not in asked.text  # said back to the person: 'you've got asthma'


def test_a_taste_asked_is_not_the_schedule(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("I love a long swim in the evening")
    asked = companion.respond("what do I like doing in the evenings")
    assert asked.intent == "recall_fact" and "swim" in asked.text
    schedule = companion.respond("what do I have tomorrow?")
    assert schedule.intent == "list_reminders"


def test_advice_and_feelings_stay_what_they_are(make_companion):
    companion = make_companion(clock=at(8, 9))
    for line in ("엄마가 왜 그랬지?", "why do I feel like this?", "I feel like my boss hates me"):
        assert companion.respond(line).intent != "recall_fact", line


def test_a_clinic_teacher_is_a_doctor(make_companion):
    assert whom("아빠 병원 선생님 성함이 뭐였지?") == "doctor"
    assert mentions("아빠 병원 선생님 성함이 뭐였지?")[1] == "name"
    assert names_in("아빠 주치의는 한빛의원 이정훈 선생님이에요") == [("doctor", "이정훈")]
    assert ("teacher", "김수아") in names_in("민준이 담임은 김수아 선생님이에요")
    companion = make_companion(clock=at(8, 9))
    companion.respond("기억해 줘. 아빠 주치의는 한빛의원 이정훈 선생님이야")
    asked = companion.respond("아빠 병원 선생님 성함이 뭐였지? 전화해야 되는데")
    assert asked.intent == "recall_fact" and "이정훈" in asked.text


def test_where_one_studies_answers_a_school_question(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("I'm a sophomore at Calder State, studying nursing")
    companion.respond("Maya is my best friend since high school")
    asked = companion.respond("where do I go to school")
    assert asked.intent == "recall_fact" and "Calder" in asked.text and "Maya" not in asked.text
    korean = make_companion(state=companion.store.path.parent / "ko", clock=at(8, 9))
    korean.respond("나 미래대 간호학과 2학년이야")
    korean.respond("내 친구 소라랑 고등학교 때부터 친해")
    asked = korean.respond("나 어느 학교 다닌다고 했지?")
    assert asked.intent == "recall_fact" and "미래대" in asked.text and "소라" not in asked.text


def test_a_question_after_the_companion_asked_is_no_answer_to_keep(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("기억해 주세요. 아버지 주치의는 한빛의원 이정훈 선생님이에요")
    companion.respond("모임 끝났어요. 친구가 또 자기 사위 흉을 한참 보더라고요")
    asked = companion.respond("아버지 병원 선생님 성함이 뭐였죠? 갑자기 생각이 안 나네요")
    assert asked.intent == "recall_fact" and "이정훈" in asked.text
    kept = [b["text"] for _, b in companion.store.rows("facts")]
    assert len(kept) == 1 and "뭐였죠" not in kept[0]


def test_a_blood_thinner_taken_is_a_medicine_told(make_companion):
    from earpiece.companion.memory import analyse

    assert analyse("I'm on heparin, have been for years", "en").attribute == "health"
    companion = make_companion(clock=at(8, 9))
    companion.respond("I'm on heparin, have been for years")
    companion.respond("my knees aren't what they used to be")
    companion.respond("my neighbor Frank plays chess with me on Fridays")
    asked = companion.respond("what blood thinner am I on")
    assert asked.intent == "recall_fact" and "heparin" in asked.text
