"""NLU benchmark: Earpiece's model before and after issue 8, and two peers, on the dev split
(clean and with simulated recognition errors) and on public text no one here wrote (HWU64
fold 10, GoEmotions test, 3i4k test); per-utterance latency, size and process RSS.

Each model runs in its own process so that RSS is its own: measured after loading the model
and answering the dev split one utterance at a time (the latency loop), before the batch
evaluations; "added" is that minus the process before the model was loaded, a process that
has imported NumPy: `earpiece run` imports NumPy for audio (runtime/loop.py,
hardware/microphone.py, speech/stt.py and tts.py) whether or not an NLU is loaded, so its
import (~13 MiB) is not the NLU's; it is reported on its own below the table. Run:
    python benchmarks/nlu_bench.py            # all models, tables to stdout
    python benchmarks/nlu_bench.py new-int8   # one model (names: MODELS)

The public test splits are `models/nlu/data/<lang>/public-*.test.tsv` (training never reads
`.test.tsv` files), and the blind set `benchmarks/data/nlu_blind.tsv` (NLU_BLIND.md). The
committed models `before-int8` and `previous-int8` are read from git (COMMITS); a row is skipped
when the checkout has no such commit.
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
from earpiece.paths import nlu_dir, project_root
from earpiece.training import metrics
from earpiece.training.dataset import Example, load_file, load_split
from earpiece.training.noise import corrupt

MODELS = ("before-int8", "previous-int8", "new-int8", "tfidf-logreg", "padacioso")
COMMITS = {"before": "5518eaa", "previous": "3ba0a4c"}
"""Committed int8 models read from git: "before" is the model when issue 8 was filed (no public
data, no encoder); "previous" is the model before the round-7 data and input dropout."""
BLIND = project_root() / "benchmarks" / "data" / "nlu_blind.tsv"
"""600 lines written from the label contract alone, after the model's data (NLU_BLIND.md)."""
NOISE_RATES = (0.0, 0.1, 0.2)
NOISE_SEED = 7_000  # not the training seed: the errors here are ones training never saw
PADACIOSO_SAMPLE = 400
"""padacioso matches every template per query (~0.1-1 s each on public text): it is measured
on a fixed sample of this many lines per public test set."""


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


def blind_set() -> list[Example]:
    """The blind set (benchmarks/data/nlu_blind.tsv) as examples; empty when it is absent."""
    if not BLIND.is_file():
        return []
    rows = [line.split("\t") for line in BLIND.read_text(encoding="utf-8").splitlines()[1:]]
    return [Example(text, intent, emotion, lang) for lang, text, intent, emotion in rows]


def far_from_training(rows: list[Example], train: list[Example]) -> list[bool]:
    """Whether no authored training line of the row's language is close to it (`overlap`'s
    cosine below NEAR with the committed manifest's features, as tools/nlu_data_filter.py
    drops): the blind lines that no training line nearly repeats."""
    import json

    from earpiece.nlu.featurizer import FeatureSpec
    from earpiece.training.overlap import NEAR, closest  # not at the top: the RSS base

    manifest = json.loads((nlu_dir() / "manifest.json").read_text(encoding="utf-8"))
    spec = FeatureSpec.from_dict(manifest["features"])
    far = [True] * len(rows)
    for lang in ("ko", "en"):
        idx = [i for i, ex in enumerate(rows) if ex.lang == lang]
        texts = [ex.text for ex in train if ex.lang == lang and not ex.public]
        for i, sim in zip(idx, closest([rows[i].text for i in idx], texts, spec), strict=True):
            far[i] = bool(sim < NEAR)
    return far


def public_test(name: str, lang: str) -> list[Example]:
    path = nlu_dir() / "data" / lang / f"public-{name}.test.tsv"
    return load_file(path) if path.is_file() else []


# --- the models under test: each returns (predict(texts) -> [(intent, emotion)], size bytes)


def _committed_dir(commit: str) -> Path | None:
    out = Path(tempfile.mkdtemp(prefix="earpiece-model-"))
    for name in ("earpiece-nlu.int8.onnx", "manifest.json"):
        proc = subprocess.run(
            ["git", "-C", str(project_root()), "show", f"{commit}:models/nlu/{name}"],
            capture_output=True,
        )
        if proc.returncode != 0:
            return None
        (out / name).write_bytes(proc.stdout)
    return out


