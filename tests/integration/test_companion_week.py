"""Issue 20 through the Companion: told facts kept, forgotten by name, recalled by relation,
feelings the right way round, follow-up by hours lived, the person's language and register."""

from __future__ import annotations

from datetime import datetime

from earpiece.companion.outcome import Outcome
from tests.conftest import SEOUL, FakeClock
from tests.integration.test_companion import says


def at(day: int, hour: int, minute: int = 0) -> FakeClock:
    return FakeClock(datetime(2026, 12, day, hour, minute, tzinfo=SEOUL))


def acknowledged(text: str, lang: str, level: str = "") -> bool:
    """A light acknowledgement that it was kept (at `level`, or either)."""
    levels = [level] if level else ["banmal", "jondaetmal"]
    return any(says(text, k, lang, v) for k in ("fact_told", "fact_saved") for v in levels)


def texts(companion) -> list[str]:
    return [row["text"] for _, row in companion.store.rows("facts")]


def everything(companion) -> str:
    rows = [*companion.store.rows("facts"), *companion.store.rows("turns")]
    return " ".join(str(body) for _, body in rows)


def test_telling_is_enough_and_a_question_or_remark_is_not_kept(make_companion):
    companion = make_companion()
    told_lines = (
        "우리 고양이 이름은 나비야",
        "fyi I'm allergic to latex",
        "my roommate is Dae-hyun",
        "my mom is at Severance hospital",
        "저는 혈압약을 아침마다 먹습니다",
    )
    for told in told_lines:
        reply = companion.respond(told)
        assert reply.outcome is Outcome.ACTED, told
        assert acknowledged(reply.text, reply.lang), reply.text
    kept = len(texts(companion))
    for passing in ("do you think I should call my roommate?", "오늘 날씨 좀 춥네",
                    "great, another flat tire", "my 누나 called this morning"):  # fmt: skip
        companion.respond(passing)
    assert len(texts(companion)) == kept == 5


def test_remember_is_understood_every_time(make_companion):
    companion = make_companion()
    for n in range(1, 11):
        reply = companion.respond(f"remember that box {n} holds item {n}")
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, n
    assert len(texts(companion)) == 10


def test_dont_keep_that_forgets_the_last_thing_kept_after_a_yes(make_companion):
    companion = make_companion()
    companion.respond("우리 고양이 이름은 나비야")
    companion.respond("나 다음 주 토요일에 부산 가")
    asked = companion.respond("그건 기억하지 마")
    assert asked.outcome is Outcome.CONFIRMING and "부산" in asked.text and "나비" not in asked.text
    companion.respond("응")
    assert texts(companion) == ["우리 고양이 이름은 나비야"]
    assert "부산" not in everything(companion)


def test_forget_the_named_thing_only_never_the_persons_name(make_companion):
    companion = make_companion()
    companion.respond("my name is Leo")
    companion.respond("my roommate is Dae-hyun")
    companion.respond("my grandma's birthday is June 2")
    asked = companion.respond("forget my roommate's name")
    assert asked.outcome is Outcome.CONFIRMING
    assert "Dae-hyun" in asked.text and "Leo" not in asked.text and "June" not in asked.text
    done = companion.respond("yes")
    assert done.outcome is Outcome.ACTED
    assert "dae-hyun" not in everything(companion).lower()
    assert any("Leo" in t for t in texts(companion)) and any(
        "June 2" in t for t in texts(companion)
    )
    unknown = companion.respond("what's my roommate's name")
    assert "Dae-hyun" not in unknown.text and "Leo" not in unknown.text
    nothing = companion.respond("forget my sister's phone number")
    assert says(nothing.text, "forget_none") and nothing.outcome is Outcome.ANSWERED


def test_forget_in_korean_by_relation(make_companion):
    companion = make_companion()
    companion.respond("내 이름은 지수야")
    companion.respond("우리 고양이 이름은 나비야")
    companion.respond("전남친 이름은 민호였어")
    asked = companion.respond("전남친 이름은 잊어줘")
    assert "민호" in asked.text and "지수" not in asked.text and "나비" not in asked.text
    companion.respond("응")
    assert "민호" not in everything(companion)
    assert len(texts(companion)) == 2


