"""What the crisis classifier's training shares: its settings (C, folds, caps), the data
(hand-written statements, the NLU's utterances, public ordinary text), features, embeddings,
weights and fitting. Used by the trainer (safety.py), its cross-validation (safety_cv.py) and
the check-in band's tuning (safety_concern.py), none of which import each other's commands.
"""

from __future__ import annotations

import csv
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
THRESHOLD_STEP = 0.005
"""The crisis threshold is chosen among FLOOR["crisis"] + k * THRESHOLD_STEP."""
PUBLIC_PER_SET = 10000
"""Sentences sampled from each public train split (seeded)."""
SEED = 7
NGRAMS = FeatureSpec(dim=8192, char_ngrams=(2, 3, 4), flat_ngrams=(), word_ngrams=(1, 2))
"""Hashed char/jamo and word n-grams beside the embedding (they carry Korean, where the
embedding alone separates crisis from ordinary talk poorly)."""
NGRAM_SCALE = 1.0
C = 4.0
"""Inverse regularisation strength of the logistic regression."""
NLU_WEIGHT = 5.0
"""Weight of each NLU training utterance against one public sentence: they are what people say
to the device, and the closest ordinary talk to the boundary (sad, lonely, tired)."""


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
    from earpiece.nlu.safety import rules

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


def ordinary_dev(public: Path) -> dict[str, list[tuple[str, str]]]:
    """Ordinary dev text (NLU dev, GoEmotions dev, 3i4k's held-back tenth), sampled."""
    rng = random.Random(SEED)
    sets = {"nlu dev": nlu_texts("dev")}
    for name, texts in public_texts(public, "dev", None).items():
        sets[f"{name} dev"] = texts
    return {k: rng.sample(v, min(len(v), ORDINARY_DEV_SAMPLE)) for k, v in sets.items()}


def load_cache(cache: Path) -> None:
    """Read memoised embeddings (the file named by embedding.CACHE_ENV) when the file exists."""
    if cache.name and cache.is_file():
        with np.load(cache, allow_pickle=False) as saved:
            _CACHE.update(zip(saved["texts"].tolist(), saved["vectors"], strict=True))


def save_cache(cache: Path) -> None:
    """Write this run's embeddings to the file embedding.CACHE_ENV names, when it is set."""
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


REPORT_SAMPLE = 3000
"""Sentences sampled from each ordinary test set for the false-alarm report."""