def _earpiece(kind: str):
    from earpiece.nlu.model import MODEL_FILE, NluModel

    if kind in COMMITS:
        folder = _committed_dir(COMMITS[kind])
        if folder is None:
            return None
        model = NluModel.load(folder / MODEL_FILE)
    else:
        model = NluModel.load()
    size = model.path.stat().st_size

    def predict(texts: list[str]) -> list[tuple[str, str]]:
        return [(r[0], r[2]) for r in model.classify(texts)]

    return predict, size, model


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

    def fit(head: str):
        rows = [ex for ex in train if getattr(ex, head)]
        return pipeline().fit([ex.text for ex in rows], [getattr(ex, head) for ex in rows])

    intent, emotion = fit("intent"), fit("emotion")
    size = len(pickle.dumps((intent, emotion)))

    def predict(batch: list[str]) -> list[tuple[str, str]]:
        return list(zip(intent.predict(batch), emotion.predict(batch), strict=True))

    return predict, size, None


def _padacioso(train: list[Example]):
    import pickle

    from padacioso import IntentContainer

    from earpiece.nlu.featurizer import normalize

    def container(head: str) -> IntentContainer:
        box = IntentContainer(fuzz=False)
        groups: dict[str, list[str]] = {}
        for ex in train:
            if getattr(ex, head) and (text := normalize(ex.text)):
                groups.setdefault(getattr(ex, head), []).append(text)
        for name, lines in groups.items():
            box.add_intent(name, lines)
        return box

    intents = container("intent")
    emotions = container("emotion")
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

    return predict, size, None


def _sample(rows: list[Example], n: int) -> list[Example]:
    return rows if len(rows) <= n else random.Random(n).sample(rows, n)


def _public(predict, name: str) -> dict:
    """HWU64 in-scope accuracy and out-of-scope rejection; GoEmotions macro-F1 per language."""
    cap = PADACIOSO_SAMPLE if name == "padacioso" else 10**9
    out: dict = {}
    hwu = _sample(public_test("hwu64", "en"), cap)
    if hwu:
        preds = predict([ex.text for ex in hwu])
        inside = [
            (ex.intent, p[0]) for ex, p in zip(hwu, preds, strict=True) if ex.intent != UNKNOWN
        ]
        outside = [p[0] for ex, p in zip(hwu, preds, strict=True) if ex.intent == UNKNOWN]
        out["hwu_in"] = metrics.accuracy([g for g, _ in inside], [p for _, p in inside])
        out["hwu_oos"] = sum(p == UNKNOWN for p in outside) / len(outside)
        out["hwu_n"] = (len(inside), len(outside))
    for lang in ("en", "ko"):
        rows = _sample(public_test("goemotions", lang), cap)
        if rows:
            preds = predict([ex.text for ex in rows])
            gold, got = [ex.emotion for ex in rows], [p[1] for p in preds]
            out[f"goemo_{lang}"] = metrics.macro_f1(gold, got)
            out[f"goemo_{lang}_labels"] = per_label_f1(gold, got)
    return out


def per_label_f1(gold: list[str], pred: list[str]) -> dict[str, float]:
    out = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, pred, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, pred, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, pred, strict=True))
        out[label] = round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0
    return out