def test_recall_by_relation_and_meaning_across_languages(make_companion):
    companion = make_companion()
    companion.respond("내 여동생 생일은 3월 14일이야")
    companion.respond("제 아들 이름은 정우입니다")
    companion.respond("집사람 이름은 순자였어요")
    companion.respond("I work at St. Mary's hospital")
    companion.respond("my mom is at Severance hospital")
    assert "3월 14일" in companion.respond("내 동생 생일이 언제더라?").text
    child = companion.respond("제 자식 이름이 뭐였지요?").text
    assert "정우" in child and "순자" not in child
    hospital = companion.respond("which hospital is my mom at").text
    assert "Severance" in hospital and "Mary" not in hospital
    honest = companion.respond("what's my dad's name")
    assert says(honest.text, "recall_unknown")


def test_feelings_the_right_way_round(make_companion):
    companion = make_companion()
    good = companion.respond("MOM GOT MOVED OUT OF THE ICU!!!")
    assert good.emotion == "joy" and "sorry" not in good.text.lower()
    bad = companion.respond("great, another flat tire")
    assert bad.emotion in ("anger", "sadness") and "wonderful" not in bad.text.lower()
    assert companion.store.count("facts") == 0


def test_a_letters_words_are_not_the_persons_mood(make_companion):
    companion = make_companion()
    companion.respond("할머니한테 편지 쓰고 싶어")
    line = companion.respond("할머니가 돌아가셔서 너무 슬퍼요")
    assert line.emotion == "neutral"
    moods = [row for _, row in companion.store.rows("mood") if row["turn"] == line.turn]
    assert moods == []


def test_follow_up_after_a_low_by_hours_not_by_date(make_companion):
    clock = at(2, 1, 0)
    companion = make_companion(clock=clock)
    low = companion.respond("I feel so low and alone tonight")
    assert low.emotion in ("loneliness", "sadness")
    clock.advance(minutes=30)
    soon = companion.respond("hey")
    assert not says(soon.text, "followup_loneliness") and not says(soon.text, "followup_sadness")
    clock.advance(hours=8)  # 09:30, the same date
    morning = companion.respond("asdf qwer zxcv")
    assert "last night" in morning.text and morning.followup and not soon.followup
    assert morning.to_dict()["followup"] is True
    assert not says(morning.text, "unknown")  # never glued to 'I didn't understand'


def test_a_letter_dictated_in_the_request_is_written_and_is_not_the_mood(make_companion):
    companion = make_companion()
    started = companion.respond("write a letter to my son: I'm so sad you moved away, I miss you")
    assert started.emotion == "neutral" and "sorry" not in started.text.lower()
    assert [r for _, r in companion.store.rows("mood") if r["turn"] == started.turn] == []
    companion.respond("come home soon")
    companion.respond("done")
    (letter,) = [body for _, body in companion.store.rows("letters")]
    assert letter["body"] == "I'm so sad you moved away, I miss you. come home soon."


def test_a_new_low_is_met_not_asked_after_and_hello_is_not_an_answer(make_companion):
    clock = at(1, 14, 0)
    companion = make_companion(clock=clock)
    companion.respond("ugh, brutal shift, I'm wiped")
    clock.advance(hours=9)  # 23:00: a new low, said outright
    again = companion.respond("I just feel so sad and lonely tonight")
    assert not again.followup and again.emotion in ("sadness", "loneliness", "tiredness")
    clock.advance(hours=8)  # the next morning
    morning = companion.respond("morning")
    assert morning.followup
    thanks = companion.respond("thanks")
    assert not says(thanks.text, "answer_better")  # 'thanks' is not 'it's a little better'
    clock.advance(hours=6)
    companion.respond("blorp zzk wibble")  # the follow-up, alone, in place of 'I didn't get it'
    hello = companion.respond("hi")
    assert not says(hello.text, "answer_better")


def test_a_polite_thank_you_after_the_follow_up_is_thanks(make_companion):
    clock = at(2, 10, 0)
    companion = make_companion(clock=clock)
    companion.respond("딸이 오늘 전화를 안 받네요. 서운해요")
    clock.advance(hours=7)
    assert companion.respond("또 왔어요").followup
    thanks = companion.respond("고마워요")
    assert not says(thanks.text, "answer_better", "ko", "jondaetmal")


