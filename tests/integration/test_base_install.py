"""The device runtime needs only the base dependencies, and finds its models when installed.

A fresh venv gets `pip install <checkout>` (no extras, not editable), then runs a text turn,
the NLU and a WAV turn from outside the checkout: no scipy, no onnx, no training code imported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)


@pytest.fixture(scope="module")
def base_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("base-venv")
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    # A copy of the checkout without .venv or .git, so the build sees only the sources.
    src = tmp_path_factory.mktemp("src") / "earpiece"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "build"),
    )
    pip = [
        str(venv / "bin" / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
    ]
    installed = _run([*pip, str(src)])
    assert installed.returncode == 0, installed.stderr[-3000:]
    shutil.rmtree(src)  # the installed package must not lean on the copy it was built from
    return venv


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EARPIECE_", "PYTHON"))}
    env["EARPIECE_STATE_DIR"] = str(tmp_path / "state")
    return env


def test_training_packages_are_not_installed(base_venv: Path):
    probe = "import importlib.util as u; print([m for m in ('scipy', 'onnx') if u.find_spec(m)])"
    found = _run([str(base_venv / "bin" / "python"), "-c", probe])
    assert found.stdout.strip() == "[]", found.stdout + found.stderr


def test_a_text_turn_and_the_nlu_run_from_the_installed_package(base_venv: Path, tmp_path):
    earpiece = str(base_venv / "bin" / "earpiece")
    env = _env(tmp_path)
    chat = _run(
        [earpiece, "chat", "--once", "remember that my sister's name is Jisoo", "--json"],
        env=env,
        cwd=tmp_path,
    )
    assert chat.returncode == 0, chat.stderr
    assert json.loads(chat.stdout)["intent"] == "remember_fact"
    nlu = _run([earpiece, "nlu", "지금 몇 시야", "--json"], env=env, cwd=tmp_path)
    assert nlu.returncode == 0, nlu.stderr
    assert json.loads(nlu.stdout)["intent"] == "ask_time"


def test_a_wav_turn_runs_from_the_installed_package(base_venv: Path, tmp_path: Path):
    wav = tmp_path / "said.wav"
    spoken = _run(["espeak-ng", "-v", "ko", "-w", str(wav), "지금 몇 시야"])
    assert spoken.returncode == 0, spoken.stderr
    earpiece = str(base_venv / "bin" / "earpiece")
    turn = _run(
        [earpiece, "turn", "--wav", str(wav), "--out", str(tmp_path / "reply.wav"), "--json"],
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert turn.returncode == 0, turn.stderr
    result = json.loads(turn.stdout.splitlines()[-1])
    assert "transcript" in result and "timings_ms" in result
    assert (tmp_path / "reply.wav").stat().st_size > 44 or result.get("reply") is None
