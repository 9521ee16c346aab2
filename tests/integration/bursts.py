"""A burst of `earpiece chat` turns killed partway: what it acknowledged before it died."""

from __future__ import annotations

import json
import subprocess
import threading

from tests.conftest import earpiece_cmd


def chat_burst(env: dict[str, str], round_no: int, kill_after: float) -> list[str]:
    """Feed `remember ...` lines to one `earpiece chat --json` and SIGKILL it `kill_after`
    seconds after its first answer (the store is open and turns are being written). Returns
    the utterances it acknowledged, i.e. whose reply line it wrote in full."""
    proc = subprocess.Popen(
        [*earpiece_cmd(), "chat", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )

    def feed() -> None:
        try:
            for i in range(10_000):
                assert proc.stdin is not None
                proc.stdin.write(f"remember that round {round_no} item {i} is blue\n")
                proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    assert proc.stdout is not None
    acknowledged = [json.loads(proc.stdout.readline())["heard"]]
    killer = threading.Timer(kill_after, proc.kill)  # SIGKILL: no cleanup of any kind
    killer.daemon = True
    killer.start()
    for line in proc.stdout:
        try:
            acknowledged.append(json.loads(line)["heard"])
        except json.JSONDecodeError:
            break  # a half-written line: not acknowledged
    proc.wait(timeout=60)
    return acknowledged
