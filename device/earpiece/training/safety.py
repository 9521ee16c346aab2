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
import json
import os
import random
import sys
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.training.embedding import CACHE_ENV
from earpiece.training.safety_data import (
    CLASSES,
    CLAUSE_PENALTY,
    FLOOR,
    FOLDS,
    HARD_FA_CAP,
    LANGS,
    NEIGHBOURS,
    NGRAM_SCALE,
    NGRAMS,
    ORDINARY_FA_CAP,
    REPORT_SAMPLE,
    SEED,
    THRESHOLD_STEP,
    Example,
    embed,
    features,
    fit,
    load_cache,
    nlu_texts,
    ordinary_dev,
    ordinary_weights,
    own_examples,
    own_weights,
    public_texts,
    save_cache,
    training_ordinary,
)


def main(argv: list[str] | None = None) -> None:
    """Cross-validate, stack, choose thresholds, train on everything, write crisis.npz."""
    from earpiece.nlu import safety
    from earpiece.training import safety_cv as cv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--public", type=Path, default=paths.project_root().parent / "shared" / "data" / "public"
    )
    parser.add_argument("--out", type=Path, default=paths.models_dir() / "safety")
    parser.add_argument(
        "--misses", action="store_true", help="list the cross-validated misses and false alarms"
    )
    args = parser.parse_args(argv)
    cache = Path(os.environ.get(CACHE_ENV, ""))
    load_cache(cache)

    own = own_examples(args.out / "data")
    train_ordinary = training_ordinary(args.public)
    print(f"training on {len(own)} own + {len(train_ordinary)} ordinary sentences", file=sys.stderr)
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
    target = args.out / safety.CLASSIFIER_FILE
    write(target, meta, weights, bias, bank, bank_crisis)
    model = safety.load_classifier(target)  # the file just written, wherever --out is
    dev_ordinary = ordinary_dev(args.public)
    thresholds = choose(scored, model, dev_ordinary)
    meta["threshold"] = thresholds
    write(target, meta, weights, bias, bank, bank_crisis)
    from earpiece.training.safety_concern import choose_concern  # the check-in band

    thresholds["concern"] = choose_concern(scored, safety.load_classifier(target), dev_ordinary)
    write(target, meta, weights, bias, bank, bank_crisis)
    safety.classifier.cache_clear()
    print(f"wrote {target}; stack {stack}; thresholds {thresholds}", file=sys.stderr)
    cv.print_curve(scored, thresholds)
    if args.misses:
        cv.print_misses(scored, thresholds)
    report(args.public)
    save_cache(cache)


def write(target: Path, meta: dict, weights, bias, bank, bank_crisis) -> None:
    """The classifier file the device reads with NumPy alone."""
    np.savez_compressed(
        target,
        meta=np.array(json.dumps(meta)),
        weights=weights,
        bias=bias,
        bank=bank.astype(np.float16),
        bank_crisis=bank_crisis,
    )


def statement_bank(own: list[Example]) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings of the hand-written crisis statements and hard negatives, and which is which."""
    from earpiece.nlu import safety

    rows = [e for e in own if e.label in ("crisis", "none")]
    vectors = embed([safety.without_figures(e.text) for e in rows])
    return vectors, np.array([e.label == "crisis" for e in rows])


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
        crisis_cap = max(
            (float(np.quantile(c, 1 - ORDINARY_FA_CAP["crisis"])) for c, _ in ordinary_scores),
            default=0.0,
        )
        emergency_cap = max(
            (float(np.quantile(e, 1 - ORDINARY_FA_CAP["emergency"])) for _, e in ordinary_scores),
            default=0.0,
        )
        emergency = round(max(FLOOR["emergency"], emergency_cap + 1e-4), 4)
        crisis = 0.99
        for t in np.arange(FLOOR["crisis"], 0.995, THRESHOLD_STEP):
            if t <= crisis_cap:
                continue
            if cv.hard_false_alarms(scored, lang, float(t), emergency) <= HARD_FA_CAP:
                crisis = float(t)
                break
        out["crisis"][lang] = round(crisis, 4)
        out["emergency"][lang] = emergency
    return out


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


if __name__ == "__main__":
    main()
