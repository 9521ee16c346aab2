"""The companion's behaviour over real SQLite and the real NLU model, in Korean and English."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from earpiece.companion.outcome import Outcome
from earpiece.companion.policy import Companion, EmptyUtterance
from earpiece.store import export
from tests.conftest import SEOUL, FakeClock

pytestmark = pytest.mark.integration


def says(text: str, key: str, lang: str = "en", level: str = "banmal") -> bool:
    """Whether `text` contains one wording of the reply `key` (placeholders match anything)."""
    import re

    from earpiece.companion.replies import variants

    for variant in variants(lang, key, level):
        pattern = ".+?".join(re.escape(part) for part in re.split(r"\{\w+\}", variant))
        if re.search(pattern, text, re.S):
            return True
    return False


def raw_bytes(state: Path) -> bytes:
    """Everything SQLite has on disk for this state dir: main file, WAL and shared memory."""
    return b"".join(p.read_bytes() for p in sorted(state.glob("earpiece.sqlite3*")))


@pytest.mark.slow  # a restart reloads the encoder: ~4 s
def test_a_fact_told_is_recalled_after_a_restart(make_companion, tmp_path: Path):
    state = tmp_path / "state"
    first = make_companion(state)
    assert first.respond("remember that my sister's name is Jisoo").intent == "remember_fact"
    first.store.close()
    second = make_companion(state)
    reply = second.respond("what's my sister's name?")
    assert reply.intent == "recall_fact"
    assert "Jisoo" in reply.text


def test_korean_fact_is_recalled_by_topic(make_companion):
    companion = make_companion()
    companion.respond("내 생일은 삼월 오일이야 기억해 줘")
    reply = companion.respond("내 생일 언제라고 했지")
    assert reply.intent == "recall_fact" and "삼월 오일" in reply.text


def test_reminder_in_two_minutes_fires_when_the_clock_gets_there(make_companion):
    clock = FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))
    companion = make_companion(clock=clock)
    reply = companion.respond("remind me to take the pills in 2 minutes")
    assert reply.intent == "set_reminder" and reply.slots["when"].startswith("2026-11-27T14:12")
    clock.advance(minutes=1)
    assert companion.due_reminders() == []
    clock.advance(minutes=1, seconds=5)
    fired = companion.due_reminders()
    assert len(fired) == 1 and "pills" in fired[0]
    assert companion.due_reminders() == []  # told once
    assert says(companion.respond("what are my reminders").text, "reminders_none")


def test_reminders_missed_while_off_are_told_at_the_next_start(make_companion, tmp_path):
    clock = FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))
    make_companion(tmp_path / "s", clock).respond("삼십 분 뒤에 빨래 꺼내라고 알려줘")
    clock.advance(hours=3)
    restarted = make_companion(tmp_path / "s", clock)
    missed = restarted.missed_reminders()
    assert len(missed) == 1 and "빨래" in missed[0]
    assert restarted.missed_reminders() == []


def test_cancel_a_named_reminder_and_confirm_cancel_all(make_companion):
    companion = make_companion()
    companion.respond("remind me to call mom at 5 pm")
    companion.respond("remind me to water the plants tomorrow at 9 am")
    companion.respond("remind me to pay rent on friday at 10 am")
    reply = companion.respond("cancel the plants reminder")
    assert reply.intent == "cancel_reminder" and "plants" in reply.text
    assert says(companion.respond("cancel my reminders").text, "reminder_cancel_which")
    companion.respond("yes")
    assert says(companion.respond("what are my reminders").text, "reminders_none")


def test_a_letter_is_dictated_saved_and_read_back_after_restart(make_companion, tmp_path):
    state = tmp_path / "s"
    companion = make_companion(state)
    assert companion.respond("엄마한테 편지 쓰고 싶어").intent == "write_letter"
    companion.respond("엄마 늘 고마워요")
    companion.respond("이번 주말에 집에 갈게요")
    done = companion.respond("끝")
    assert "늘 고마워요" in done.text and "이번 주말에 집에 갈게요" in done.text
    reread = make_companion(state).respond("엄마한테 쓴 편지 읽어줘")
    assert reread.intent == "read_letter"
    assert "늘 고마워요" in reread.text and "집에 갈게요" in reread.text


def test_a_letter_asks_for_its_recipient_when_none_was_named(make_companion):
    companion = make_companion()
    assert says(companion.respond("I want to write a letter").text, "letter_who")
    assert "Catherine" in companion.respond("to Catherine").text
    companion.respond("I'm sorry I left")
    assert "I'm sorry I left" in companion.respond("done").text


def test_forget_removes_the_fact_from_the_database_file_and_the_export(make_companion, tmp_path):
    state = tmp_path / "s"
    companion = make_companion(state)
    companion.respond("remember that my locker code is zebra seventeen")
    assert "zebra seventeen" in companion.respond("what is my locker code").text
    assert b"zebra seventeen" in raw_bytes(state)
    reply = companion.respond("forget my locker code")
    assert reply.intent == "forget_fact" and reply.outcome is Outcome.CONFIRMING  # always asks
    assert companion.store.count("facts") == 1
    assert companion.respond("yes").outcome is Outcome.ACTED
    assert "zebra" not in companion.respond("what is my locker code").text
    assert "zebra" not in json.dumps(export.document(companion.store))
    assert b"zebra" not in raw_bytes(state)


def test_forget_asks_before_removing_several_things(make_companion):
    companion = make_companion()
    companion.respond("remember that I love jazz")
    companion.respond("remember that I love hiking")
    ask = companion.respond("forget what I said about love")
    assert says(ask.text, "forget_confirm")
    companion.respond("no")
    assert companion.store.count("facts") == 2
    companion.respond("forget what I said about love")
    companion.respond("yes")
    assert companion.store.count("facts") == 0


def test_a_feeling_is_met_asked_about_and_an_answer_that_tells_a_fact_kept(make_companion):
    """A passing remark in answer to 'how was it?' is heard, not kept (issue 20); an answer that
    tells a fact in a usual shape is."""
    companion = make_companion()
    reply = companion.respond("오늘 너무 지쳤어")
    assert reply.intent == "share_feeling" and reply.emotion == "tiredness"
    assert reply.text.endswith("?")
    companion.respond("회의가 하루 종일 이어졌거든")
    assert companion.store.count("facts") == 0
    companion.respond("오늘 너무 지쳤어")
    companion.respond("내일 엄마랑 병원 가기로 했어")
    kept = [row["text"] for _, row in companion.store.rows("facts")]
    assert kept == ["내일 엄마랑 병원 가기로 했어"]


def test_a_hard_day_is_followed_up_at_the_first_talk_of_the_next_day(make_companion):
    clock = FakeClock(datetime(2026, 11, 27, 21, 0, tzinfo=SEOUL))
    companion = make_companion(clock=clock)
    companion.respond("I'm so exhausted, completely drained")
    clock.advance(hours=12)
    morning = companion.respond("what time is it")
    assert morning.intent == "ask_time" and says(morning.text, "followup_tiredness")
    later = companion.respond("what time is it")
    assert not says(later.text, "followup_tiredness")


def test_replies_vary_and_repeat_says_the_last_one_again(make_companion):
    companion = make_companion()
    first = companion.respond("tell me a joke").text
    second = companion.respond("tell me a joke").text
    assert first != second
    assert companion.respond("say that again").text == second


def test_it_is_honest_about_being_a_machine_and_about_what_it_cannot_do(make_companion):
    companion = make_companion()
    who = companion.respond("are you a real person?")
    assert who.intent == "ask_companion" and "Samantha" in who.text
    assert says(who.text, "companion_who")
    assert says(companion.respond("order me a pizza").text, "unknown")


def test_volume_steps_are_remembered(make_companion, tmp_path):
    state = tmp_path / "s"
    make_companion(state).respond("louder please")
    assert make_companion(state).store.get("settings", "volume")["value"] == 80


def test_the_reply_is_given_only_after_the_turn_is_committed(make_companion, tmp_path):
    state = tmp_path / "s"
    reply = make_companion(state).respond("hello")
    with sqlite3.connect(state / "earpiece.sqlite3") as other:
        rows = other.execute("SELECT body FROM turns WHERE key = ?", (reply.turn,)).fetchall()
    assert json.loads(rows[0][0])["reply"] == reply.text


def test_every_change_is_an_event_and_the_tables_follow_the_log(make_companion):
    companion = make_companion()
    companion.respond("remember that I love jazz")
    events = companion.store.events()
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert {e.type for e in events} >= {"facts.put", "turns.put", "mood.put", "dialog.put"}
    assert all(e.device_id == companion.store.device_id for e in events)


@pytest.mark.parametrize(
    "text",
    ["x" * 100_000, "\x00\x1b[31m hello \x07", "'); DROP TABLE facts; --", "🙂" * 50],
)
def test_bad_input_is_answered_and_stored_safely(make_companion, text: str):
    companion = make_companion()
    reply = companion.respond(text)
    assert reply.text
    assert companion.store.integrity() == "ok"
    assert companion.store.count("turns") == 1
    stored = companion.store.rows("turns")[0][1]["text"]
    assert len(stored) <= 4000 and "\x00" not in stored


def test_empty_input_takes_no_turn(make_companion):
    companion = make_companion()
    for text in ("", "   ", "\x00\x01"):
        with pytest.raises(EmptyUtterance):
            companion.respond(text)
    assert companion.store.count("turns") == 0


def test_polite_speech_level_from_config(make_companion, tmp_path: Path):
    conf = tmp_path / "polite.toml"
    conf.write_text('[companion]\nspeech_level = "jondaetmal"\nname_ko = "하나"\n', "utf-8")
    companion: Companion = make_companion(config=conf)
    who = companion.respond("너는 누구야")
    assert "하나" in who.text
    assert says(who.text, "companion_who", "ko", "jondaetmal")
    assert not says(who.text, "companion_who", "ko", "banmal")
