"""Text turn latency: NLU + policy + a synchronous SQLite commit, per utterance, and RSS.

Runs the real Companion over a fresh state dir with the dev-split utterances as
a conversation (Korean and English interleaved), as `earpiece chat` would.
    python benchmarks/turn_bench.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from earpiece.companion.policy import Companion
from earpiece.config import load_settings
from earpiece.nlu.model import NluModel
from earpiece.paths import nlu_dir
from earpiece.store.database import Store
from earpiece.training.dataset import load_split

sys.path.insert(0, str(Path(__file__).parent))
from nlu_bench import percentile, rss_mib


def measure(turns: int = 1000) -> dict:
    dev = load_split(nlu_dir() / "data", "dev")
    texts = [ex.text for ex in dev][:turns]
    with tempfile.TemporaryDirectory() as state:
        store = Store.open(Path(state))
        nlu = NluModel.load()
        companion = Companion(store, nlu, load_settings(None))
        for text in texts[:20]:
            companion.respond(text)  # warm-up
        total, understand = [], []
        for text in texts:
            start = time.perf_counter()
            nlu.understand(text)
            understand.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            companion.respond(text)
            total.append((time.perf_counter() - start) * 1000)
        size = store.path.stat().st_size
        store.close()
    rss, peak = rss_mib()
    return {
        "turns": len(texts),
        "turn_p50_ms": percentile(total, 50),
        "turn_p99_ms": percentile(total, 99),
        "nlu_p50_ms": percentile(understand, 50),
        "nlu_p99_ms": percentile(understand, 99),
        "rss_mib": rss,
        "peak_rss_mib": peak,
        "db_kib": size / 1024,
    }


def table(r: dict) -> str:
    return "\n".join([
        "| turns | turn p50 ms | turn p99 ms | NLU p50 / p99 ms | RSS MiB | peak RSS MiB |",
        "|---|---|---|---|---|---|",
        f"| {r['turns']} | {r['turn_p50_ms']:.2f} | {r['turn_p99_ms']:.2f} "
        f"| {r['nlu_p50_ms']:.2f} / {r['nlu_p99_ms']:.2f} | {r['rss_mib']:.0f} "
        f"| {r['peak_rss_mib']:.0f} |",
    ])  # fmt: skip


if __name__ == "__main__":
    result = measure()
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        print(table(result))
