"""Polarity bench: how often the companion reads a line's feeling the right way round.

The reading is the one a turn uses: the NLU's emotion head, then `mood.read_feeling`, then
`mood.with_polarity` (the polarity model, models/polarity; `--without-model` leaves it out); as in
`week_bench.py`, an emotion counts only at confidence >= MARKED, else the line reads neutral.
Polarity is positive (joy, affection), negative (NEGATIVE) or neutral. Measured per language on
(a) the NLU emotion dev files `models/nlu/data/<lang>/emotions.dev.tsv` (with the raw emotion
head's macro F1 beside it) and (b) the `polarity` lines of the seen week suites. Run:

    python benchmarks/polarity_bench.py            # tables to stdout
    python benchmarks/polarity_bench.py --misses   # also each misread week line (seen sets)
    python benchmarks/polarity_bench.py --without-model   # the reading before the polarity model
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from earpiece.companion.context import MARKED, NEGATIVE
from earpiece.companion.mood import read_feeling, with_polarity
from earpiece.companion.route import in_reply_language
from earpiece.nlu.model import NluModel, Understanding
from earpiece.paths import project_root
from earpiece.training import metrics
from earpiece.training.dataset import load_file

ROOT = project_root()
WEEKS = (
    "week_blind.jsonl",
    "week_blind2.jsonl",
    "week_blind3.jsonl",
    "week_blind4.jsonl",
    "week_blind5.jsonl",
)
USE_MODEL = [True]
"""False with --without-model."""


def polarity(emotion: str) -> str:
    if emotion in ("joy", "affection"):
        return "positive"
    return "negative" if emotion in NEGATIVE else "neutral"


def read(u: Understanding) -> str:
    """The polarity the companion takes from one understanding."""
    head = in_reply_language(u)
    felt = read_feeling(head)
    if USE_MODEL[0]:
        felt, _ = with_polarity(felt, head)
    return polarity(felt.emotion) if felt.emotion_confidence >= MARKED else "neutral"


def dev_rows(model: NluModel) -> list[str]:
    rows = []
    for lang in ("ko", "en"):
        path = ROOT / "models" / "nlu" / "data" / lang / "emotions.dev.tsv"
        examples = [ex for ex in load_file(path) if ex.emotion and ex.emotion != "-"]
        us = model.understand_many([ex.text for ex in examples], default_lang=lang)
        gold = [ex.emotion for ex in examples]
        f1 = metrics.macro_f1(gold, [u.emotion for u in us])
        right = sum(read(u) == polarity(g) for u, g in zip(us, gold, strict=True))
        rows.append(f"| dev {lang} | {len(gold)} | {f1:.3f} | {right / len(gold):.3f} |")
    return rows


def week_rows(model: NluModel, misses: bool) -> list[str]:
    rows, wrong = [], []
    for name in WEEKS:
        path = ROOT / "benchmarks" / "data" / name
        lines = [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines() if s]
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for line in lines:
            want = line.get("expect", {}).get("polarity")
            if not want:
                continue
            u = model.understand(line["say"], default_lang=line["lang"])
            got = read(u)
            counts[line["lang"]][0] += got == want
            counts[line["lang"]][1] += 1
            if got != want:
                wrong.append(
                    f"{name} {want}<-{got} ({u.emotion} {u.emotion_confidence:.2f}) {u.text}"
                )
        for lang, (right, total) in sorted(counts.items()):
            rows.append(f"| {name} {lang} | {total} | | {right / total:.3f} ({right}) |")
    return rows + (["", *wrong] if misses else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="NLU model (default: committed)")
    parser.add_argument("--misses", action="store_true", help="print misread week lines")
    parser.add_argument("--without-model", action="store_true", help="no polarity model")
    args = parser.parse_args()
    USE_MODEL[0] = not args.without_model
    model = NluModel.load(args.model)
    print("| set | lines | emotion macro F1 | polarity right |")
    print("|---|---|---|---|")
    print("\n".join(dev_rows(model) + week_rows(model, args.misses)))


if __name__ == "__main__":
    main()
