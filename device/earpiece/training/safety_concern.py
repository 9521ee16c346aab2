"""Re-derive the check-in band's per-language `concern` thresholds out of fold into crisis.npz.

    python -m earpiece.training.safety_concern [--public DIR]

The shipped classifier (weights, bank, stack, crisis and emergency thresholds) is left exactly
as it is; only meta["threshold"]["concern"] is added. Per language, the concern threshold is
the highest crisis score at which the out-of-fold recall of crisis statements, counting a full
crisis reply OR a check-in, reaches RECALL_TARGET; unless that would make the classifier check
in on more than ORDINARY_CAP of any ordinary dev set, where the cap wins (and the recall it
gives is printed). The out-of-fold scores are those of `earpiece.training.safety_cv`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

from earpiece import paths
from earpiece.training import safety_data as train
from earpiece.training.embedding import CACHE_ENV

RECALL_TARGET = 0.95
"""Out-of-fold share of crisis statements that get the crisis line (full reply or check-in)."""
ORDINARY_CAP = 0.03
"""Most of any ordinary dev set (NLU dev, GoEmotions dev, 3i4k's held-back tenth) the
classifier may check in on (or alarm on), by clause as the device scores it."""


def band(scored, lang: str, crisis_t: float, concern_t: float, emergency_t: float):
    """(full crisis replies, check-ins, total) over the language's crisis statements, and
    (alarms of any kind, check-ins, total) over its hard negatives, out of fold (rules first,
    as the device runs)."""
    from earpiece.training import safety_cv as cv

    out = {}
    for label in ("crisis", "none"):
        rows = [s for s in scored if s.example.lang == lang and s.example.label == label]
        verdicts = [cv.verdict(s, crisis_t, emergency_t) for s in rows]
        # a crisis statement counts when it gets the crisis line; a hard negative on any alarm
        full = sum(v == "crisis" if label == "crisis" else v is not None for v in verdicts)
        pairs = zip(verdicts, rows, strict=True)
        check = sum(v is None and s.crisis >= concern_t for v, s in pairs)
        out[label] = (full, check, len(rows))
    return out


def choose_concern(scored, model, dev_ordinary) -> dict[str, float]:
    """Per language, the concern threshold (see the module docstring)."""
    from earpiece.training import safety_cv as cv

    out: dict[str, float] = {}
    for lang in train.LANGS:
        crisis_t = model.threshold["crisis"][lang]
        em = model.threshold["emergency"][lang]
        caps = []
        for texts in dev_ordinary.values():
            texts = [t for t, lg in texts if lg == lang]
            if texts:
                crisis, _ = cv.device_scores(model, texts)
                caps.append(float(np.quantile(crisis, 1 - ORDINARY_CAP)))
        floor = max(caps, default=0.0) + 1e-4
        chosen = floor
        for t in np.arange(crisis_t, 0.0, -0.005):
            full, check, n = band(scored, lang, crisis_t, float(t), em)["crisis"]
            if (full + check) / max(1, n) >= RECALL_TARGET:
                chosen = max(float(t), floor)
                break
        out[lang] = round(min(chosen, crisis_t), 4)
        print(f"{lang}: ordinary cap needs > {floor:.4f}; concern {out[lang]}", file=sys.stderr)
    return out


def print_band(scored, model, concern: dict[str, float]) -> None:
    """The markdown table of the band, out of fold."""
    print(
        "| lang | concern threshold | crisis: full reply + check-in / total "
        "| hard negatives: full + check-in / total |"
    )
    print("|---|---|---|---|")
    for lang in train.LANGS:
        th = model.threshold
        r = band(scored, lang, th["crisis"][lang], concern[lang], th["emergency"][lang])
        (cf, cc, cn), (nf, nc, nn) = r["crisis"], r["none"]
        print(
            f"| {lang} | {concern[lang]} | {cf} + {cc} = {cf + cc}/{cn} ({(cf + cc) / cn:.3f}) "
            f"| {nf} + {nc} = {nf + nc}/{nn} ({(nf + nc) / nn:.3f}) |"
        )


def report_ordinary(public: Path) -> None:
    """Full alarms and check-ins, as the device gives them, on ordinary text never chosen on."""
    import random

    from earpiece.training import safety_cv as cv

    rng = random.Random(train.SEED + 1)
    sets = {"NLU dev": train.nlu_texts("dev")}
    for name, texts in train.public_texts(public, "test", None).items():
        sets[f"{name} test"] = texts
    print("\n| set | lang | full alarms (rules + classifier) | check-ins |")
    print("|---|---|---|---|")
    for name, pairs in sets.items():
        for lang in train.LANGS:
            lang_texts = [t for t, lg in pairs if lg == lang]
            if not lang_texts:
                continue
            sample = rng.sample(lang_texts, min(len(lang_texts), train.REPORT_SAMPLE))
            verdicts = cv.device_verdicts(sample)  # the device's, the band included
            n = len(sample)
            full = sum(v not in (None, "concern") for v in verdicts)
            check = sum(v == "concern" for v in verdicts)
            print(
                f"| {name} | {lang} | {full}/{n} ({100 * full / n:.2f}%) "
                f"| {check}/{n} ({100 * check / n:.2f}%) |"
            )


def main(argv: list[str] | None = None) -> None:
    """Score out of fold, choose the concern thresholds, add them to crisis.npz's meta."""
    from earpiece.nlu import safety
    from earpiece.training import safety_cv as cv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--public", type=Path, default=paths.project_root().parent / "shared" / "data" / "public"
    )
    parser.add_argument("--out", type=Path, default=paths.models_dir() / "safety")
    args = parser.parse_args(argv)
    cache = Path(os.environ.get(CACHE_ENV, ""))
    train.load_cache(cache)
    target = args.out / safety.CLASSIFIER_FILE
    model = safety.load_classifier(target)  # the file at --out, not the device's
    own = train.own_examples(args.out / "data")
    folds = cv.out_of_fold(own, train.training_ordinary(args.public), train.FOLDS)
    scored = cv.score(folds, model.stack)
    concern = choose_concern(scored, model, train.ordinary_dev(args.public))
    with np.load(target, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(str(arrays.pop("meta")))
    meta["threshold"]["concern"] = concern
    np.savez_compressed(target, meta=np.array(json.dumps(meta)), **arrays)
    safety.classifier.cache_clear()
    print(f"wrote {target}; concern thresholds {concern}", file=sys.stderr)
    print_band(scored, model, concern)
    report_ordinary(args.public)
    train.save_cache(cache)


if __name__ == "__main__":
    main()
