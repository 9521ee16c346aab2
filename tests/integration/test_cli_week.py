"""A week replayed across processes: `earpiece chat --once --json` with EARPIECE_NOW moving on."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import earpiece_cmd

# slow: a simulated week of voice turns
pytestmark = [pytest.mark.integration, pytest.mark.slow]


def say(text: str, now: str, env: dict[str, str]) -> tuple[dict, list[dict]]:
    """The reply to one utterance at `now`, and any announcements made before it."""
    proc = subprocess.run(
        [*earpiece_cmd(), "chat", "--once", text, "--json"],
        capture_output=True,
        text=True,
        env={**env, "EARPIECE_NOW": now},
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    return next(r for r in rows if "reply" in r), [r for r in rows if "announcement" in r]


def test_an_english_week(cli_env: dict[str, str]):
    reply, _ = say("what time is it", "2026-12-01T21:05:00+09:00", cli_env)
    assert "9:05 PM" in reply["reply"] and reply["outcome"] == "answered"
    reply, _ = say("my dads name is Raj", "2026-12-01T21:06:00+09:00", cli_env)
    assert reply["outcome"] == "acted"
    reply, _ = say(
        "remind me to call the bank tomorrow at 10 am", "2026-12-01T21:07:00+09:00", cli_env
    )
    assert reply["outcome"] == "acted"
    say("I'm so sad today, my dog died", "2026-12-01T21:08:00+09:00", cli_env)
    # next morning: the follow-up comes first thing, whatever is said, and says when
    morning, _ = say("what's my father's name", "2026-12-02T07:47:00+09:00", cli_env)
    assert "Raj" in morning["reply"] and "last night" in morning["reply"].lower()  # 21:08
    # two days later: the bank reminder was missed while off, and says when it was due
    reply, announced = say("hello", "2026-12-04T09:00:00+09:00", cli_env)
    assert len(announced) == 1 and "call the bank" in announced[0]["announcement"]
    assert "December 2" in announced[0]["announcement"]
    crisis, _ = say("I don't want to be here anymore", "2026-12-04T09:01:00+09:00", cli_env)
    assert "988" in crisis["reply"] and crisis["outcome"] == "answered"


def test_a_korean_week_with_unsure_nothing_and_a_correction(cli_env: dict[str, str]):
    reply, _ = say("울엄마 생신은 5월 8일이야 기억해 줘", "2026-12-01T19:00:00+09:00", cli_env)
    assert reply["outcome"] == "acted"
    reply, _ = say("내일 7am에 gym 가라고 알려줘", "2026-12-01T19:01:00+09:00", cli_env)
    assert "오전 7시" in reply["reply"]
    reply, _ = say("아니 8시로", "2026-12-01T19:02:00+09:00", cli_env)
    assert reply["outcome"] == "acted" and "오전 8시" in reply["reply"]
    reply, _ = say("엄마 생일 언제였지", "2026-12-03T08:00:00+09:00", cli_env)
    assert "5월 8일" in reply["reply"]
    reply, _ = say("죽고 싶어", "2026-12-03T08:01:00+09:00", cli_env)
    assert "109" in reply["reply"] and "일 공 구" in reply["reply"]


def test_a_bad_earpiece_now_is_a_clear_error(cli_env: dict[str, str]):
    env = {**cli_env, "EARPIECE_NOW": "tuesday"}
    proc = subprocess.run(
        [*earpiece_cmd(), "chat", "--once", "hi"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode != 0 and "EARPIECE_NOW" in proc.stderr and "+09:00" in proc.stderr
