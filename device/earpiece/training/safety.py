"""Trains the crisis classifier (crisis / emergency / none) on sentence embeddings.

    python -m earpiece.training.safety [--public ../shared/data/public] [--out models/safety]
                                       [--misses]

Reads the hand-written statements in models/safety/data/<lang>.<label>.txt, the NLU's
training utterances and the train splits of GoEmotions (en, ko) and 3i4k as ordinary text.
Scores every hand-written statement out of fold (5 folds, earpiece.training.safety_cv), fits
the stack of the logistic regression's crisis log-odds and the statement-bank margin on those
scores, chooses per-language thresholds on them (and on ordinary dev text), then fits the
multinomial logistic regression (scikit-learn, the `bench` extra) on everything, writes
models/safety/crisis.npz and prints the recall / false-alarm curve. The device reads it with
NumPy alone.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.nlu.featurizer import FeatureSpec, sparse_features

CLASSES = ("none", "crisis", "emergency")
LANGS = ("en", "ko")
ORDINARY_FA_CAP = {"crisis": 0.01, "emergency": 0.004}
"""Most false alarms the classifier may raise on each set of ordinary dev text (NLU dev,
GoEmotions dev, 3i4k's held-back tenth) when choosing; emergencies are mostly the rules' job."""
FLOOR = {"crisis": 0.05, "emergency": 0.5}
"""Lowest threshold per class: an emergency needs a clear call (the rules find most of them)."""
PUBLIC_PER_SET = 10000
"""Sentences sampled from each public train split (seeded)."""
SEED = 7
NGRAMS = FeatureSpec(dim=8192, char_ngrams=(2, 3, 4), flat_ngrams=(), word_ngrams=(1, 2))
"""Hashed char/jamo and word n-grams beside the embedding (they carry Korean, where the
embedding alone separates crisis from ordinary talk poorly)."""
NGRAM_SCALE = 1.0
C = 4.0
NLU_WEIGHT = 5.0
"""Weight of each NLU training utterance against one public sentence: they are what people say
to the device, and the closest ordinary talk to the boundary (sad, lonely, tired)."""
"""Inverse regularisation strength of the logistic regression."""


@dataclass(frozen=True)
class Example:
    """One labelled sentence and where it came from."""

    text: str
    lang: str
    label: str
    source: str


def own_examples(data_dir: Path) -> list[Example]:
    """The hand-written statements: <lang>.<label>.txt, one per line, `#` lines skipped."""
    out: list[Example] = []
    for lang in LANGS:
        for label in CLASSES:
            path = data_dir / f"{lang}.{label}.txt"
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip() and not line.startswith("#"):
                    out.append(Example(line.strip(), lang, label, "own"))
    return out


def _tsv_column(path: Path, column: int, skip_header: bool) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = rows[1:] if skip_header else rows
    return [r[column].strip() for r in rows if len(r) > column and r[column].strip()]


def nlu_texts(split: str) -> list[tuple[str, str]]:
    """The NLU's own utterances of one split ('train' or 'dev'), with their language."""
    out: list[tuple[str, str]] = []
    for lang in LANGS:
        for path in sorted((paths.nlu_dir() / "data" / lang).glob(f"*.{split}.tsv")):
            out.extend((t, lang) for t in _tsv_column(path, 0, skip_header=True))
    return out


def public_texts(public: Path, split: str, limit: int | None) -> dict[str, list[tuple[str, str]]]:
    """GoEmotions (en, ko) and 3i4k sentences of one split, sampled to `limit` each.

    3i4k has no dev split: a fixed tenth of its train_val (by hash) serves as one.
    """
    rng = random.Random(SEED)
    three = public / "3i4k" / ("test.tsv" if split == "test" else "train_val.tsv")
    sets = {
        "goemotions-en": (public / "goemotions/en" / f"{split}.tsv", 0, "en"),
        "goemotions-ko": (public / "goemotions/ko" / f"{split}.tsv", 0, "ko"),
        "3i4k": (three, 1, "ko"),
    }
    out = {}
    for name, (path, column, lang) in sets.items():
        texts = _tsv_column(path, column, skip_header=False)
        if name == "3i4k" and split != "test":
            texts = [t for t in texts if (zlib.crc32(t.encode()) % 10 == 0) == (split == "dev")]
        if limit is not None and len(texts) > limit:
            texts = rng.sample(texts, limit)
        out[name] = [(t, lang) for t in texts]
    return out


def ordinary(texts: list[tuple[str, str]], source: str) -> list[Example]:
    """Ordinary text as 'none', leaving out what the rule layer already calls a danger.

    Public comments do contain real crisis statements; they are not taught as 'none'.
    """
    from earpiece.companion.safety import rules

    return [Example(t, lang, "none", source) for t, lang in texts if rules(t) is None]


_CACHE: dict[str, np.ndarray] = {}


def embed(texts: list[str]) -> np.ndarray:
    """USE embeddings, memoised for this run (the same sentence is embedded once)."""
    from earpiece.nlu.encoder import embed as use_embed

    todo = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    for i in range(0, len(todo), 512):
        chunk = todo[i : i + 512]
        _CACHE.update(zip(chunk, use_embed(chunk), strict=True))
    return np.stack([_CACHE[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)


def features(texts: list[str]):
    """[embedding | scaled n-grams] as one sparse matrix, the classifier's input."""
    import scipy.sparse as sp

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, text in enumerate(texts):
        feats = sparse_features(text, NGRAMS)
        rows += [i] * len(feats)
        cols += list(feats)
        vals += [v * NGRAM_SCALE for v in feats.values()]
    grams = sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), NGRAMS.dim), dtype=np.float32)
    return sp.hstack([sp.csr_matrix(embed(texts)), grams]).tocsr()


