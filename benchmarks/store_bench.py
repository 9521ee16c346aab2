"""What durability costs per commit: synchronous=NORMAL vs FULL, and the acknowledged-commit
sidecar (written after each commit; not fsynced, and what fsyncing it would add).

python benchmarks/store_bench.py [--dir DIR]   # DIR on the disk the state lives on
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from earpiece.store import recovery
from earpiece.store.database import Change, Store

COMMITS = 60
ROUNDS = 6


def _turn(i: int) -> list[Change]:
    """About what one text turn commits: the turn, its mood sample, the dialog row."""
    text = f"remember that item {i} is blue " * 4
    return [
        Change("turns.put", f"turn:{i}", {"text": text, "reply": text, "intent": "remember_fact"}),
        Change("mood.put", f"mood:{i}", {"emotion": "neutral", "confidence": 0.9}),
        Change("dialog.put", "state", {"last_reply": text, "pending": None}),
    ]


def measure(folder: Path, synchronous: str, sidecar: str) -> list[float]:
    state = Path(tempfile.mkdtemp(dir=folder, prefix="store-bench-"))
    store = Store.open(state)
    store._conn.execute(f"PRAGMA synchronous = {synchronous}")
    store._acking = sidecar != "off"
    real_write = recovery.AckSidecar.write
    if sidecar == "fsynced":

        def synced(self, device: str, number: int) -> None:
            real_write(self, device, number)
            os.fdatasync(self._fd)

        recovery.AckSidecar.write = synced
    times = []
    try:
        for i in range(COMMITS):
            start = time.perf_counter()
            store.commit(_turn(i))
            times.append((time.perf_counter() - start) * 1000)
    finally:
        recovery.AckSidecar.write = real_write
        store.close()
        shutil.rmtree(state)
    return times


def sidecar_write_us(folder: Path) -> float:
    """The sidecar's own cost: one pwrite of its 64-byte record."""
    ack = recovery.AckSidecar(folder / "bench.sqlite3")
    start = time.perf_counter()
    for i in range(10_000):
        ack.write("0123456789ab", i)
    took = (time.perf_counter() - start) / 10_000 * 1e6
    ack.close()
    ack.path.unlink()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    folder = parser.parse_args().dir
    rows = [("NORMAL", "off"), ("FULL", "off"), ("FULL", "on"), ("FULL", "fsynced")]
    times: dict[tuple[str, str], list[float]] = {row: [] for row in rows}
    for row in rows:
        measure(folder, *row)  # warm-up
    for _ in range(ROUNDS):  # interleaved, so a busy moment of the machine hits every row
        for row in rows:
            times[row] += measure(folder, *row)
    label = {"off": "none", "on": "written (default)", "fsynced": "written + fdatasync"}
    print("| synchronous | ack sidecar | p50 ms | p90 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for (synchronous, sidecar), found in times.items():
        t = sorted(found)
        print(
            f"| {synchronous} | {label[sidecar]} | {statistics.median(t):.3f} | "
            f"{t[int(0.9 * len(t))]:.3f} | {t[int(0.99 * len(t))]:.3f} |"
        )
    print(
        f"\n{ROUNDS} x {COMMITS} commits of one text turn's changes each, on {folder}; "
        f"the sidecar's pwrite alone: {sidecar_write_us(folder):.1f} µs."
    )


if __name__ == "__main__":
    main()