def _extras(model) -> dict:
    """For Earpiece models: the OOS/in-scope curve on HWU64 fold 10 and speech acts on 3i4k."""
    from earpiece.nlu.act import speech_act
    from earpiece.training.calibrate import tradeoff

    out: dict = {}
    hwu = public_test("hwu64", "en")
    if hwu:
        import numpy as np

        texts = [ex.text for ex in hwu]
        probs = np.concatenate(
            [model.probabilities(texts[i : i + 128])[0] for i in range(0, len(texts), 128)]
        )
        gold = np.array([model.intents.index(ex.intent) for ex in hwu])
        unknown = model.intents.index(UNKNOWN)
        out["curve"] = [
            (t, *tradeoff(probs, gold, unknown, t))
            for t in (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
        ]
    acts = public_test("3i4k", "ko")
    if acts:
        texts = [ex.text for ex in acts]
        gold = [ex.act for ex in acts]
        rules = [speech_act(t, "ko").value for t in texts]
        out["act_rules"] = (metrics.accuracy(gold, rules), metrics.macro_f1(gold, rules))
        learned = [  # head + rules (nlu/act.py combine), as understand() answers
            u.act.value
            for i in range(0, len(texts), 128)
            for u in model.understand_many(texts[i : i + 128])
        ]
        out["act_model"] = (metrics.accuracy(gold, learned), metrics.macro_f1(gold, learned))
    out["act_en"] = _english_acts(model, hwu)
    return out


def _english_acts(model, hwu: list[Example]) -> dict[str, tuple[float, float, int]]:
    """English speech acts (labels from the intent, training/acts.py): rules alone against
    what understand() answers, on HWU64 fold 10 and on the authored English dev lines."""
    from earpiece.nlu.act import speech_act
    from earpiece.training.acts import with_english_acts

    dev = with_english_acts(load_split(nlu_dir() / "data", "dev"))
    out = {}
    for where, rows in (("hwu64", hwu), ("dev", dev)):
        rows = [ex for ex in rows if ex.lang == "en" and ex.act]
        texts, gold = [ex.text for ex in rows], [ex.act for ex in rows]
        rules = [speech_act(t, "en").value for t in texts]
        answered = [
            u.act.value
            for i in range(0, len(texts), 128)
            for u in model.understand_many(texts[i : i + 128], default_lang="en")
        ]
        out[where] = (
            metrics.accuracy(gold, rules),
            metrics.accuracy(gold, answered),
            len(rows),
        )
    return out


def run_worker(name: str) -> dict | None:
    data = nlu_dir() / "data"
    train, dev = load_split(data, "train"), load_split(data, "dev")
    bare_rss = rss_mib()[0]
    import numpy  # noqa: F401 - in the device's process before any NLU (module docstring)

    base_rss = rss_mib()[0]
    if name.startswith(("before", "previous", "new")):
        made = _earpiece(name.split("-")[0])
    elif name == "tfidf-logreg":
        made = _tfidf(train)
    else:
        made = _padacioso(train)
    if made is None:
        return None
    predict_one, size, model = made
    for text in (ex.text for ex in dev[:50]):
        predict_one([text])  # warm-up
    times = []
    for ex in dev:
        start = time.perf_counter()
        predict_one([ex.text])
        times.append((time.perf_counter() - start) * 1000)
    now, peak = rss_mib()  # the model loaded and answering one utterance at a time, as on device
    result: dict = {"model": name, "bytes": size, "accuracy": {}}
    result["p50_ms"], result["p99_ms"] = percentile(times, 50), percentile(times, 99)
    result["rss_mib"], result["peak_rss_mib"], result["python_base_mib"] = now, peak, base_rss
    result["numpy_import_mib"] = base_rss - bare_rss

    def predict(texts: list[str]) -> list[tuple[str, str]]:
        return [p for i in range(0, len(texts), 128) for p in predict_one(texts[i : i + 128])]

    for rate in NOISE_RATES:
        preds = predict(noisy(dev, rate))
        for lang in ("ko", "en"):
            pairs = [(ex, p) for ex, p in zip(dev, preds, strict=True) if ex.lang == lang]
            result["accuracy"][f"{lang}@{rate:.1f}"] = {
                "intent": metrics.accuracy(
                    [ex.intent for ex, _ in pairs], [p[0] for _, p in pairs]
                ),
                "emotion_f1": metrics.macro_f1(
                    [ex.emotion for ex, _ in pairs], [p[1] for _, p in pairs]
                ),
                "emotion_labels": per_label_f1(
                    [ex.emotion for ex, _ in pairs], [p[1] for _, p in pairs]
                ),
            }
    result["public"] = _public(predict, name)
    blind = blind_set()
    preds = predict([ex.text for ex in blind])
    far = far_from_training(blind, train)
    for lang in ("ko", "en"):
        pairs = [(ex, p) for ex, p in zip(blind, preds, strict=True) if ex.lang == lang]
        result["public"][f"blind_{lang}"] = metrics.accuracy(
            [ex.intent for ex, _ in pairs], [p[0] for _, p in pairs]
        )
        apart = [
            (ex, p) for ex, p, f in zip(blind, preds, far, strict=True) if f and ex.lang == lang
        ]
        result["public"][f"blind_far_{lang}"] = metrics.accuracy(
            [ex.intent for ex, _ in apart], [p[0] for _, p in apart]
        )
        result["public"][f"blind_far_n_{lang}"] = len(apart)
        result["public"][f"blind_emotion_{lang}"] = metrics.macro_f1(
            [ex.emotion for ex, _ in pairs], [p[1] for _, p in pairs]
        )
    if model is not None:
        result["extras"] = _extras(model)
    return result


def _pair(a: dict, key: str, head: str) -> str:
    return f"{a[f'ko@{key}'][head]:.3f} / {a[f'en@{key}'][head]:.3f}"


def table(results: list[dict]) -> str:
    head = (
        "| model | HWU64 in-scope (en) | HWU64 OOS->unknown (en) | GoEmotions emotion F1 ko / en "
        "| dev intent ko / en | dev emotion F1 ko / en | intent @10% err ko / en "
        "| intent @20% err ko / en | blind intent ko / en | blind far intent ko / en "
        "| blind emotion F1 ko / en | p50 ms | p99 ms | size | RSS MiB (added) |"
    )
    lines = [head, "|" + "---|" * 15]
    nan = float("nan")
    for r in results:
        a, p = r["accuracy"], r["public"]
        lines.append(
            f"| {r['model']} | {p.get('hwu_in', float('nan')):.3f} "
            f"| {p.get('hwu_oos', float('nan')):.3f} "
            f"| {p.get('goemo_ko', float('nan')):.3f} / {p.get('goemo_en', float('nan')):.3f} "
            f"| {_pair(a, '0.0', 'intent')} | {_pair(a, '0.0', 'emotion_f1')} "
            f"| {_pair(a, '0.1', 'intent')} | {_pair(a, '0.2', 'intent')} "
            f"| {p.get('blind_ko', nan):.3f} / {p.get('blind_en', nan):.3f} "
            f"| {p.get('blind_far_ko', nan):.3f} / {p.get('blind_far_en', nan):.3f} "
            f"| {p.get('blind_emotion_ko', nan):.3f} / {p.get('blind_emotion_en', nan):.3f} "
            f"| {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['bytes'] / 1024:,.0f} KiB "
            f"| {r['rss_mib']:.0f} ({r['rss_mib'] - r['python_base_mib']:.0f}) |"
        )
    far = [r["public"] for r in results if "blind_far_n_ko" in r["public"]]
    if far:
        from earpiece.training.overlap import NEAR

        lines.append(
            f"\nBlind far: the blind lines with no authored training line of their language at "
            f"hashed n-gram cosine >= {NEAR} (the data filter's cut-off; public sets not counted): "
            f"{far[0]['blind_far_n_ko']} ko, {far[0]['blind_far_n_en']} en of 300 each."
        )
    numpy = [r["numpy_import_mib"] for r in results if "numpy_import_mib" in r]
    if numpy:
        lines.append(
            f"\nRSS added: beyond Python and NumPy's import (NumPy's import, in each row's base: "
            f"{min(numpy):.1f}-{max(numpy):.1f} MiB; `earpiece run` imports it for audio)."
        )
    return "\n".join(lines)


def details(results: list[dict]) -> str:
    """Per-label emotion F1, the OOS curve and the speech-act figures, for Earpiece models."""
    out = []
    for r in results:
        if "extras" not in r:
            continue
        x, p = r["extras"], r["public"]
        out.append(f"\n{r['model']}: emotion F1 per label")
        for where, labels in (
            ("dev ko", r["accuracy"]["ko@0.0"]["emotion_labels"]),
            ("dev en", r["accuracy"]["en@0.0"]["emotion_labels"]),
            ("GoEmotions ko", p.get("goemo_ko_labels", {})),
            ("GoEmotions en", p.get("goemo_en_labels", {})),
        ):
            out.append(f"  {where}: " + ", ".join(f"{k} {v:.2f}" for k, v in labels.items()))
        if "curve" in x:
            out.append(
                f"  HWU64 fold 10 ({p['hwu_n'][0]} in-scope, {p['hwu_n'][1]} OOS): "
                "threshold -> in-scope acc / OOS rejection: "
                + "; ".join(f"{t:.1f} -> {a:.3f} / {o:.3f}" for t, a, o in x["curve"])
            )
        if "act_rules" in x:
            out.append(
                "  3i4k test speech act (ko, statement/question/command): rules acc "
                f"{x['act_rules'][0]:.3f} F1 {x['act_rules'][1]:.3f}; model (as understand() "
                f"answers) acc {x['act_model'][0]:.3f} F1 {x['act_model'][1]:.3f}"
            )
        for where, (rules, answered, n) in x.get("act_en", {}).items():
            out.append(
                f"  English speech act on {where} ({n} lines, act from the intent): rules acc "
                f"{rules:.3f}; model (as understand() answers) acc {answered:.3f}"
            )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--worker":
        print(json.dumps(run_worker(argv[1])))
        return 0
    names = argv or list(MODELS)
    if any(name not in MODELS for name in names):
        print(__doc__, file=sys.stderr)
        print(f"models: {' '.join(MODELS)}", file=sys.stderr)
        return 0 if set(names) & {"-h", "--help"} else 2
    results = []
    for name in names:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", name], capture_output=True, text=True
        )
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return proc.returncode
        result = json.loads(proc.stdout.splitlines()[-1])
        if result is None:
            print(f"skipped {name}: its commit is not in this checkout", file=sys.stderr)
            continue
        results.append(result)
        print(f"measured {name}", file=sys.stderr)
    print(table(results))
    print(details(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