def test_what_did_you_say_after_a_reminder_moved_says_the_move_again(make_companion):
    companion = make_companion()
    companion.respond("remind me to pick up the dry cleaning at 5:30")
    moved = companion.respond("push the dry cleaning one to 6")
    assert "6:00 PM" in moved.text
    assert companion.respond("sorry, what?").text == moved.text
    companion.respond("내일 세 시에 은행 가라고 알려줘")
    moved = companion.respond("아니 네 시로")
    assert "오후 4시" in moved.text and companion.respond("뭐라고?").text == moved.text


def test_an_elder_in_hage_speech_is_answered_politely(make_companion, tmp_path):
    companion = make_companion(tmp_path / "one")
    set_it = companion.respond("약 먹는 거 매일 아침 여덟 시에 알려 주게")
    assert says(set_it.text, "reminder_set_repeat", "ko", "jondaetmal") or says(
        set_it.text, "reminder_set", "ko", "jondaetmal"
    )
    fond = make_companion(tmp_path / "two")
    reply = fond.respond("자네 오늘 참 친절하구먼")
    assert reply.text.rstrip(".?!").endswith("요")


def test_fondness_for_someone_else_is_not_taken_as_for_the_companion(make_companion):
    companion = make_companion()
    reply = companion.respond("우리 손녀가 오늘 온다네")
    assert reply.emotion == "affection"
    assert says(reply.text, "feeling_affection_other", "ko", "jondaetmal")
    assert not says(reply.text, "feeling_affection", "ko", "jondaetmal")


def test_follow_up_after_a_crisis(make_companion):
    clock = at(2, 21, 0)
    companion = make_companion(clock=clock)
    crisis = companion.respond("다 끝내고 싶어요. 죽고 싶어요")
    assert "109" in crisis.text
    clock.advance(hours=11)
    morning = companion.respond("안녕하세요")
    assert says(morning.text, "followup_crisis", "ko", "jondaetmal")


def test_polite_to_someone_who_speaks_politely(make_companion):
    companion = make_companion()
    first = companion.respond("안녕하세요")
    assert says(first.text, "greet_morning", "ko", "jondaetmal") or "요" in first.text
    kept = companion.respond("제 아들 이름은 정우입니다")
    assert acknowledged(kept.text, "ko", "jondaetmal")
    casual = companion.respond("손자 이름이 뭐였더라?")
    assert not says(casual.text, "recall_unknown", "ko", "banmal")


def test_what_did_you_say_repeats_the_last_thing_said(make_companion):
    clock = at(2, 9, 0)
    companion = make_companion(clock=clock)
    companion.respond("my grandma's birthday is June 2")
    said = companion.respond("when is my grandma's birthday").text
    assert companion.respond("what did you say").text == said
    companion.respond("remind me to call the bank at 9:30")
    clock.advance(hours=1)
    announced = companion.missed_reminders()
    assert announced and "bank" in announced[0]
    again = companion.respond("뭐라고?").text  # the reminder again, its date said outright
    assert "call the bank" in again and "12월 2일" in again and "9시 30분" in again, again
    assert says(again, "reminder_said_again", "ko", "banmal")


def test_no_reply_repeated_within_ten_turns(make_companion):
    companion = make_companion()
    lines = ("thanks", "thanks", "thank you", "thanks", "my cat is called Momo",
             "I love gardening", "I like jazz", "my dog is called Rex", "thanks",
             "thank you")  # fmt: skip
    replies = [companion.respond(line).text for line in lines]
    assert len(set(replies)) == len(replies)


def test_a_fact_just_told_is_corrected_not_doubled(make_companion):
    companion = make_companion()
    companion.respond("my cat's name is Miso")
    companion.respond("no wait, her name is Mochi")
    assert texts(companion) == ["my cat's name is Mochi"]
    assert "Mochi" in companion.respond("what's my cat called").text
    companion.respond("우리 강아지 이름은 초코야")
    companion.respond("아니 이름은 모카야")
    assert "우리 강아지 이름은 모카야" in texts(companion)
    assert not any("초코" in t for t in texts(companion))


