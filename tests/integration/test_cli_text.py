"""Text is text, input is bounded: what a person types comes back as typed, bad input is named."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration
MOTTO = "a [/] b [red]x[/red] [bold] c"


def run(args: list, env: dict[str, str], stdin: bytes | None = None, **kwargs):
    """The CLI as a process; stdout and stderr as bytes (so invalid UTF-8 would show)."""
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kwargs}
    return subprocess.run([*earpiece_cmd(), *args], input=stdin, env=env, timeout=300, **pipes)


def stored_turns(env: dict[str, str], tmp_path: Path) -> int:
    doc = tmp_path / "export.json"
    assert run(["export", "--out", str(doc)], env).returncode == 0
    return len(json.loads(doc.read_text(encoding="utf-8"))["turns"])


@pytest.mark.slow  # four cli processes: ~6 s
def test_markup_in_what_was_said_comes_back_literally(cli_env: dict[str, str]):
    said = run(["chat", "--once", f"remember that my motto is {MOTTO}"], cli_env)
    assert said.returncode == 0 and said.stderr == b""
    recalled = run(["chat", "--once", "what is my motto?"], cli_env)
    assert recalled.returncode == 0, recalled.stderr
    assert MOTTO in recalled.stdout.decode("utf-8")
    prompt = run(["chat"], cli_env, stdin=b"what is my motto?\n")
    assert prompt.returncode == 0 and MOTTO in prompt.stdout.decode("utf-8")


def test_nlu_plain_output_keeps_the_language_tag(cli_env: dict[str, str]):
    proc = run(["nlu", "[/]", "hello [red]x[/red] [bold]", "안녕 [/]"], cli_env)
    assert proc.returncode == 0 and proc.stderr == b""
    lines = proc.stdout.decode("utf-8").splitlines()
    assert [line.split("  ")[2] for line in lines] == ["[ko]", "[en]", "[ko]"]


def test_a_persona_name_with_brackets_is_said_as_written(tmp_path: Path, cli_env):
    conf = tmp_path / "name.toml"
    conf.write_text('[companion]\nname_en = "[/]"\nname_ko = "[red]x[/red]"\n', encoding="utf-8")
    en = run(["chat", "--once", "who are you?", "--config", str(conf)], cli_env)
    assert en.returncode == 0 and en.stderr == b"" and "[/]" in en.stdout.decode()
    ko = run(["chat", "--once", "너 누구야", "--config", str(conf)], cli_env)
    assert ko.returncode == 0 and "[red]x[/red]" in ko.stdout.decode("utf-8")


@pytest.mark.slow  # a cli run and the doctor: ~6 s
def test_error_messages_and_doctor_show_paths_literally(tmp_path: Path, cli_env):
    missing = tmp_path / "a [/] [red]gone.toml"  # "[/]" across a folder and a file name
    proc = run(["nlu", "hi", "--config", str(missing)], cli_env)
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"earpiece: error: {missing}: no such config file\n"
    conf = tmp_path / "c [/] [bold]x.toml"
    conf.parent.mkdir()
    conf.write_text("", encoding="utf-8")
    doctor = run(["doctor", "--config", str(conf)], {**cli_env, "COLUMNS": "400"})
    assert b"Traceback" not in doctor.stderr and str(conf) in doctor.stdout.decode("utf-8")


def test_a_failed_print_after_the_turn_is_a_clear_error_and_the_turn_is_kept(cli_env):
    with open("/dev/full", "wb") as full:
        proc = run(["chat", "--once", "remember that my locker code is 4321"], cli_env, stdout=full)
    assert proc.returncode == 2
    assert (
        proc.stderr
        == b"earpiece: error: cannot write to standard output (No space left on device)\n"
    )
    recalled = run(["chat", "--once", "what is my locker code?", "--json"], cli_env)
    assert "4321" in json.loads(recalled.stdout)["reply"]


def test_a_closed_pipe_is_a_clear_error(tmp_path: Path, cli_env: dict[str, str]):
    many = tmp_path / "many.txt"
    many.write_text("hello\n" * 3000, encoding="utf-8")
    for extra in ([], ["--json"]):
        args = [*earpiece_cmd(), "nlu", "--jsonl", str(many), *extra]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env)
        assert proc.stdout is not None and proc.stdout.readline()
        proc.stdout.close()  # the reader goes away, as `| head -1` does
        assert proc.wait(timeout=300) == 2
        assert proc.stderr is not None
        assert (
            proc.stderr.read()
            == b"earpiece: error: cannot write to standard output (Broken pipe)\n"
        )


BAD_BATCH = (
    b'{"text": "hello"}\n'  # 1 fine
    b"caf\xe9 au lait\n"  # 2 Latin-1, not UTF-8
    b'{"text": "\\udcff lone"}\n'  # 3 a lone surrogate, escaped in JSON
    b'{"text": "\\ud800"}\n'  # 4 a lone high surrogate
    b'{"text": ["a"]}\n'  # 5 wrong type
    b'{"text": "unclosed\n'  # 6 invalid JSON
    + (b'{"text": ' + b"[" * 50_000 + b"\n")  # 7 nested too deep
    + (b"x" * (65 * 1024) + b"\n")  # 8 longer than the limit
    + b"\xff\xfe\n"  # 9 not UTF-8 at all
    b"thank you\n"  # 10 fine: the batch went on
)


def test_jsonl_bad_lines_are_error_objects_and_the_batch_goes_on(tmp_path: Path, cli_env):
    source = tmp_path / "bad.jsonl"
    source.write_bytes(BAD_BATCH)
    proc = run(["nlu", "--jsonl", str(source), "--json"], cli_env)
    assert proc.returncode == 2 and proc.stderr == b""  # every line answered; some refused
    rows = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]
    assert [r.get("line") for r in rows] == [None, 2, 3, 4, 5, 6, 7, 8, 9, None]
    assert [rows[0]["intent"], rows[-1]["intent"]] == ["greet", "thanks"]
    for row in rows[1:-1]:
        assert row["error"].startswith(f"line {row['line']}: ")
    assert "byte 0xe9" in rows[1]["error"] and "U+DCFF" in rows[2]["error"]
    assert "U+D800" in rows[3]["error"] and "not a string" in rows[4]["error"]
    assert "nested too deeply" in rows[6]["error"] and "64 KiB" in rows[7]["error"]
    from_stdin = run(["nlu", "--jsonl", "-", "--json"], cli_env, stdin=BAD_BATCH)
    assert from_stdin.stdout == proc.stdout


def test_jsonl_plain_output_reports_bad_lines_on_stderr(tmp_path: Path, cli_env):
    source = tmp_path / "bad.jsonl"
    source.write_bytes(b"hello\n\xff\nthank you\n")
    proc = run(["nlu", "--jsonl", str(source)], cli_env)
    assert proc.returncode == 2
    assert [line.split()[0] for line in proc.stdout.decode().splitlines()] == ["greet", "thanks"]
    assert (
        proc.stderr.decode() == "earpiece: error: line 2: not valid UTF-8 (byte 0xff at offset 0)\n"
    )


def test_undecodable_arguments_are_named_and_nothing_is_stored(tmp_path: Path, cli_env):
    nlu = run(["nlu", "--json", b"caf\xe9", "hello"], cli_env)
    assert nlu.returncode == 2  # as chat's: the text was refused (the good one answered)
    rows = [json.loads(line) for line in nlu.stdout.decode("utf-8").splitlines()]
    assert rows[0] == {"line": 1, "error": "text 1: not valid UTF-8 (byte 0xe9 at character 3)"}
    assert rows[1]["intent"] == "greet"
    chat = run(["chat", "--once", b"remember that my code is \xff\xfe"], cli_env)
    assert chat.returncode == 2 and b"not valid UTF-8" in chat.stderr
    assert b"nothing was stored" in chat.stderr and stored_turns(cli_env, tmp_path) == 0


@pytest.fixture
def spoken(say) -> Path:
    return say("지금 몇 시야")


def test_turn_out_refuses_odd_targets_before_the_turn(tmp_path: Path, cli_env, spoken: Path):
    real = tmp_path / "real.wav"
    link = tmp_path / "link.wav"
    link.symlink_to(real)
    said = {}
    odd = [
        (tmp_path, "is a directory"),
        ("/dev/full", "is a device"),
        (link, "is a symbolic link"),
        (tmp_path / "no" / "x.wav", "no such folder"),
    ]
    for target, why in odd:
        proc = run(["turn", "--wav", str(spoken), "--out", str(target)], cli_env)
        said[target] = proc.stderr.decode()
        assert proc.returncode == 2 and why in said[target], said[target]
        assert said[target].startswith("earpiece: error: --out ")
    assert "--follow-symlinks" in said[link]
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode) and link.is_symlink() and not real.exists()
    assert stored_turns(cli_env, tmp_path) == 0  # nothing ran


@pytest.mark.slow  # voice turns in subprocesses: ~17 s
def test_turn_out_writes_the_reply_in_one_step(tmp_path: Path, cli_env, spoken: Path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**cli_env, "TMPDIR": str(scratch)}
    reply = tmp_path / "reply.wav"
    reply.write_bytes(b"an older reply")
    proc = run(["turn", "--wav", str(spoken), "--out", str(reply), "--json"], env)
    assert proc.returncode == 0, proc.stderr
    assert reply.read_bytes()[:4] == b"RIFF" and (reply.stat().st_mode & 0o777) == 0o600
    real = tmp_path / "real.wav"
    link = tmp_path / "link.wav"
    link.symlink_to(real)
    allowed = run(["turn", "--wav", str(spoken), "--out", str(link), "--follow-symlinks"], env)
    assert allowed.returncode == 0, allowed.stderr
    assert link.is_symlink() and real.read_bytes()[:4] == b"RIFF"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".wav") == [
        "link.wav",
        "real.wav",
        "reply.wav",
    ]
    assert not [p for p in scratch.iterdir() if p.name.startswith("earpiece-reply-")]


@pytest.mark.slow  # chat processes over pipes: ~5 s
def test_piped_prompts_read_bounded_lines(cli_env: dict[str, str]):
    piped = b"hello\n" + b"x" * (70 * 1024) + b"\n\xff\nthank you\n"
    nlu = run(["nlu"], cli_env, stdin=piped)
    assert nlu.returncode == 2  # the good lines answered; the status says two were not
    assert [line.split()[0] for line in nlu.stdout.decode().splitlines()] == ["greet", "thanks"]
    assert nlu.stderr.decode().splitlines() == [
        "earpiece: error: line 2: longer than 64 KiB",
        "earpiece: error: line 3: not valid UTF-8 (byte 0xff at character 0); skipped",
    ]
    chat = run(["chat", "--json"], cli_env, stdin=piped)
    assert chat.returncode == 2  # as chat --once with such a text
    assert [json.loads(r)["intent"] for r in chat.stdout.splitlines()] == ["greet", "thanks"]
    endless = run(["chat"], cli_env, stdin=b"\0" * (17 * 2**20))  # like `< /dev/zero`
    assert endless.returncode == 2 and b"stopped reading" in endless.stderr


def test_an_empty_path_option_is_an_error_not_the_current_folder(tmp_path: Path, cli_env):
    for option in ("--state-dir", "--config"):
        proc = run(["chat", "--once", "hi", option, ""], cli_env, cwd=tmp_path)
        assert proc.returncode == 2
        assert (
            proc.stderr.decode()
            == f"earpiece: error: {option} is empty: give a path, or leave the option out\n"
        )
    assert list(tmp_path.iterdir()) == []  # no database made in the current folder
