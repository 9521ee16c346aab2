"""Exit statuses a script can trust, and no path made up for a mistyped one (issue 24)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from earpiece.sync.localbroker import LocalBroker, free_port
from tests.conftest import earpiece_cmd

pytestmark = pytest.mark.integration


def run(args: list, env: dict[str, str], stdin: bytes | None = None):
    return subprocess.run(
        [*earpiece_cmd(), *args], input=stdin, env=env, timeout=120, capture_output=True
    )


def test_export_to_a_folder_that_does_not_exist_is_refused_and_nothing_is_made(
    tmp_path: Path, cli_env
):
    assert run(["chat", "--once", "remember that my sister loves jazz"], cli_env).returncode == 0
    out = tmp_path / "typo" / "deeper" / "export.json"
    done = run(["export", "--out", str(out)], cli_env)
    assert done.returncode == 2, done.stderr
    assert b"does not exist" in done.stderr and str(out.parent).encode() in done.stderr
    assert not (tmp_path / "typo").exists()


def test_nlu_from_a_pipe_exits_2_when_a_line_is_refused_and_answers_the_rest(cli_env):
    done = run(["nlu"], cli_env, stdin=b"hello\n\xff\xfe\nthank you\n")
    assert done.returncode == 2
    assert [line.split()[0] for line in done.stdout.decode().splitlines()] == ["greet", "thanks"]
    assert b"not valid UTF-8" in done.stderr
    fine = run(["nlu"], cli_env, stdin=b"hello\n")
    assert fine.returncode == 0


def test_sync_status_exits_1_when_the_home_cannot_be_reached(tmp_path: Path, cli_env):
    made = LocalBroker(tmp_path / "broker")  # credentials only: no broker runs
    made.add_device("ann", "pocket")
    settings = made.device_settings("ann", "pocket").model_copy(
        update={"broker": f"mqtts://127.0.0.1:{free_port()}"}
    )
    config = tmp_path / "device.toml"
    lines = ["[sync]", *(f"{k} = {json.dumps(v)}" for k, v in settings.model_dump().items() if v)]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(["sync", "status", "--json", "--config", str(config)], cli_env)
    shown = json.loads(done.stdout.decode().splitlines()[-1])
    assert shown["connected"] is False and shown["error"]
    assert done.returncode == 1, done.stderr
