"""Telling as people tell (issue 20): a self-introduction, a name inside a story, a plan told
as news (kept, a reminder offered, set only on a yes), an allergy told by what it does; a
request, a remark, a wish or an account of the day is not kept; a letter's dictation ends on
'read it back' or a goodbye and lets a reminder request through; a letter told of is not one
asked for. The lines are this file's own, in both languages."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at, texts


def test_a_self_introduction_is_kept_as_the_name_and_recalled_a_day_later(make_companion):
    for line, name, ask in (
        ("저는 박말순이라고 합니다, 일흔하나예요", "박말순", "제 이름이 뭐였죠?"),
        ("그냥 손주가 사 준 거예요. 나는 오금자라고 해요", "오금자", "내 이름 알아요?"),
        ("hi, I'm Walter, 81 this spring", "Walter", "what's my name?"),
        ("I'm Tasha. I'm 33.", "Tasha", "do you know my name?"),
    ):
        clock = at(8, 9)
        companion = make_companion(clock=clock, state=None)
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and name in reply.text, line
        clock.advance(days=1)
        assert name in companion.respond(ask).text, line


def test_not_a_name_after_i_am(make_companion):
    companion = make_companion(clock=at(8, 9))
    for line in ("I'm Korean, by the way", "나 퇴근길이야", "저 혼자예요"):
        reply = companion.respond(line)  # never greeted as a name
        assert "Korean" not in reply.text and "퇴근길" not in reply.text, line
        assert "혼자 님" not in reply.text, line
    assert companion.respond("what's my name?").text.count("Korean") == 0


def test_names_told_inside_stories_are_kept_and_found_by_relation(make_companion, tmp_path):
    for lines, ask, name in (
        (("아랫집 사는 경자 언니가 떡을 또 갖다줬어", "회사 동료 지훈 씨가 오늘 커피를 사 줬어"),
         "아랫집 이웃 이름이 뭐였지?", "경자"),
        (("ran into Marco from church at the pharmacy", "Gwen, my sister-in-law, is coming Sunday",
          "my neighbour Ines fixed my fence again"), "what's my neighbour's name?", "Ines"),
    ):  # fmt: skip
        clock = at(8, 19)
        companion = make_companion(state=tmp_path / name, clock=clock)
        for line in lines:
            reply = companion.respond(line)
            assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
        clock.advance(days=1)
        assert name in companion.respond(ask).text


def test_a_plan_told_as_news_is_kept_and_a_reminder_offered(make_companion):
    clock = at(8, 9)
    companion = make_companion(clock=clock)
    reply = companion.respond("I've got a podiatrist appointment Friday at 2")
    assert reply.intent == "remember_fact" and "?" in reply.text  # a reminder offered
    assert any("podiatrist" in t for t in texts(companion))
    assert companion.store.rows("reminders") == []
    companion.respond("yes")
    (row,) = [b for _, b in companion.store.rows("reminders")]
    assert row["due_at"] == "2026-12-11T14:00+09:00"
    reply = companion.respond("다음 주 수요일 오전 11시에 안과 예약 있어요")
    assert reply.intent == "remember_fact" and any("안과" in t for t in texts(companion))
    companion.respond("오늘 날씨 좋네요")  # not the answer: the offer lapses
    assert len(companion.store.rows("reminders")) == 1
    clock.advance(days=1)
    assert "안과" in companion.respond("안과 언제였죠?").text


def test_a_plan_for_today_is_not_kept_nor_set(make_companion):
    companion = make_companion(clock=at(8, 5))
    companion.respond("Early shift today, gotta be at the warehouse by 6")
    assert texts(companion) == [] and companion.store.rows("reminders") == []


def test_an_allergy_told_by_what_it_does_is_kept_and_checked(make_companion):
    companion = make_companion(clock=at(8, 12))
    for line, food in (
        ("나 게 먹으면 두드러기 나", "게"),
        ("kiwi gives me hives", "kiwi"),
        ("I break out in a rash when I eat mango", "mango"),
    ):
        reply = companion.respond(line)
        assert reply.intent == "remember_fact", line
        assert any(food in t for t in texts(companion)), line
    assert "mango" in companion.respond("what am I allergic to?").text


def test_requests_remarks_and_the_day_are_not_kept(make_companion):
    companion = make_companion(clock=at(8, 12))
    for line in (
        "볼륨 좀 올려 주세요, 하나도 안 들려요.",
        "손녀 유치원 데려다줬어요. 아이고, 매일 아침이 난리네요.",
        "오늘 검사 결과 나오는 날이라 좀 떨려요.",
        "turn it up a little, I can't hear you",
        "강아지 키우고 싶다",
    ):
        companion.respond(line)
    assert texts(companion) == []


def test_read_it_back_reads_the_draft_and_dictation_ends_on_done_and_on_goodnight(
    make_companion,
):
    companion = make_companion(clock=at(8, 21))
    companion.respond("write a letter to my brother")
    companion.respond("I'm sorry about the fight.")
    before = companion.store.rows("letters")
    reply = companion.respond("ok read it back to me")
    assert "sorry about the fight" in reply.text and "read it back" not in reply.text
    assert reply.intent == "read_letter" and reply.outcome is Outcome.ANSWERED
    assert companion.store.rows("letters") == before  # reading it changes nothing
    companion.respond("Call me when you're back in town.")  # the letter goes on after it
    done = companion.respond("done")
    assert done.intent == "write_letter" and "back in town" in done.text
    (letter,) = [b for _, b in companion.store.rows("letters")]
    assert letter["status"] == "saved" and "read" not in letter["body"]
    assert "back in town" in letter["body"]
    companion.respond("삼촌한테 편지 쓸래")
    companion.respond("삼촌 건강하세요.")
    companion.respond("고마워요. 잘 자요.")
    bodies = [b["body"] for _, b in companion.store.rows("letters")]
    assert any("건강하세요" in b for b in bodies) and not any("잘 자요" in b for b in bodies)
    reply = companion.respond("삼촌 편지 읽어 줘")
    assert "건강하세요" in reply.text


def test_a_reminder_request_leaves_dictation(make_companion):
    companion = make_companion(clock=at(8, 21))
    companion.respond("엄마한테 편지 써 줘")
    companion.respond("엄마 늘 고마워요.")
    reply = companion.respond("내일 아침 7시에 약 먹으라고 알림 맞춰 줘")
    assert reply.intent == "set_reminder" and len(companion.store.rows("reminders")) == 1
    (letter,) = [b for _, b in companion.store.rows("letters")]
    assert letter["status"] == "saved" and "알림" not in letter["body"]


def test_a_letter_told_of_is_not_a_letter_asked_for(make_companion):
    companion = make_companion(clock=at(8, 21))
    companion.respond("아빠가 내 편지 읽고 전화했어. 고마워.")
    assert companion.store.rows("letters") == []


def _due(companion) -> list[str]:
    return sorted(b["due_at"] for _, b in companion.store.rows("reminders"))


def test_the_day_before_a_date_said_or_a_birthday_told(make_companion, tmp_path):
    companion = make_companion(state=tmp_path / "a", clock=at(7, 9))
    companion.respond("my sister's birthday is December 22")
    companion.respond("remind me the day before my sister's birthday to order the cake")
    assert _due(companion) == ["2026-12-21T09:00+09:00"]
    companion.respond("remind me the day before the 18th at 7pm to pack")
    assert "2026-12-17T19:00+09:00" in _due(companion)
    companion = make_companion(state=tmp_path / "b", clock=at(7, 9))
    companion.respond("아빠 생신은 12월 24일이에요")
    companion.respond("아빠 생신 전날 저녁 여섯 시에 꽃 사라고 알려 주세요")
    assert _due(companion) == ["2026-12-23T18:00+09:00"]
    companion.respond("20일 전날 아침 8시에 짐 싸라고 알려 줘")
    assert "2026-12-19T08:00+09:00" in _due(companion)
    assert not any("전날" in b["what"] for _, b in companion.store.rows("reminders"))


def test_a_correction_after_a_reminder_with_more_said(make_companion, tmp_path):
    companion = make_companion(state=tmp_path / "a", clock=at(7, 9))
    companion.respond("수요일 오전 열 시에 은행 가라고 알려 주세요")
    reply = companion.respond("아 참, 열 시 말고 열한 시로 해 주세요. 점심 약속이 있어서요.")
    assert _due(companion) == ["2026-12-09T11:00+09:00"], reply.text
    companion = make_companion(state=tmp_path / "b", clock=at(7, 9))
    companion.respond("remind me on Thursday at 3 to call the bank")
    companion.respond("oh wait, I meant Friday")
    assert _due(companion) == ["2026-12-11T15:00+09:00"]
    companion.respond("sorry, I meant 4")
    assert _due(companion) == ["2026-12-11T16:00+09:00"]


def test_korean_told_as_a_report_or_an_exclamation_is_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    for line, held in (
        ("나 올봄에 공장 그만뒀어. 창원에서 30년 근무했는데 회사가 문 닫는다더라.", "창원"),
        ("나는 키위 알레르기가 있어. 어릴 때 먹고 한참 고생했지 뭐야.", "키위"),
        ("성호한테 20만원 빌려줬어. 설 전에 받기로 했어.", "성호"),
        ("큰딸은 청주 살아요. 은영이라고.", "은영"),
    ):
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
        assert any(held in t for t in texts(companion)), line
    assert "은영" in companion.respond("큰딸 이름이 뭐였지?").text
    assert "키위" in companion.respond("내 알레르기 뭐였지?").text


def test_english_told_without_a_usual_shape_is_kept(make_companion):
    companion = make_companion(clock=at(8, 9))
    for line, held in (
        ("The clinic's after-hours line is 415-555-0172.", "0172"),
        ("Our vet is the Hillcrest animal hospital on Grove Street.", "Hillcrest"),
        ("my appa's bus gets into Port Authority friday at 6:40", "6:40"),
        ("Grandma has a hearing aid, she got it last fall.", "hearing aid"),
        ("I worked at the shipyard for thirty years before I retired", "shipyard"),
        ("Ken owes me $40 from the poker night", "Ken"),
    ):
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
        assert any(held in t for t in texts(companion)), line
    assert "0172" in companion.respond("what's the clinic's number again?").text
    assert "6:40" in companion.respond("when does my dad's bus get in?").text


def test_a_question_about_a_medicine_is_not_answered_with_an_allergy(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("나는 땅콩 알레르기가 있어.")
    reply = companion.respond("내가 먹는 약이 뭐 있었지? 약국에서 물어보네.")
    assert reply.intent == "recall_fact" and "땅콩" not in reply.text
    companion.respond("I'm allergic to latex.")
    reply = companion.respond("what meds do I take again?")
    assert reply.intent == "recall_fact" and "latex" not in reply.text
