"""`earpiece nlu`: texts, JSONL files and stdin in; one JSON object per input out."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from earpiece.cli import app
from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration
FIELDS = {"text", "lang", "intent", "confidence", "emotion", "emotion_confidence", "slots", "act"}


def run(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [*earpiece_cmd(), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_texts_as_arguments_give_one_json_object_each(cli_env: dict[str, str]):
    proc = run(["nlu", "지금 몇 시야", "remind me to call mom in 20 minutes", "--json"], cli_env)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(rows) == 2 and all(set(r) == FIELDS for r in rows)
    assert (rows[0]["lang"], rows[0]["intent"]) == ("ko", "ask_time")
    assert rows[1]["lang"] == "en" and rows[1]["intent"] == "set_reminder"
    assert "when" in rows[1]["slots"]


def test_jsonl_file_with_plain_lines_objects_and_a_broken_line(tmp_path: Path, cli_env):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"text": "소리 좀 줄여 줘"}\nwhat day is it\n\n{"txt": "oops"}\n{"text": "고마워"}\n',
        encoding="utf-8",
    )
    proc = run(["nlu", "--jsonl", str(source), "--json"], cli_env)
    assert proc.returncode == 2, proc.stderr  # all answered; the broken line is in the status
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r.get("intent") for r in rows] == ["volume_down", "ask_date", None, "thanks"]
    assert "line 4" in rows[2]["error"]


def test_jsonl_from_stdin(cli_env: dict[str, str]):
    proc = run(["nlu", "--jsonl", "-", "--json"], cli_env, stdin="tell me a joke\n그만\n")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["tell me a joke", "그만"]


def test_missing_jsonl_file_is_a_clear_error(tmp_path: Path, cli_env: dict[str, str]):
    proc = run(["nlu", "--jsonl", str(tmp_path / "none.jsonl")], cli_env)
    assert proc.returncode == 2 and "cannot read" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_plain_output_is_one_line_per_text(cli_env: dict[str, str]):
    proc = run(["nlu", "잘 자"], cli_env)
    assert proc.returncode == 0 and proc.stdout.startswith("goodbye (")


def test_prompt_reads_until_end_of_input(cli_env: dict[str, str]):
    proc = run(["nlu"], cli_env, stdin="안녕\nthank you\n")
    lines = proc.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["greet", "thanks"]


def test_the_model_loads_once_per_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from earpiece.nlu import model as model_module

    loads = []
    original = model_module.NluModel.__init__

    def counting(self, *args, **kwargs):
        loads.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(model_module.NluModel, "__init__", counting)
    source = tmp_path / "many.jsonl"
    source.write_text("안녕\n" * 50, encoding="utf-8")
    result = CliRunner().invoke(app, ["nlu", "--jsonl", str(source), "--json"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 50 and len(loads) == 1


def test_broken_model_path_in_config_is_a_clear_error(tmp_path: Path, cli_env):
    conf = tmp_path / "c.toml"
    conf.write_text(f'[nlu]\nmodel = "{tmp_path / "gone.onnx"}"\n', encoding="utf-8")
    proc = run(["nlu", "hi", "--config", str(conf)], cli_env)
    assert proc.returncode == 2
    assert "missing" in proc.stderr and "earpiece train" in proc.stderr
