"""Run every benchmark and write its table into benchmarks/README.md between its markers.

python benchmarks/run.py            # all
python benchmarks/run.py nlu turn   # some
"""

from __future__ import annotations

import platform
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
BENCHES = {
    "nlu": "nlu_bench.py",
    "turn": "turn_bench.py",
    "voice": "voice_bench.py",
    "footprint": "footprint_bench.py",
    "store": "store_bench.py",
}
BENCHES["conversation"] = "conversation_bench.py"
BENCHES["reminders"] = "reminder_bench.py"
BENCHES["tts"] = "tts_bench.py"


def machine() -> str:
    cores = len(__import__("os").sched_getaffinity(0))
    return (
        f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, {date.today()}"
    )


def update(readme: Path, name: str, table: str) -> None:
    text = readme.read_text(encoding="utf-8")
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\nMeasured on {machine()}.\n\n{table.strip()}\n{end}"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no {begin} ... {end} markers")
    readme.write_text(pattern.sub(lambda _: block, text), encoding="utf-8")


def main(names: list[str]) -> int:
    for name in names or list(BENCHES):
        print(f"== {name}", file=sys.stderr)
        proc = subprocess.run(
            [sys.executable, str(HERE / BENCHES[name])], capture_output=True, text=True
        )
        if proc.returncode:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        print(proc.stdout)
        update(HERE / "README.md", name, proc.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