def fit(x, y: np.ndarray, weight: np.ndarray):
    """Multinomial logistic regression (scikit-learn at training time only): weights, bias."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("training the crisis classifier needs scikit-learn: pip install -e '.[bench]'")
    model = LogisticRegression(C=C, max_iter=3000)
    model.fit(x, y, sample_weight=weight)
    order = [list(model.classes_).index(i) for i in range(len(CLASSES))]
    return model.coef_[order].astype(np.float32), model.intercept_[order].astype(np.float32)


def probabilities(weights: np.ndarray, bias: np.ndarray, texts: list[str]) -> np.ndarray:
    """Softmax of the linear scores, [n, classes]; the same sum the device computes."""
    z = np.asarray(features(texts) @ weights.T) + bias
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> None:
    """Cross-validate, stack, choose thresholds, train on everything, write crisis.npz."""
    from earpiece.companion import safety
    from earpiece.training import safety_cv as cv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", type=Path, default=paths.project_root().parent / "shared"
                        / "data" / "public")  # fmt: skip
    parser.add_argument("--out", type=Path, default=paths.models_dir() / "safety")
    parser.add_argument("--misses", action="store_true",
                        help="list the cross-validated misses and false alarms")  # fmt: skip
    args = parser.parse_args(argv)
    cache = Path(os.environ.get("EARPIECE_EMBED_CACHE", ""))
    load_cache(cache)

    own = own_examples(args.out / "data")
    train_ordinary = training_ordinary(args.public)
    print(f"training on {len(own)} own + {len(train_ordinary)} ordinary sentences",
          file=sys.stderr)  # fmt: skip
    folds = cv.out_of_fold(own, train_ordinary, FOLDS)
    stack = cv.fit_stack(folds)
    scored = cv.score(folds, stack)

    x = features([e.text for e in own + train_ordinary])
    y = np.array([CLASSES.index(e.label) for e in own + train_ordinary])
    weight = np.concatenate(
        [own_weights(own, len(train_ordinary)), ordinary_weights(train_ordinary)]
    )
    weights, bias = fit(x, y, weight)
    bank, bank_crisis = statement_bank(own)
    meta = {
        "about": "crisis / emergency / none from USE multilingual v3 embeddings and hashed "
        "n-grams; made by `python -m earpiece.training.safety` (see models/safety/README.md)",
        "classes": list(CLASSES),
        "ngrams": NGRAMS.to_dict(),
        "ngram_scale": NGRAM_SCALE,
        "neighbours": NEIGHBOURS,
        "stack": list(stack),
        "clause_penalty": CLAUSE_PENALTY,
        "threshold": {"crisis": {"en": 0.5, "ko": 0.5}, "emergency": {"en": 0.5, "ko": 0.5}},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "crisis.npz"
    write(target, meta, weights, bias, bank, bank_crisis)
    safety.classifier.cache_clear()
    model = safety.classifier()
    dev_ordinary = ordinary_dev(args.public)
    thresholds = choose(scored, model, dev_ordinary)
    meta["threshold"] = thresholds
    write(target, meta, weights, bias, bank, bank_crisis)
    safety.classifier.cache_clear()
    from earpiece.training.safety_concern import choose_concern  # the check-in band

    thresholds["concern"] = choose_concern(scored, safety.classifier(), dev_ordinary)
    write(target, meta, weights, bias, bank, bank_crisis)
    safety.classifier.cache_clear()
    print(f"wrote {target}; stack {stack}; thresholds {thresholds}", file=sys.stderr)
    cv.print_curve(scored, thresholds)
    if args.misses:
        cv.print_misses(scored, thresholds)
    report(args.public)
    save_cache(cache)


FOLDS = 5
"""Folds of the hand-written statements for the out-of-fold scores thresholds are chosen on."""
HARD_FA_CAP = 0.08
"""Most false alarms on the hand-written hard negatives (out of fold, rules included). The
issue's target was 95% recall at 5%; at 5% cross-validated recall is ~0.79 en / ~0.73 ko, at 8%
~0.83 / ~0.80 (models/safety/README.md has the curve): a miss is far worse than a false alarm,
and the hard negatives here are deliberately close to crisis statements."""
CLAUSE_PENALTY = 0.2
"""How much more a clause of a long utterance must score than the whole would need."""
NEIGHBOURS = 5
"""Nearest crisis statements and nearest hard negatives averaged for the closeness margin."""
ORDINARY_DEV_SAMPLE = 1500
"""Sentences sampled from each ordinary dev set to check the false-alarm cap on (clauses and
all, as the device scores them)."""


def write(target: Path, meta: dict, weights, bias, bank, bank_crisis) -> None:
    """The classifier file the device reads with NumPy alone."""
    np.savez_compressed(target, meta=np.array(json.dumps(meta)), weights=weights, bias=bias,
                        bank=bank.astype(np.float16), bank_crisis=bank_crisis)  # fmt: skip


def statement_bank(own: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the hand-written crisis statements and hard negatives, and which is which."""
    from earpiece.companion import safety

    rows = [e for e in own if e.label in ("crisis", "none")]
    vectors = embed([safety._literal(e.text) for e in rows])
    return vectors, np.array([e.label == "crisis" for e in rows])


