"""A letter dictated the way people do it: asked for tersely or with the first lines in the same
breath, corrected ('make it thirty', "'X'는 빼"), signed, and read back while it is written. The
turn is reported as what the companion did (write_letter / read_letter), the NLU's own reading
kept beside it (`nlu_intent`). The lines are this file's own."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at


def _letter(companion) -> dict:
    (letter,) = [b for _, b in companion.store.rows("letters")]
    return letter


def test_an_english_letter_asked_for_tersely_is_written_edited_signed_and_read(make_companion):
    companion = make_companion(clock=at(8, 9))
    opened = companion.respond("Letter. To Ben, the boy across the road. He fixed my gate.")
    assert opened.intent == "write_letter" and _letter(companion)["recipient"] == "Ben"
    assert "fixed my gate" not in _letter(companion)["body"]  # about Ben, not to him
    for line in ("Ben. The gate has never swung so well.", "Here's fifteen dollars for it."):
        reply = companion.respond(line)
        assert reply.intent == "write_letter" and reply.to_dict()["nlu_intent"]
    changed = companion.respond("Make it thirty. It was a big job.")
    assert changed.intent == "write_letter" and changed.outcome is Outcome.ACTED
    companion.respond("Sign it Harold.")
    body = _letter(companion)["body"]
    assert "thirty dollars" in body and "fifteen" not in body and "big job" not in body
    assert body.endswith("Harold.") and "Sign" not in body
    before = companion.store.rows("letters")
    read = companion.respond("Read it back.")
    assert read.intent == "read_letter" and "thirty dollars" in read.text
    assert companion.store.rows("letters") == before  # reading changes nothing
    companion.respond("Thanks, that'll do.")
    assert companion.store.rows("letters") == before  # not a line of the letter


def test_a_korean_letter_in_jondaetmal_with_a_wording_taken_out(make_companion):
    companion = make_companion(clock=at(8, 9))
    opened = companion.respond("손녀 다은이한테 편지 한 장 쓰고 싶어요. 제가 말할게요")
    assert opened.intent == "write_letter" and opened.outcome is Outcome.ACTED
    said = companion.respond("다은아, 할머니야. 대학 붙은 거 정말 장하다.")
    assert said.intent == "write_letter"
    companion.respond("할머니가 멀리 살아서 자주 못 봐서 아쉽고, 방학에 꼭 오너라.")
    fixed = companion.respond("아 '아쉽고'는 빼 주세요. '자주 못 봐도'로 바꿔 주세요")
    assert fixed.intent == "write_letter" and fixed.outcome is Outcome.ACTED
    companion.respond("용돈으로 십만 원 보낸다.")
    companion.respond("이십만 원으로 해 주세요")
    companion.respond("끝에 '할머니가'라고 써 주세요")
    body = _letter(companion)["body"]
    assert "자주 못 봐도, 방학에" in body and "아쉽고" not in body and "못 봐서" not in body
    assert "이십만 원 보낸다" in body and body.endswith("할머니가.")
    read = companion.respond("처음부터 한번 읽어 주세요")
    assert read.intent == "read_letter" and "이십만 원" in read.text
    assert _letter(companion)["status"] == "draft"  # read, not finished
    done = companion.respond("다 됐어요")
    assert done.intent == "write_letter" and _letter(companion)["status"] == "saved"


def test_the_first_lines_said_with_the_request_are_the_letters(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("이모한테 편지 좀 써 줘. 이모, 김치 잘 받았어. 진짜 맛있더라.")
    assert _letter(companion)["body"].startswith("이모, 김치 잘 받았어.")
    read = companion.respond("읽어 줘")
    assert "진짜 맛있더라" in read.text and read.intent == "read_letter"


def test_a_moved_reminder_is_reported_as_set_reminder(make_companion):
    companion = make_companion(clock=at(8, 9))
    companion.respond("remind me to water the ferns at 5pm")
    moved = companion.respond("Move the ferns reminder to 6:15. I'll be out till then.")
    assert moved.intent == "set_reminder" and moved.outcome is Outcome.ACTED
    (reminder,) = [b for _, b in companion.store.rows("reminders")]
    assert "18:15" in reminder["due_at"]


def test_a_korean_letter_asked_for_with_words_between_is_opened(make_companion, tmp_path):
    asks = (
        "손녀한테 보낼 편지 좀 같이 써 줄래?",
        "아들한테 생일 편지를 하나 쓰고 싶은데 도와줄 수 있어요?",
    )
    for n, ask in enumerate(asks):
        opened = make_companion(tmp_path / str(n), clock=at(8, 9)).respond(ask)
        assert opened.intent == "write_letter" and opened.outcome is Outcome.ACTED, opened.text
    told = make_companion(tmp_path / "told", clock=at(8, 9)).respond(
        "엄마가 내 편지 보고 한참 울었어"
    )
    assert told.intent != "write_letter"  # a letter told of, not asked for
