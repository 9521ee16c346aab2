"""Facts told in passing, questions about them, feelings with news, a greeting before a question,
a stop that is meant (issue 20, the NLU round 9 kinds). A statement about oneself, one's people,
pets, work, health, dates or codes is kept with a light acknowledgement; a question about them is
answered from memory, or honestly not, and never kept; a feeling with its news is not kept; a
greeting before a question answers the question; 'stop a second, …' stops. The lines are this
file's own (not in the training data nor in the seen weeks), in both languages."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion import says
from tests.integration.test_companion_week import acknowledged, at, texts


def honest(text: str, lang: str) -> bool:
    """One of the wordings that say it was not told yet (about anything, or about that person),
    at either speech level (the level follows the person's earlier lines)."""
    keys = ("recall_none", "recall_empty", "recall_unknown", "recall_unknown_of")
    levels = ("banmal", "jondaetmal")
    return any(says(text, key, lang, level) for key in keys for level in levels)


TOLD = (
    ("I repair pianos for a living, have done since '98", "pianos"),
    ("My grandkids are Ruby, eight, and Max, five", "Ruby"),
    ("Dexter's my greyhound. He's terrified of the microwave", "Dexter"),
    ("The alarm code at church is 6271 in case it goes out of my head", "6271"),
    ("my brother al's birthday is the 22nd of august", "22"),
    ("저는 이십 년 넘게 동네에서 목욕탕을 했어요", "목욕탕"),
    ("손주가 둘인데 은호가 열 살이고 은비가 여섯 살이야", "은호"),
    ("우리 집 햄스터 콩떡이는 밤마다 쳇바퀴를 돌려", "콩떡"),
    ("창고 자물쇠 번호는 4803이에요 잊어버릴까 봐서요", "4803"),
    ("큰딸 생일이 사월 십일인데 올해는 뭘 사 줄지 모르겠네", "큰딸"),
)


def test_facts_told_in_passing_are_kept_with_a_light_acknowledgement(make_companion, tmp_path):
    for n, (line, word) in enumerate(TOLD):
        companion = make_companion(state=tmp_path / str(n), clock=at(9, 10))
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
        assert acknowledged(reply.text, reply.lang), (line, reply.text)
        assert any(word in t for t in texts(companion)), line


def test_a_code_told_is_said_back_the_next_day(make_companion, tmp_path):
    for line, ask, code in (
        (
            "the side gate padlock is 3917, in case I blank on it",
            "what's the padlock code?",
            "3917",
        ),
        ("현관 비밀번호는 5824야 혹시 까먹을까 봐", "현관 비밀번호 뭐였지?", "5824"),
    ):
        clock = at(9, 9)
        companion = make_companion(state=tmp_path / code, clock=clock)
        assert companion.respond(line).intent == "remember_fact", line
        clock.advance(days=1)
        reply = companion.respond(ask)
        assert reply.intent == "recall_fact" and code in reply.text, (ask, reply.text)
        assert len(texts(companion)) == 1  # the question was not kept


def test_a_question_about_oneself_is_never_kept_and_an_unknown_answer_is_honest(make_companion):
    companion = make_companion(clock=at(9, 11))
    for ask in (
        "Do you know what my ring size is?",
        "you remember my grandson's shoe size?",
        "When's my sister-in-law's birthday again?",
        "제 혈압약 이름 아세요?",
        "우리 아들 생일이 며칠이었더라?",
        "내 신발 사이즈 알아?",
    ):
        reply = companion.respond(ask)
        assert reply.intent == "recall_fact", (ask, reply.intent)
        assert honest(reply.text, reply.lang), (ask, reply.text)
    assert texts(companion) == []


def test_a_feeling_with_its_news_is_a_feeling_not_a_fact(make_companion):
    companion = make_companion(clock=at(9, 20))
    for line in (
        "The cardiologist says my heart looks fine. Such a weight off",
        "Sleet sideways and the car won't start. Wonderful. Just wonderful.",
        "Feeling a touch gloomy this evening",
        "건강검진 결과 다 정상이래요 이제야 마음이 놓여요",
        "오늘 밤엔 왠지 좀 쓸쓸하네",
    ):
        reply = companion.respond(line)
        assert reply.intent == "share_feeling", (line, reply.intent)
    assert texts(companion) == []


def test_a_greeting_before_a_question_answers_the_question(make_companion):
    companion = make_companion(clock=at(9, 8))
    for line, intent in (
        ("Hi Samantha, which date is it today?", "ask_date"),
        ("안녕 사만다 오늘 날짜 좀 알려 줘", "ask_date"),
        ("Good evening! What time have we got?", "ask_time"),
        ("안녕하세요 지금 몇 시나 됐나요", "ask_time"),
    ):
        assert companion.respond(line).intent == intent, line


def test_stop_is_stop_when_meant_and_not_when_it_is_a_feeling(make_companion):
    companion = make_companion(clock=at(9, 15))
    for line in ("Stop a sec, the microwave's beeping", "잠깐 멈춰 봐 택배 왔나 봐"):
        assert companion.respond(line).intent == "stop", line
    for line in (
        "I don't know why I'm even bringing this up. I'm just low",
        "괜히 이런 얘기 꺼내서 미안해요 그냥 마음이 무거워서요",
        "Can't sleep, it's nearly four, I'm losing my mind",
        "월요일 아침 생각만 해도 벌써 배가 아프다",
    ):
        reply = companion.respond(line)
        assert reply.intent not in ("stop", "goodbye", "ask_date"), (line, reply.intent)
    assert texts(companion) == []
