"""`earpiece chat`, `export` and `forget` as a person runs them: separate processes, one state."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration


def run(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [*earpiece_cmd(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def once(text: str, env: dict[str, str]) -> dict:
    proc = run(["chat", "--once", text, "--json"], env)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    return next(r for r in rows if "reply" in r)


def test_once_json_has_the_contract_fields(cli_env: dict[str, str]):
    reply = once("안녕 사만다", cli_env)
    assert {"reply", "intent", "emotion", "slots", "lang"} <= set(reply)
    assert reply["lang"] == "ko" and reply["intent"] == "greet" and reply["reply"]


@pytest.mark.slow  # one cli process per turn: ~8 s
def test_korean_conversation_across_processes(cli_env: dict[str, str]):
    once("우리 언니 이름은 지수야 기억해 줘", cli_env)
    assert "지수" in once("우리 언니 이름 뭐였지", cli_env)["reply"]
    once("엄마한테 편지 쓰고 싶어", cli_env)
    once("항상 고마워요", cli_env)
    once("끝", cli_env)
    assert "항상 고마워요" in once("엄마한테 쓴 편지 읽어줘", cli_env)["reply"]


def test_english_conversation_across_processes(cli_env: dict[str, str]):
    once("my name is Theodore", cli_env)
    assert "Theodore" in once("what's my name?", cli_env)["reply"]


@pytest.mark.slow  # chat, export and forget processes: ~5 s
def test_export_holds_everything_and_forget_erases_it(tmp_path: Path, cli_env):
    once("remember that I love jazz", cli_env)
    once("remind me to call mom tomorrow at 9 am", cli_env)
    out = tmp_path / "me.json"
    assert run(["export", "--out", str(out)], cli_env).returncode == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert any("jazz" in f["text"] for f in doc["facts"])
    assert any("call mom" in r["what"] for r in doc["reminders"])
    assert len(doc["turns"]) == 2 and doc["events"] > 0
    assert (out.stat().st_mode & 0o777) == 0o600

    refused = run(["forget"], cli_env, stdin="")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    erased = run(["forget", "--yes"], cli_env)
    assert erased.returncode == 0 and "0 events" in erased.stdout
    run(["export", "--out", str(out)], cli_env)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["events"] == 0 and not doc["facts"] and not doc["turns"]
    state = Path(cli_env["EARPIECE_STATE_DIR"])
    assert b"jazz" not in b"".join(p.read_bytes() for p in state.glob("earpiece.sqlite3*"))


def test_prompt_mode_prints_replies_and_skips_blank_lines(cli_env: dict[str, str]):
    proc = run(["chat", "--json"], cli_env, stdin="hello\n\n   \nwhat time is it\n")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["intent"] for r in rows] == ["greet", "ask_time"]


def test_empty_once_is_a_clear_error(cli_env: dict[str, str]):
    proc = run(["chat", "--once", "  "], cli_env)
    assert proc.returncode == 2 and "empty" in proc.stderr and "Traceback" not in proc.stderr


def test_corrupt_database_is_reported_kept_and_replaced(cli_env: dict[str, str]):
    state = Path(cli_env["EARPIECE_STATE_DIR"])
    state.mkdir(mode=0o700, parents=True)
    (state / "earpiece.sqlite3").write_bytes(b"garbage" * 500)
    proc = run(["chat", "--once", "hello", "--json"], cli_env)
    assert proc.returncode == 0
    assert "corrupt" in proc.stderr and "kept as" in proc.stderr
    assert list(state.glob("earpiece.sqlite3.corrupt-*"))
    assert run(["chat", "--once", "hello"], cli_env).stderr == ""  # no crash loop


def test_unusable_state_dir_is_a_clear_error(tmp_path: Path, cli_env: dict[str, str]):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = run(["chat", "--once", "hi", "--state-dir", str(blocker / "state")], cli_env)
    assert proc.returncode == 2 and "cannot create the state directory" in proc.stderr


def test_run_without_audio_devices_says_so_and_offers_text_mode(cli_env: dict[str, str]):
    proc = run(["run"], cli_env, stdin="안녕\n")
    assert proc.returncode == 0, proc.stderr
    if "text mode" not in proc.stderr:
        pytest.skip("this machine has audio devices")
    assert "no microphone" in proc.stderr or "no earpiece" in proc.stderr
    assert proc.stdout.strip()  # and it answered


@pytest.mark.slow  # the full doctor loads every model: ~4 s
def test_doctor_reports_every_part(cli_env: dict[str, str]):
    proc = run(["doctor"], cli_env)
    assert proc.returncode == 0, proc.stdout
    for part in ("NLU model", "speech model", "speech output", "state", "sync"):
        assert part in proc.stdout