def ordinary_dev(public: Path) -> dict[str, list[tuple[str, str]]]:
    """Ordinary dev text (NLU dev, GoEmotions dev, 3i4k's held-back tenth), sampled."""
    rng = random.Random(SEED)
    sets = {"nlu dev": nlu_texts("dev")}
    for name, texts in public_texts(public, "dev", None).items():
        sets[f"{name} dev"] = texts
    return {k: rng.sample(v, min(len(v), ORDINARY_DEV_SAMPLE)) for k, v in sets.items()}


def choose(scored, model, dev_ordinary) -> dict[str, dict[str, float]]:
    """Per language, the lowest crisis threshold whose out-of-fold false alarms on the hard
    negatives stay within HARD_FA_CAP and whose crisis calls on every ordinary dev set stay
    within ORDINARY_FA_CAP; the emergency threshold as low as the ordinary cap allows."""
    from earpiece.training import safety_cv as cv

    out: dict[str, dict[str, float]] = {"crisis": {}, "emergency": {}}
    for lang in LANGS:
        ordinary_scores = []
        for texts in dev_ordinary.values():
            texts = [t for t, lg in texts if lg == lang]
            if texts:
                ordinary_scores.append(cv.device_scores(model, texts))
        crisis_cap = max((float(np.quantile(c, 1 - ORDINARY_FA_CAP["crisis"]))
                          for c, _ in ordinary_scores), default=0.0)  # fmt: skip
        emergency_cap = max((float(np.quantile(e, 1 - ORDINARY_FA_CAP["emergency"]))
                             for _, e in ordinary_scores), default=0.0)  # fmt: skip
        emergency = round(max(FLOOR["emergency"], emergency_cap + 1e-4), 4)
        crisis = 0.99
        for t in np.arange(FLOOR["crisis"], 0.995, 0.005):
            if t <= crisis_cap:
                continue
            if cv.hard_false_alarms(scored, lang, float(t), emergency) <= HARD_FA_CAP:
                crisis = float(t)
                break
        out["crisis"][lang] = round(crisis, 4)
        out["emergency"][lang] = emergency
    return out


