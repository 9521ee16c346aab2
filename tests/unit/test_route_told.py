"""How the route uses the NLU's reading of a fact told (issue 20, round 9): a request said now is
not a fact, a sure reading of a fact stands unless it is a request, a wish or a guess, a statement
read as asking is told, a polite '…했지요' or '겁이 나요' tells, a date asked with '알려 줘' is the
date now, a plan told as news is offered a reminder however the model reads it. The lines are this
file's own."""

from __future__ import annotations

from datetime import datetime

import pytest

from earpiece.companion.route import TOLD_CONFIDENCE, refine
from earpiece.nlu.act import Act, settle_korean, speech_act
from earpiece.nlu.model import Understanding
from tests.conftest import SEOUL

NOW = datetime(2026, 12, 9, 10, 0, tzinfo=SEOUL)


def _u(text: str, intent: str, lang: str, conf: float = 0.9, act: Act | None = None, **kw):
    emotion, e_conf = kw.get("emotion", ("neutral", 0.9))
    return Understanding(
        text, lang, intent, conf, emotion, e_conf, {}, act or speech_act(text, lang)
    )


@pytest.mark.parametrize(
    ("text", "intent", "lang"),
    [
        ("Stop a second, my son's name is on the caller ID", "stop", "en"),
        ("잠깐 멈춰 줘 우리 딸 전화야", "stop", "ko"),
        ("turn it up, my hearing aid is out", "volume_up", "en"),
    ],
)
def test_a_request_said_now_is_not_kept_for_the_fact_inside_it(text, intent, lang):
    u, _ = refine(_u(text, intent, lang, act=Act.REQUEST), None, NOW)
    assert u.intent == intent


def test_a_stop_said_as_a_statement_may_still_be_a_fact_told():
    u, _ = refine(_u("my son's name is Owen", "stop", "en", act=Act.STATEMENT), None, NOW)
    assert u.intent == "remember_fact"


def test_a_sure_reading_of_a_fact_stands_unless_a_request_wish_or_guess():
    lasting = "저는 삼십 년 동안 구두를 고쳤어요"  # an account in form, a job in meaning
    sure = _u(lasting, "remember_fact", "ko", conf=TOLD_CONFIDENCE, act=Act.STATEMENT)
    assert refine(sure, None, NOW)[0].intent == "remember_fact"
    unsure = _u(lasting, "remember_fact", "ko", conf=TOLD_CONFIDENCE - 0.1, act=Act.STATEMENT)
    assert refine(unsure, None, NOW)[0].intent != "remember_fact"
    for text in ("경비 아저씨가 요즘 안 보이시네요 그만두셨나 봐요", "강아지 한 마리 키우고 싶다"):
        u = _u(text, "remember_fact", "ko", conf=0.99, act=Act.STATEMENT)
        assert refine(u, None, NOW)[0].intent != "remember_fact", text


def test_a_statement_read_as_asking_is_told_and_a_question_is_not():
    told = _u("우리 사촌 동생 이름은 미소야", "recall_fact", "ko", act=Act.STATEMENT)
    assert refine(told, None, NOW)[0].intent == "remember_fact"
    asked = _u("우리 사촌 동생 이름이 뭐였지", "recall_fact", "ko", act=Act.STATEMENT)
    assert refine(asked, None, NOW)[0].intent == "recall_fact"


def test_a_polite_telling_ending_is_told_not_asked():
    for text in ("저는 우체국에서 삼십 년 일했지요", "주사 맞을 때마다 겁이 나요"):
        u = _u(text, "remember_fact", "ko", act=Act.QUESTION)
        assert refine(u, None, NOW)[0].intent != "recall_fact", text
    u = _u("주사 맞을 때마다 겁이 나요?", "remember_fact", "ko", act=Act.QUESTION)
    assert refine(u, None, NOW)[0].intent == "recall_fact"


