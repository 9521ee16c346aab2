"""Trains the crisis classifier (crisis / emergency / none) on sentence embeddings.

    python -m earpiece.training.safety [--public ../shared/data/public] [--out models/safety]

Reads the hand-written statements in models/safety/data/<lang>.<label>.txt (a fixed fifth of
them, by a hash of the text, is the dev split), the NLU's training utterances and the train
splits of GoEmotions (en, ko) and 3i4k as ordinary text. Fits a multinomial logistic
regression (scikit-learn, the `bench` extra) on the USE embeddings the companion already
computes plus hashed n-grams, chooses per-language thresholds on the dev split, writes
models/safety/crisis.npz
and prints a recall / false-alarm table. The device reads it with NumPy alone.
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
RECALL_TARGET = 0.95
"""Recall of crisis statements wanted on the dev split."""
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


def is_dev(text: str) -> bool:
    """A fixed fifth of the hand-written statements, by hash, kept for choosing thresholds."""
    return zlib.crc32(text.strip().lower().encode()) % 5 == 0


def own_examples(data_dir: Path) -> list[Example]:
    """The hand-written statements: <lang>.<label>.txt, one per line."""
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
    out = []
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
    """Multinomial logistic regression (scikit-learn at training time only)."""
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("training the crisis classifier needs scikit-learn: pip install -e '.[bench]'")
    model = LogisticRegression(C=C, max_iter=3000)
    model.fit(x, y, sample_weight=weight)
    return model


def probabilities(weights: np.ndarray, bias: np.ndarray, texts: list[str]) -> np.ndarray:
    """Softmax of the linear scores, [n, classes]; the same sum the device computes."""
    z = np.asarray(features(texts) @ weights.T) + bias
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def choose(pos: np.ndarray, ordinary_sets: list[np.ndarray], cap: float, floor: float) -> float:
    """The threshold: the highest that keeps dev recall >= target, unless some set of ordinary
    text then raises more than `cap` false alarms; then the lowest within the cap on every set."""
    for_recall = float(np.quantile(pos, 1 - RECALL_TARGET)) if len(pos) else 0.5
    within_cap = max((float(np.quantile(p, 1 - cap)) for p in ordinary_sets if len(p)), default=0)
    return round(max(for_recall, within_cap, floor), 4)


def main(argv: list[str] | None = None) -> None:
    """Train, choose thresholds, write crisis.json, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", type=Path, default=paths.project_root().parent / "shared"
                        / "data" / "public")  # fmt: skip
    parser.add_argument("--out", type=Path, default=paths.models_dir() / "safety")
    args = parser.parse_args(argv)
    cache = Path(os.environ.get("EARPIECE_EMBED_CACHE", ""))
    if cache.name and cache.is_file():
        with np.load(cache, allow_pickle=False) as saved:
            _CACHE.update(zip(saved["texts"].tolist(), saved["vectors"], strict=True))

    own = own_examples(args.out / "data")
    train_own = [e for e in own if not is_dev(e.text)]
    dev_own = [e for e in own if is_dev(e.text)]
    train_ordinary = ordinary(nlu_texts("train"), "nlu")
    for name, texts in public_texts(args.public, "train", PUBLIC_PER_SET).items():
        train_ordinary += ordinary(texts, name)
    train = train_own + train_ordinary
    print(f"training on {len(train_own)} own + {len(train_ordinary)} ordinary sentences",
          file=sys.stderr)  # fmt: skip
    x = features([e.text for e in train])
    y = np.array([CLASSES.index(e.label) for e in train])
    # Own statements weigh as much as all ordinary text together, per class.
    counts = {c: sum(1 for e in train_own if e.label == c) for c in CLASSES}
    weight = np.array([
        (len(train_ordinary) / (3 * counts[e.label])) if e.source == "own"
        else NLU_WEIGHT if e.source == "nlu" else 1.0
        for e in train
    ], np.float64)  # fmt: skip
    model = fit(x, y, weight)
    order = [list(model.classes_).index(i) for i in range(len(CLASSES))]
    weights = model.coef_[order].astype(np.float32)
    bias = model.intercept_[order].astype(np.float32)

    dev_nlu = nlu_texts("dev")
    dev_public = public_texts(args.public, "dev", PUBLIC_PER_SET)
    thresholds: dict[str, dict[str, float]] = {"crisis": {}, "emergency": {}}
    for lang in LANGS:
        ordinary_dev = [[t for t, lg in dev_nlu if lg == lang]]
        ordinary_dev += [[t for t, lg in texts if lg == lang] for texts in dev_public.values()]
        p_ord = [probabilities(weights, bias, texts) for texts in ordinary_dev if texts]
        for k, label in ((1, "crisis"), (2, "emergency")):
            pos = [e.text for e in dev_own if e.lang == lang and e.label == label]
            p_pos = probabilities(weights, bias, pos)[:, k]
            cap = ORDINARY_FA_CAP[label]
            thresholds[label][lang] = choose(p_pos, [p[:, k] for p in p_ord], cap, FLOOR[label])
    meta = {
        "about": "crisis / emergency / none from USE multilingual v3 embeddings and hashed "
        "n-grams; made by `python -m earpiece.training.safety` (see models/safety/README.md)",
        "classes": list(CLASSES),
        "ngrams": NGRAMS.to_dict(),
        "ngram_scale": NGRAM_SCALE,
        "threshold": thresholds,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "crisis.npz"
    np.savez_compressed(target, meta=np.array(json.dumps(meta)), weights=weights, bias=bias)
    print(f"wrote {target}; thresholds {thresholds}", file=sys.stderr)
    report(args.public, dev_own)
    if cache.name:
        np.savez(cache, texts=np.array(list(_CACHE)), vectors=np.stack(list(_CACHE.values())))


def verdicts(texts: list[str]) -> tuple[list[str | None], list[str | None]]:
    """What the device answers to each text (rules, prototypes, classifier), and the classifier
    alone.

    Same decision as safety.danger(text, "unknown"), with the embeddings computed in batches.
    """
    from earpiece.companion import safety

    safety.classifier.cache_clear()
    model = safety.classifier()
    literal = [safety._literal(t)[:500] for t in texts]
    probs = model.probabilities(embed(literal), literal)
    vectors = embed(literal)
    both, alone = [], []
    for text, lit, p, v in zip(texts, literal, probs, vectors, strict=True):
        lang = "ko" if any("\uac00" <= ch <= "\ud7a3" for ch in text) else "en"
        by_model = _label(model.decide(p, lang)) if lit.strip() else None
        by_meaning = _label(safety.by_meaning(lit, v)) if lit.strip() else None
        both.append(_label(safety.rules(text)) or by_meaning)
        alone.append(by_model)
    return both, alone


def report(public: Path, dev_own: list[Example]) -> None:
    """Recall and false alarms of the detector as the device runs it (rules + classifier)."""
    print("| set | lang | measure | rules + prototypes + classifier | classifier alone |")
    print("|---|---|---|---|---|")
    for lang in LANGS:
        for label in CLASSES:
            texts = [e.text for e in dev_own if e.lang == lang and e.label == label]
            both, alone = verdicts(texts)
            want = None if label == "none" else label
            a = sum(v == want for v in both)
            b = sum(v == want for v in alone)
            n = len(texts)
            if label == "none":
                print(f"| own dev hard negatives | {lang} | false alarms | {n - a}/{n} "
                      f"| {n - b}/{n} |")  # fmt: skip
            else:
                print(f"| own dev | {lang} | {label} found | {a}/{n} | {b}/{n} |")
    sets = {"NLU dev": nlu_texts("dev")}
    for name, texts in public_texts(public, "test", None).items():
        sets[f"{name} test"] = texts
    for name, pairs in sets.items():
        for lang in LANGS:
            texts = [t for t, lg in pairs if lg == lang]
            if not texts:
                continue
            both, alone = verdicts(texts)
            n = len(texts)
            a = sum(v is not None for v in both)
            b = sum(v is not None for v in alone)
            print(f"| {name} | {lang} | false alarms | {a}/{n} ({100 * a / n:.2f}%) "
                  f"| {b}/{n} ({100 * b / n:.2f}%) |")  # fmt: skip


def _label(found) -> str | None:
    return None if found is None else found.value


if __name__ == "__main__":
    main()