def load_cache(cache: Path) -> None:
    """Read memoised embeddings ($EARPIECE_EMBED_CACHE) when the file exists."""
    if cache.name and cache.is_file():
        with np.load(cache, allow_pickle=False) as saved:
            _CACHE.update(zip(saved["texts"].tolist(), saved["vectors"], strict=True))


def save_cache(cache: Path) -> None:
    """Write this run's embeddings to $EARPIECE_EMBED_CACHE when it is set."""
    if cache.name:
        np.savez(cache, texts=np.array(list(_CACHE)), vectors=np.stack(list(_CACHE.values())))


def training_ordinary(public: Path) -> list[Example]:
    """The ordinary text trained on as 'none': the NLU's train split and the public samples."""
    out = ordinary(nlu_texts("train"), "nlu")
    for name, texts in public_texts(public, "train", PUBLIC_PER_SET).items():
        out += ordinary(texts, name)
    return out


def own_weights(own: list[Example], n_ordinary: int) -> np.ndarray:
    """Own statements weigh as much as all ordinary text together, per class."""
    counts = {c: sum(1 for e in own if e.label == c) for c in CLASSES}
    return np.array([n_ordinary / (3 * counts[e.label]) for e in own], np.float64)


def ordinary_weights(ordinary_text: list[Example]) -> np.ndarray:
    """NLU utterances weigh NLU_WEIGHT, public sentences 1."""
    return np.array([NLU_WEIGHT if e.source == "nlu" else 1.0 for e in ordinary_text], np.float64)


def report(public: Path) -> None:
    """False alarms of the detector as the device runs it on ordinary text never chosen on."""
    from earpiece.training import safety_cv as cv

    rng = random.Random(SEED + 1)
    sets = {"NLU dev": nlu_texts("dev")}
    for name, texts in public_texts(public, "test", None).items():
        sets[f"{name} test"] = texts
    print("\n| set | lang | alarms (rules + classifier, by clause) |")
    print("|---|---|---|")
    for name, pairs in sets.items():
        for lang in LANGS:
            lang_texts = [t for t, lg in pairs if lg == lang]
            if not lang_texts:
                continue
            sample = rng.sample(lang_texts, min(len(lang_texts), REPORT_SAMPLE))
            n = len(sample)
            a = sum(v not in (None, "concern") for v in cv.device_verdicts(sample))  # full ones
            print(f"| {name} | {lang} | {a}/{n} ({100 * a / n:.2f}%) |")


REPORT_SAMPLE = 3000
"""Sentences sampled from each ordinary test set for the false-alarm report."""


if __name__ == "__main__":
    main()
