"""Reminders as people say them: reminder_phrasings.py replayed through the real Companion.

A case is right when exactly the expected reminders are pending afterwards (due to the minute,
the task, the repeat rule) and, for a list, the last reply names each expected item.
    python benchmarks/reminder_bench.py [--verbose]
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from earpiece.companion.policy import Companion
from earpiece.config import load_settings
from earpiece.nlu.model import NluModel
from earpiece.store.database import Store

sys.path.insert(0, str(Path(__file__).parent))
from reminder_phrasings import AUTHORED, HELD_OUT, PROBED, Case

START = datetime(2026, 11, 27, 14, 10, tzinfo=ZoneInfo("Asia/Seoul"))


class _Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def run_case(nlu: NluModel, case: Case) -> tuple[bool, str]:
    """Whether the case came out right, and what was pending and said last."""
    _, _, lines, expected, reply_has = case
    with tempfile.TemporaryDirectory() as state:
        clock = _Clock(START)
        store = Store.open(Path(state))
        companion = Companion(store, nlu, load_settings(None), clock=clock, rng=random.Random(5))
        last = ""
        try:
            for line in lines:
                if line.startswith("+") and line.endswith("m"):
                    clock.now += timedelta(minutes=int(line[1:-1]))
                    continue
                last = companion.respond(line).text
            got = sorted(
                (b["due_at"][:16], b["what"], (b.get("repeat") or {}).get("every"))
                for _, b in store.rows("reminders", "status = 'pending'")
            )
        finally:
            store.close()
    ok = True
    if expected is not None:
        ok = len(got) == len(expected) and all(
            any(g[0] == due and what in g[1] and g[2] == rule for g in got)
            for due, what, rule in expected
        )
    if reply_has:
        ok = ok and all(word in last for word in reply_has)
    return ok, f"pending={got} last={last!r}"


def main(verbose: bool) -> None:
    nlu = NluModel.load()
    rows = []
    sets = (("authored (tuned on)", AUTHORED), ("held out (written after)", HELD_OUT),
            ("third round (probed, then tuned on)", PROBED))  # fmt: skip
    for name, cases in sets:
        score = {"ko": [0, 0], "en": [0, 0]}
        for case in cases:
            ok, seen = run_case(nlu, case)
            score[case[0]][0] += ok
            score[case[0]][1] += 1
            if verbose or not ok:
                print(("ok  " if ok else "MISS"), case[0], case[1], seen, file=sys.stderr)
        rows.append(f"| {name} | {score['ko'][0]} / {score['ko'][1]} "
                    f"| {score['en'][0]} / {score['en'][1]} |")  # fmt: skip
    print("| phrasings | ko right / tested | en right / tested |")
    print("|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main("--verbose" in sys.argv)