def test_the_ex_told_of_as_a_boyfriend_is_offered_and_asked_first(make_companion):
    companion = make_companion()
    companion.respond("우리 고양이 이름은 나비야")
    companion.respond("내 남자친구 이름은 준호야")
    asked = companion.respond("전남친 이름 지워줘")
    assert asked.outcome is Outcome.CONFIRMING and "준호" in asked.text and "나비" not in asked.text


def test_a_letter_to_grandma_is_the_letter_to_halmeoni(make_companion):
    companion = make_companion()
    companion.respond("할머니한테 편지 쓰고 싶어")
    companion.respond("할머니 보고 싶어요")
    companion.respond("끝")
    assert "보고 싶어요" in companion.respond("read me the letter to grandma").text


def test_what_happened_today_is_heard_not_kept(make_companion):
    companion = make_companion()
    for line in ("my sister called me earlier", "약 먹었어요", "아까 엄마랑 통화했어",
                 "I took my pills", "had pizza for lunch"):  # fmt: skip
        assert companion.respond(line).outcome is Outcome.ANSWERED, line
    assert companion.store.count("facts") == 0


def test_dont_keep_that_after_a_turn_that_kept_nothing_removes_nothing(make_companion):
    companion = make_companion()
    companion.respond("my cat's name is Mochi")
    companion.respond("do you think I should call my roommate?")
    reply = companion.respond("don't keep that")
    assert "Mochi" not in reply.text and reply.outcome is Outcome.ANSWERED
    assert companion.store.count("facts") == 1


def test_a_name_said_with_more_is_said_back_whole_and_found_by_the_name(make_companion):
    companion = make_companion()
    companion.respond("my son Peter lives in Toronto")
    assert "Toronto" in companion.respond("where does Peter live").text
    companion.respond("내 룸메 이름 서연이야")
    companion.respond("서연이 생일 8월 9일이래")
    assert "8월 9일" in companion.respond("룸메 생일 언제야").text


def test_news_read_as_a_cancel_is_heard_as_news(make_companion):
    companion = make_companion()
    reply = companion.respond("야 나 오늘 알바 잘림")
    assert reply.intent != "cancel_reminder" and not says(reply.text, "unknown", "ko")


def test_told_facts_are_kept_and_recalled_by_other_words_a_day_later(make_companion, tmp_path):
    """benchmarks/data/week_told.jsonl in-process: 30 facts told without 'remember', each asked
    for the next day in other words (동생 for 여동생, granny for grandma, 'where do I work')."""
    import json
    from pathlib import Path

    suite = Path(__file__).parents[2] / "benchmarks" / "data" / "week_told.jsonl"
    clock = at(1, 9)
    people: dict = {}
    kept = recalled = 0
    for raw in suite.read_text(encoding="utf-8").splitlines():
        line = json.loads(raw)
        who = line["person"]
        if who not in people:
            people[who] = make_companion(state=tmp_path / who, clock=clock)
        clock.now = datetime.fromisoformat(line["at"])
        before = people[who].store.count("facts")
        reply = people[who].respond(line["say"])
        if line["expect"]["state"] == "fact_added":
            kept += people[who].store.count("facts") > before
        else:
            recalled += any(
                w.lower() in reply.text.lower() for w in line["expect"]["reply_has_any"]
            )
    assert (kept, recalled) == (30, 30)


def test_a_bad_night_after_a_low_is_asked_after_and_not_again_the_next_day(make_companion):
    clock = at(8, 22, 30)
    companion = make_companion(clock=clock)
    low = companion.respond("I feel so alone tonight, nobody rang all week")
    assert low.emotion in ("loneliness", "sadness")
    clock.advance(hours=8)  # 06:30, after a night
    night = companion.respond("woke up at four and lay there till the alarm, hardly slept")
    assert night.followup and "last night" in night.text
    assert not says(night.text, "unknown")
    clock.advance(hours=13)  # 19:30, an ordinary evening line
    companion.respond("had some toast and watched the quiz")
    clock.advance(hours=12)  # the next morning: that low was asked after already
    rested = companion.respond("good morning")
    assert not rested.followup
