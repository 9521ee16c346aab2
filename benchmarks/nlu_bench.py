"""NLU benchmark: dev-split accuracy (clean and with simulated recognition errors),
per-utterance latency, model size and process RSS, for Earpiece's int8 model, its
fp32 twin, and two peers trained on the same training split.

Each model runs in its own process so that RSS is its own. Run:
    python benchmarks/nlu_bench.py            # all models, table to stdout
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from earpiece.nlu.labels import NEUTRAL, UNKNOWN
from earpiece.paths import nlu_dir
from earpiece.training.dataset import Example, load_split
from earpiece.training.noise import corrupt

MODELS = ("earpiece-int8", "earpiece-fp32", "tfidf-logreg", "padacioso")
NOISE_RATES = (0.0, 0.1, 0.2)
NOISE_SEED = 7_000  # not the training seed: the errors here are ones training never saw


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process, MiB."""
    status = Path("/proc/self/status").read_text()
    now = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return now / 1024, peak / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def noisy(dev: list[Example], rate: float) -> list[str]:
    rng = random.Random(NOISE_SEED + int(rate * 100))
    return [corrupt(ex.text, rate, rng) if rate else ex.text for ex in dev]


# --- the models under test: each returns (predict(texts) -> [(intent, emotion)], size bytes)


def _earpiece(kind: str):
    from earpiece.nlu.model import FP32_FILE, NluModel, read_manifest
    from earpiece.training.build import build

    model = NluModel.load()
    if kind == "fp32":
        manifest = read_manifest(model.path)
        fp32 = model.path.parent / FP32_FILE
        if not fp32.exists() or _sha(fp32) != manifest["fp32"]["sha256"]:
            out = Path(tempfile.mkdtemp(prefix="earpiece-fp32-"))
            build(nlu_dir() / "data", out)  # deterministic: the twin of the committed int8
            fp32 = out / FP32_FILE
        model = NluModel(fp32, manifest)
    size = model.path.stat().st_size

    def predict(texts: list[str]) -> list[tuple[str, str]]:
        return [(r[0], r[2]) for r in model.classify(texts)]

    return predict, size


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tfidf(train: list[Example]):
    import pickle

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    def pipeline():
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        return make_pipeline(features, LogisticRegression(C=10, max_iter=3000))

    texts = [ex.text for ex in train]
    intent = pipeline().fit(texts, [ex.intent for ex in train])
    emotion = pipeline().fit(texts, [ex.emotion for ex in train])
    size = len(pickle.dumps((intent, emotion)))

    def predict(batch: list[str]) -> list[tuple[str, str]]:
        return list(zip(intent.predict(batch), emotion.predict(batch), strict=True))

    return predict, size


def _padacioso(train: list[Example]):
    import pickle

    from padacioso import IntentContainer

    from earpiece.nlu.featurizer import normalize

    def container(label_of) -> IntentContainer:
        box = IntentContainer(fuzz=False)
        groups: dict[str, list[str]] = {}
        for ex in train:
            if text := normalize(ex.text):
                groups.setdefault(label_of(ex), []).append(text)
        for name, lines in groups.items():
            box.add_intent(name, lines)
        return box

    intents = container(lambda ex: ex.intent)
    emotions = container(lambda ex: ex.emotion)
    size = len(pickle.dumps((intents.intent_samples, emotions.intent_samples)))

    def best(box: IntentContainer, text: str, default: str) -> str:
        # padacioso's own matcher, called in-process: its calc_intent() starts a process
        # pool per query, which would measure process start-up, not matching.
        query = normalize(text)
        matches = [box._match(query, name, rx) for name, rx in box.intent_samples.items()]
        matches = [m for m in matches if m]
        return max(matches, key=lambda m: m["conf"])["name"] if matches else default

    def predict(batch: list[str]) -> list[tuple[str, str]]:
        return [(best(intents, t, UNKNOWN), best(emotions, t, NEUTRAL)) for t in batch]

    return predict, size


def run_worker(name: str) -> dict:
    data = nlu_dir() / "data"
    train, dev = load_split(data, "train"), load_split(data, "dev")
    base_rss = rss_mib()[0]
    if name.startswith("earpiece"):
        predict, size = _earpiece(name.split("-")[1])
    elif name == "tfidf-logreg":
        predict, size = _tfidf(train)
    else:
        predict, size = _padacioso(train)
    result: dict = {"model": name, "bytes": size, "accuracy": {}}
    for rate in NOISE_RATES:
        texts = noisy(dev, rate)
        preds = predict(texts)
        for lang in ("ko", "en"):
            pairs = [(ex, p) for ex, p in zip(dev, preds, strict=True) if ex.lang == lang]
            result["accuracy"][f"{lang}@{rate:.1f}"] = {
                "intent": sum(ex.intent == p[0] for ex, p in pairs) / len(pairs),
                "emotion": sum(ex.emotion == p[1] for ex, p in pairs) / len(pairs),
            }
    for text in (ex.text for ex in dev[:50]):
        predict([text])  # warm-up
    times = []
    for ex in dev:
        start = time.perf_counter()
        predict([ex.text])
        times.append((time.perf_counter() - start) * 1000)
    result["p50_ms"], result["p99_ms"] = percentile(times, 50), percentile(times, 99)
    now, peak = rss_mib()
    result["rss_mib"], result["peak_rss_mib"], result["python_base_mib"] = now, peak, base_rss
    result["dev_utterances"] = len(dev)
    return result


def table(results: list[dict]) -> str:
    head = (
        "| model | size | intent ko / en | emotion ko / en | intent @10% err ko / en "
        "| intent @20% err ko / en | emotion @20% err ko / en | p50 ms | p99 ms | RSS MiB |"
    )
    lines = [head, "|" + "---|" * 10]
    for r in results:
        a = r["accuracy"]

        def pair(key: str, head: str, acc=a) -> str:
            return f"{acc[f'ko@{key}'][head]:.3f} / {acc[f'en@{key}'][head]:.3f}"

        lines.append(
            f"| {r['model']} | {r['bytes'] / 1024:,.0f} KiB | {pair('0.0', 'intent')} "
            f"| {pair('0.0', 'emotion')} | {pair('0.1', 'intent')} | {pair('0.2', 'intent')} "
            f"| {pair('0.2', 'emotion')} | {r['p50_ms']:.3f} | {r['p99_ms']:.3f} "
            f"| {r['rss_mib']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--worker":
        print(json.dumps(run_worker(argv[1])))
        return 0
    names = argv or list(MODELS)
    results = []
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", name], capture_output=True, text=True
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        results.append(json.loads(proc.stdout.splitlines()[-1]))
        print(f"measured {name}", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