def test_the_date_asked_with_tell_me_is_the_date_not_a_reminder():
    for text, intent in (
        ("오늘 며칠인지 좀 알려 줘", "ask_date"),
        ("지금 몇 시인지 알려 주세요", "ask_time"),
    ):
        assert refine(_u(text, intent, "ko", act=Act.REQUEST), None, NOW)[0].intent == intent
    u = _u("다섯 시에 빨래 걷으라고 알려 줘", "unknown", "ko", act=Act.REQUEST)
    assert refine(u, None, NOW)[0].intent == "set_reminder"


def test_a_plan_told_as_news_is_offered_a_reminder_however_the_model_reads_it():
    for intent in ("set_reminder", "remember_fact"):
        u = _u("I've got the eye doctor Monday at 11", intent, "en", act=Act.STATEMENT)
        ruled, _ = refine(u, None, NOW)
        assert ruled.intent == "remember_fact" and ruled.slots.get("offer") == "1", intent
        today = _u("I've got the dentist today at 4", intent, "en", act=Act.STATEMENT)
        assert refine(today, None, NOW)[0].intent == "unknown", intent


def test_a_korean_question_the_head_hears_as_a_request_stays_a_question_without_a_giving_verb():
    assert settle_korean(Act.REQUEST, Act.QUESTION, "창문 열어도 될까요") is Act.QUESTION
    assert settle_korean(Act.REQUEST, Act.QUESTION, "창문 좀 열어 줄 수 있나요") is Act.REQUEST
    assert settle_korean(Act.REQUEST, Act.REQUEST, "창문 열어") is Act.REQUEST


def test_a_typed_question_without_its_apostrophe_is_a_question():
    from earpiece.companion.route import _asks

    for text in ("whats my landlords number again, need to call him", "wheres my spare key again"):
        assert _asks(text), text
    assert not _asks("the whatsit on the porch is broken")


def test_a_lasting_fact_told_with_a_plan_for_today_is_still_kept():
    text = "제 동생 순미랑 노래 교실을 같이 다녀요. 오늘 저녁에 수업이 있어요"
    u = _u(text, "remember_fact", "ko", conf=0.5, act=Act.STATEMENT)
    assert refine(u, None, NOW)[0].intent == "remember_fact"


@pytest.mark.parametrize(
    "text",
    ["옆집 영자 씨한테 삼십만 원 빌려줬어요", "동생한테 내 노트북 빌려줬어",
     "I lent Tom fifty bucks"],
)  # fmt: skip
def test_something_done_told_is_no_reminder_asked_for(text):
    lang = "en" if text.isascii() else "ko"
    u = _u(text, "set_reminder", lang, conf=0.4, act=Act.REQUEST)
    assert refine(u, None, NOW)[0].intent != "set_reminder"


@pytest.mark.parametrize(
    "text",
    ["세 시에 약 먹으라고 알려 줘", "내일 아침 일곱 시에 깨워 줘",
     "엄마한테 전화하기 잊지 않게 해 줘", "remind me I lent Tom fifty bucks",
     "I lent Tom fifty bucks, remind me on Friday"],
)  # fmt: skip
def test_a_reminder_asked_for_stays_a_reminder(text):
    lang = "en" if text.isascii() else "ko"
    u = _u(text, "set_reminder", lang, act=Act.REQUEST)
    assert refine(u, None, NOW)[0].intent == "set_reminder"


@pytest.mark.parametrize(
    ("text", "intent", "lang"),
    [
        ("What time is it, the battery on my phone ran out", "ask_time", "en"),
        ("What's today's date? I have to sign a stack of forms", "ask_date", "en"),
        ("지금 몇 시야? 폰이 꺼졌어", "ask_time", "ko"),
    ],
)
def test_the_clock_asked_first_stays_the_clock_whatever_is_told_after(text, intent, lang):
    u = _u(text, intent, lang, act=Act.QUESTION)
    assert refine(u, None, NOW)[0].intent == intent
