"""Speech acts: a question is never a statement to keep, a request is what voice confirms."""

from __future__ import annotations

import pytest

from earpiece.nlu.act import Act, speech_act

CASES = [
    ("새우 먹어도 되나요", "ko", Act.QUESTION),
    ("울엄마 생신 언제였더라", "ko", Act.QUESTION),
    ("지금 몇 시야", "ko", Act.QUESTION),
    ("나 알레르기 뭐 있었지", "ko", Act.QUESTION),
    ("나 새우 알레르기 있어", "ko", Act.STATEMENT),
    # 있어요 asks or tells by intonation alone: the speaker as subject tells, a question word asks
    ("저는 땅콩 알레르기가 있어요", "ko", Act.STATEMENT),
    ("저 내일 시간 없어요", "ko", Act.STATEMENT),
    ("알레르기 있어요", "ko", Act.QUESTION),
    ("제가 무슨 알레르기 있어요", "ko", Act.QUESTION),
    ("저 이거 먹어도 돼요", "ko", Act.QUESTION),
    ("내 동생 이름은 지수야", "ko", Act.STATEMENT),
    ("오늘 너무 피곤해", "ko", Act.STATEMENT),
    ("내일 아침 일곱 시에 깨워줘", "ko", Act.REQUEST),
    ("알림 취소해", "ko", Act.REQUEST),
    ("소리 좀 키워 주세요", "ko", Act.REQUEST),
    ("is it ok if i eat shrimp", "en", Act.QUESTION),
    ("what's my father's name", "en", Act.QUESTION),
    ("whats ur name?", "en", Act.QUESTION),
    ("my dads name is Raj", "en", Act.STATEMENT),
    ("i feel lonely", "en", Act.STATEMENT),
    ("remind me to call mom at five", "en", Act.REQUEST),
    ("can you tell me a joke?", "en", Act.REQUEST),
    ("please cancel my alarm", "en", Act.REQUEST),
]


@pytest.mark.parametrize(("text", "lang", "act"), CASES)
def test_speech_act(text: str, lang: str, act: Act):
    assert speech_act(text, lang) is act


def test_empty_text_is_a_statement():
    assert speech_act("  ", "ko") is Act.STATEMENT


def test_between_question_and_statement_the_rules_decide():
    from earpiece.nlu.act import combine

    assert combine(Act.STATEMENT, Act.QUESTION) is Act.STATEMENT
    assert combine(Act.QUESTION, Act.STATEMENT) is Act.QUESTION
    assert combine(Act.STATEMENT, Act.REQUEST) is Act.REQUEST
    assert combine(Act.QUESTION, Act.REQUEST) is Act.REQUEST
    assert combine(Act.REQUEST, None) is Act.REQUEST


def test_a_request_ending_is_never_overruled_by_the_head():
    from earpiece.nlu.act import combine

    assert combine(Act.REQUEST, Act.QUESTION) is Act.REQUEST
    assert combine(Act.REQUEST, Act.STATEMENT) is Act.REQUEST
