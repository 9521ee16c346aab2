"""Nothing leaves the device without [sync]: `chat`, `turn` and `run` under strace send nothing.

strace (-f: every thread and child) records each connect/sendto/sendmsg; any one to an
address off this machine, or to a DNS port even on loopback, is a leak. The checker is shown
to catch a real DNS look-up, so a quiet trace means quiet, not blind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import earpiece_cmd

# slow: whole runs under a network namespace
pytestmark = [pytest.mark.integration, pytest.mark.slow]

SENDS = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(")
INET = re.compile(r"sa_family=AF_INET6?\b")
LOOPBACK = re.compile(r'inet_addr\("127\.|inet_pton\(AF_INET6, "::1"')
DNS_PORT = re.compile(r"htons\((53|853|5353)\)")


def leaks(trace: str) -> list[str]:
    """The traced calls that reach the network: off-machine, or DNS on any address."""
    found = []
    for line in trace.splitlines():
        if not SENDS.search(line) or not INET.search(line):
            continue
        if DNS_PORT.search(line) or not LOOPBACK.search(line):
            found.append(line.strip())
    return found


def traced(cmd: list[str], env: dict[str, str], tmp_path: Path, stdin: str = "") -> str:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (`apt-get install strace`; make does it)")
    log = tmp_path / "trace"
    proc = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=network", "-o", str(log), *cmd],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if "PTRACE_TRACEME" in proc.stderr or "Operation not permitted" in proc.stderr[:300]:
        pytest.skip(f"strace cannot trace here: {proc.stderr[:200]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return log.read_text()


@pytest.fixture
def offline_env(cli_env: dict[str, str]) -> dict[str, str]:
    """The environment a person has: no telemetry switch of their own, no sync configured."""
    env = dict(cli_env)
    for name in ("ORT_DISABLE_TELEMETRY", "HF_HUB_OFFLINE", "HF_HUB_DISABLE_TELEMETRY"):
        env.pop(name, None)
    return env


def test_the_checker_catches_a_dns_lookup(tmp_path: Path, offline_env: dict[str, str]):
    code = "import socket\ntry: socket.getaddrinfo('earpiece.invalid', 443)\nexcept OSError: pass"
    trace = traced([sys.executable, "-c", code], offline_env, tmp_path)
    assert leaks(trace), trace[-2000:]  # resolv.conf's server, or 127.0.0.1:53 without one


def test_chat_once_sends_nothing(tmp_path: Path, offline_env: dict[str, str]):
    trace = traced(
        [*earpiece_cmd(), "chat", "--once", "remind me to call mom at five"], offline_env, tmp_path
    )
    assert leaks(trace) == []


def test_voice_turn_sends_nothing(tmp_path: Path, offline_env: dict[str, str], say):
    wav = say("remind me to call mom at five", voice="en")
    trace = traced(
        [*earpiece_cmd(), "turn", "--wav", str(wav), "--out", str(tmp_path / "reply.wav")],
        offline_env,
        tmp_path,
    )
    assert leaks(trace) == []


def test_run_text_sends_nothing(tmp_path: Path, offline_env: dict[str, str]):
    trace = traced(
        [*earpiece_cmd(), "run", "--text"], offline_env, tmp_path, stdin="hello\nwhat time is it\n"
    )
    assert leaks(trace) == []


def test_telemetry_is_off_before_onnxruntime_loads(offline_env: dict[str, str]):
    """Importing any part of the package switches telemetry off before onnxruntime is loaded."""
    code = (
        "import os\n"
        "import earpiece.nlu.model\n"
        "print(os.environ.get('ORT_DISABLE_TELEMETRY'), os.environ.get('HF_HUB_OFFLINE'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "1"]
    chosen = {**offline_env, "ORT_DISABLE_TELEMETRY": "0"}
    kept = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=chosen, timeout=120
    )
    assert kept.stdout.split()[0] == "0"  # a value set on purpose is the person's choice


@pytest.mark.parametrize("entry", ["earpiece.speech.piper", "earpiece.speech.whisper"])
def test_telemetry_is_off_when_the_speech_runtimes_load(entry: str, offline_env: dict[str, str]):
    """The speech modules set nothing themselves: the package does it before they can load
    onnxruntime or ctranslate2 (seen at the moment each is imported)."""
    code = (
        "import importlib, os, sys\n"
        "seen = {}\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name in ('onnxruntime', 'ctranslate2') and name not in seen:\n"
        "            seen[name] = (os.environ.get('ORT_DISABLE_TELEMETRY'),\n"
        "                          os.environ.get('HF_HUB_OFFLINE'))\n"
        "sys.meta_path.insert(0, Watch())\n"
        f"importlib.import_module({entry!r})\n"
        "import onnxruntime, faster_whisper\n"
        "print(sorted(seen.items()))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=offline_env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[('ctranslate2', ('1', '1')), ('onnxruntime', ('1', '1'))]"


def test_unit_denies_ip_unless_sync_allows_it():
    unit = (Path(__file__).resolve().parents[2] / "deploy/systemd/earpiece.service").read_text()
    keys = [line.split("=", 1) for line in unit.splitlines() if "=" in line and line[0] != "#"]
    assert ["IPAddressDeny", "any"] in keys and ["IPAddressAllow", "localhost"] in keys
    assert ["Environment", "ORT_DISABLE_TELEMETRY=1"] in keys
    assert os.environ.get("EARPIECE_CONFIG") is None  # no sync config leaks into these tests
