"""Editing a letter while dictating it: 'add: …', 'keep going: …', '끝에 이것도 써 줘. …' add the
words after the command, not the command; 'change X to Y', "'X'를 'Y'로 바꿔 줘" change one
wording (and say so when it is not in the letter); a check-in during dictation keeps the
draft, and the dictation goes on after a no. The lines are this file's own."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from earpiece.nlu import safety as detect
from tests.integration.test_companion_week import at


def _letter(companion) -> str:
    rows = companion.store.rows("letters")
    assert len(rows) == 1
    return rows[0][1]["body"]


def test_english_add_and_change_commands_edit_the_letter(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("write a letter to my nephew")
    companion.respond("Dear Theo, well done on the exams. I was worried for nothing.")
    companion.respond("add: the spare room is ready whenever you visit")
    companion.respond("Keep going: see you at Easter")
    body = _letter(companion)
    assert "spare room is ready" in body and "see you at Easter" in body
    assert "add:" not in body and "Keep going" not in body
    changed = companion.respond(
        "oh change 'worried for nothing' to 'never worried at all'. it's nicer"
    )
    assert changed.outcome is Outcome.ACTED
    body = _letter(companion)
    assert "never worried at all" in body and "worried for nothing" not in body
    assert "nicer" not in body and "change" not in body
    missing = companion.respond('change "the garden" to "the yard"')
    assert missing.outcome is not Outcome.ACTED and "the yard" not in _letter(companion)
    read = companion.respond("read it back")
    assert "never worried at all" in read.text and "spare room" in read.text


def test_korean_add_and_change_commands_edit_the_letter(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("막내딸한테 편지 쓰고 싶어")
    companion.respond("수아야, 취직 축하한다. 엄마는 늘 네가 든든하다.")
    companion.respond("끝에 이것도 써 줘. 겨울 옷 챙겨 입어라.")
    body = _letter(companion)
    assert "겨울 옷 챙겨 입어라" in body and "이것도" not in body
    changed = companion.respond("'든든하다'를 '고맙다'로 바꿔 줘")
    assert changed.outcome is Outcome.ACTED
    body = _letter(companion)
    assert "고맙다" in body and "든든하다" not in body and "바꿔" not in body
    companion.respond("그리고 마지막으로, 설에 보자.")
    assert "설에 보자" in _letter(companion) and "마지막으로" not in _letter(companion)


def test_a_check_in_during_dictation_keeps_the_draft_and_the_letter_goes_on(
    make_companion, monkeypatch
):
    real = detect.danger

    def danger(text: str, intent: str = "unknown"):
        return detect.Danger.CONCERN if "마지막 편지" in text else real(text, intent)

    monkeypatch.setattr(detect, "danger", danger)
    companion = make_companion(clock=at(8, 9))
    companion.respond("손자한테 편지 쓸래")
    companion.respond("준호야, 군대 가서도 건강해라.")
    asked = companion.respond("이게 할머니 마지막 편지일지도 몰라.")
    assert asked.danger == "concern" and "109" in asked.text
    assert "마지막 편지" not in _letter(companion)  # nothing done with the worrying line
    companion.respond("아니")
    companion.respond("휴가 나오면 맛있는 거 해 줄게.")
    assert "휴가 나오면" in _letter(companion)
    read = companion.respond("다 썼어")
    assert "군대 가서도" in read.text and "휴가 나오면" in read.text
