"""Shared fixtures: the repo's paths, a private state dir, and the real NLU model."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="earpiece-test-cache-"))
"""Derived Vosk model dirs (speech/modeldir.py) go to a cache of the test run's own."""
SHARED = ROOT.parent / "shared"
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def _private_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test touches the real ~/.local/state or a config from the environment."""
    monkeypatch.setenv("EARPIECE_STATE_DIR", str(tmp_path_factory.mktemp("state")))
    monkeypatch.delenv("EARPIECE_CONFIG", raising=False)
    monkeypatch.delenv("EARPIECE_MODELS_DIR", raising=False)


@pytest.fixture(scope="session")
def nlu_model():
    from earpiece.nlu.model import NluModel

    return NluModel.load()


def earpiece_cmd() -> list[str]:
    """The installed console script next to this interpreter."""
    script = Path(sys.executable).with_name("earpiece")
    return [str(script)] if script.exists() else [sys.executable, "-m", "earpiece"]


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["EARPIECE_STATE_DIR"] = str(tmp_path / "state")
    env.pop("EARPIECE_CONFIG", None)
    return env


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


@pytest.fixture
def make_companion(nlu_model, tmp_path: Path):
    """Build a Companion on a state dir with a hand-moved clock; reopen to simulate a restart."""
    import random

    from earpiece.companion.policy import Companion
    from earpiece.config import load_settings
    from earpiece.store.database import Store

    opened = []

    def make(state: Path | None = None, clock: FakeClock | None = None, config: Path | None = None):
        store = Store.open(state or tmp_path / "state")
        opened.append(store)
        settings = load_settings(config)
        clock = clock or FakeClock(datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL))
        return Companion(store, nlu_model, settings, clock=clock, rng=random.Random(5))

    yield make
    for store in opened:
        store.close()


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


@pytest.fixture(scope="session")
def say(speech_dir: Path):
    """Korean (or English) speech made by espeak-ng into a WAV file: say(text, speed) -> path."""
    import shutil
    import subprocess

    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed: run `make test`, which installs it")

    def speak(text: str, speed: int = 175, voice: str = "ko") -> Path:
        out = speech_dir / f"{voice}-{speed}-{abs(hash(text))}.wav"
        if not out.exists():
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(out), text], check=True
            )
        return out

    return speak


@pytest.fixture(scope="session")
def stt():
    from earpiece.speech.stt import SpeechRecognizer

    return SpeechRecognizer.load()


@pytest.fixture(scope="session")
def tts():
    from earpiece.speech.tts import Synthesizer

    return Synthesizer({"ko": "ko", "en": "gmw/en-us"})
