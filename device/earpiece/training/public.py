"""Maps the public sets (HWU64, GoEmotions en/ko, 3i4k) onto Earpiece's labels as TSV files.

Run once to (re)write models/nlu/data/<lang>/public-<set>.{train,test}.tsv from
../shared/data/public (see models/nlu/PUBLIC_DATA.md for the mapping and licences):

    python -m earpiece.training.public ../shared/data/public models/nlu/data

Each set's own test split goes to `.test.tsv`, which training never reads (load_split reads
only `.train.tsv` and `.dev.tsv`). Big sets are subsampled with a fixed seed, per label, so
the file is the same on every run and `earpiece train` stays within minutes.
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from earpiece.nlu.featurizer import normalize
from earpiece.training.acts import hwu64_act

UNLABELLED = "-"
"""A label cell that says: this head does not learn from (or get measured on) this line."""
HEADER = ("text", "intent", "emotion", "act")
SEED = 20261201

HWU64_TEST_FOLDS = frozenset({"10"})
"""HWU64 comes as ten folds; fold 10 is kept for measuring, folds 1-9 are trained on."""
HWU64_INTENTS = {
    ("alarm", "set"): "set_reminder",
    ("alarm", "query"): "list_reminders",
    ("alarm", "remove"): "cancel_reminder",
    ("audio", "volume_up"): "volume_up",
    ("audio", "volume_down"): "volume_down",
    ("general", "affirm"): "affirm",
    ("general", "negate"): "deny",
    ("general", "commandstop"): "stop",
    ("general", "repeat"): "repeat",
    ("general", "joke"): "tell_joke",
    ("general", "praise"): "thanks",
}
"""HWU64 (scenario, intent) -> ours; datetime/query is split by its words (below)."""
HWU64_LEFT_OUT = frozenset(
    {
        ("calendar", "set"),  # half are reminders, half calendar events: neither label is right
        ("calendar", "query"),
        ("calendar", "remove"),
        ("audio", "volume_mute"),  # mute is between stop and volume_down
        ("general", "quirky"),  # chit-chat: ask_companion, share_feeling or unknown, per line
        ("general", "explain"),  # "what did you mean": near repeat, not it
        ("general", "confirm"),  # "check what I said": no such intent
        ("general", "dontcare"),  # "doesn't matter to me": no such intent
        ("music", "likeness"),  # "i like alt rock" / "add this song to my favourites": per line
        # remember_fact or unknown; as unknown it taught that a told taste is out of scope
    }
)
"""Intents with no clean counterpart: neither trained on nor measured."""
HWU64_OOS_TRAIN = 2500
"""Out-of-scope HWU64 lines trained on (of about 6,000 in folds 1-9)."""
_ELSEWHERE = re.compile(
    r"\b(in|at|zone|zones|eastern|pacific|central|mountain|gmt|utc|est|pst|cst|london|tokyo|"
    r"paris|york|india|china|convert|difference)\b"
)
_DATE_WORDS = re.compile(
    r"\b(date|day|days|today|today's|month|year|weekday|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)\b"
)


def hwu64_intent(scenario: str, intent: str, text: str) -> str | None:
    """Our intent for one HWU64 line; None when it does not map cleanly (left out)."""
    if (scenario, intent) in HWU64_LEFT_OUT:
        return None
    if (scenario, intent) in HWU64_INTENTS:
        return HWU64_INTENTS[(scenario, intent)]
    if (scenario, intent) == ("datetime", "query"):
        norm = normalize(text)
        if _ELSEWHERE.search(norm):
            return None  # another city's time or a conversion: not the device's clock
        if _DATE_WORDS.search(norm) and "time" not in norm.split():
            return "ask_date"
        if ({"time", "clock"} & set(norm.split())) and not _DATE_WORDS.search(norm):
            return "ask_time"
        return None
    return "unknown"  # music, weather, iot, email, news, qa, transport, ...: out of scope


GOEMOTIONS = {
    "neutral": "neutral",
    "joy": "joy",
    "amusement": "joy",
    "excitement": "joy",
    "pride": "joy",
    "relief": "joy",
    "gratitude": "joy",
    "sadness": "sadness",
    "grief": "sadness",
    "disappointment": "sadness",
    "remorse": "sadness",
    "anger": "anger",
    "annoyance": "anger",
    "fear": "anxiety",
    "nervousness": "anxiety",
    "love": "affection",
    "caring": "affection",
}
"""GoEmotions label -> ours. Left out (the line is dropped when it carries one of these and no
mapped label, or when its labels map to two of ours): admiration, approval, optimism, desire,
curiosity, confusion, realization, surprise, disapproval, disgust, embarrassment. They are
either not feelings about oneself (approval, admiration, curiosity) or sit between two of ours
(optimism: joy or anxiety; disgust, disapproval: anger or not; embarrassment: sadness or
anxiety). GoEmotions has no loneliness or tiredness: those come from the authored data only."""
GOEMOTIONS_PER_LABEL = 300
"""Training lines per emotion per language (Reddit comments; the authored data stays the core)."""

I3K_ACTS = {"1": "statement", "2": "question", "3": "request"}
"""3i4k label -> our act. Left out: 0 fragment (no act), 4 rhetorical question and 5 rhetorical
command (their form and their act disagree), 6 intonation-dependent (text alone cannot tell)."""
I3K_PER_ACT = 1500
ACT_ORDER = ("question", "request", "statement")


def _write(path: Path, rows: Iterable[tuple[str, str, str, str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\t".join(HEADER) + "\n")
        for row in rows:
            handle.write("\t".join(row) + "\n")
            count += 1
    return count


def _clean(text: str) -> str:
    return " ".join(text.replace("\t", " ").split())


def _ours(out: Path, lang: str, split: str) -> set[str]:
    """Normalised authored lines of one language and split ('train' or 'dev')."""
    from earpiece.training.dataset import load_file

    files = sorted((out / lang).glob(f"*.{split}.tsv"))
    return {
        normalize(ex.text)
        for path in files
        if not path.name.startswith("public-")
        for ex in load_file(path)
    }


def _apart(train: list, test: list, out: Path, lang: str) -> tuple[list, list]:
    """Keep splits apart: no public test line the authored data has, no public training line
    that is a public test line or one of our dev lines."""
    ours = _ours(out, lang, "train") | _ours(out, lang, "dev")
    test = [row for row in test if normalize(row[0]) not in ours]
    held = {normalize(row[0]) for row in test} | _ours(out, lang, "dev")
    return [row for row in train if normalize(row[0]) not in held], test


def _sample(groups: dict[str, list], per_label: int, rng: random.Random) -> list:
    out = []
    for label in sorted(groups):
        rows = groups[label]
        out.extend(rows if len(rows) <= per_label else rng.sample(rows, per_label))
    return out


def hwu64(src: Path, out: Path) -> dict[str, int]:
    """HWU64 -> en/public-hwu64.{train,test}.tsv (emotion neutral: these are requests; the act
    comes from the intent, training/acts.py)."""
    train, test, seen = [], [], set()
    with (src / "hwu64" / "hwu64.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        lines = [(r["fold"], r["scenario"], r["intent"], _clean(r["text"])) for r in reader]
    test_norms = {normalize(t) for f, _, _, t in lines if f in HWU64_TEST_FOLDS}
    for fold, scenario, intent, text in lines:
        ours = hwu64_intent(scenario, intent, text)
        norm = normalize(text)
        if ours is None or not norm:
            continue
        act = hwu64_act(scenario, intent, text) or UNLABELLED
        row = (text, ours, "neutral", act)
        if fold in HWU64_TEST_FOLDS:
            test.append(row)
        elif norm not in test_norms and norm not in seen:  # no test line is trained on
            seen.add(norm)
            train.append(row)
    train, test = _apart(train, test, out, "en")
    inside = [row for row in train if row[1] != "unknown"]
    outside = [row for row in train if row[1] == "unknown"]
    if len(outside) > HWU64_OOS_TRAIN:  # enough to learn "out of scope", not to drown the rest
        outside = random.Random(SEED).sample(outside, HWU64_OOS_TRAIN)
    train = inside + sorted(outside, key=lambda row: (row[0], row[1]))
    return {
        "train": _write(out / "en" / "public-hwu64.train.tsv", train),
        "test": _write(out / "en" / "public-hwu64.test.tsv", test),
    }


def _goemotion(labels: list[str], ids: str) -> str | None:
    names = {labels[int(i)] for i in ids.split(",")}
    mapped = {GOEMOTIONS[n] for n in names if n in GOEMOTIONS}
    if len(mapped) != 1 or any(n not in GOEMOTIONS for n in names):
        return None
    return mapped.pop()


def goemotions(src: Path, out: Path) -> dict[str, int]:
    """GoEmotions en + ko -> <lang>/public-goemotions.{train,test}.tsv (intent unlabelled)."""
    counts = {}
    for lang in ("en", "ko"):
        folder = src / "goemotions" / lang
        labels = (folder / "labels.txt").read_text(encoding="utf-8").split()
        groups: dict[str, dict[str, list]] = {}
        for split in ("train", "test"):
            groups[split] = defaultdict(list)
            with (folder / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
                for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                    text, emotion = _clean(cells[0]), _goemotion(labels, cells[1])
                    if emotion and normalize(text):
                        groups[split][emotion].append((text, UNLABELLED, emotion, UNLABELLED))
        test = [r for label in sorted(groups["test"]) for r in groups["test"][label]]
        train = [r for label in sorted(groups["train"]) for r in groups["train"][label]]
        train, test = _apart(train, test, out, lang)
        by_label: dict[str, list] = defaultdict(list)
        for row in train:
            by_label[row[2]].append(row)
        train = _sample(by_label, GOEMOTIONS_PER_LABEL, random.Random(SEED))
        counts[f"{lang}-train"] = _write(out / lang / "public-goemotions.train.tsv", train)
        counts[f"{lang}-test"] = _write(out / lang / "public-goemotions.test.tsv", test)
    return counts


def i3k(src: Path, out: Path) -> dict[str, int]:
    """3i4k -> ko/public-3i4k.{train,test}.tsv (act only; intent and emotion unlabelled)."""
    rows: dict[str, list] = {}
    for split, name in (("train_val", "train"), ("test", "test")):
        rows[name] = []
        with (src / "3i4k" / f"{split}.tsv").open(encoding="utf-8", newline="") as handle:
            for cells in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                act, text = I3K_ACTS.get(cells[0]), _clean(cells[1])
                if act and normalize(text):
                    rows[name].append((text, UNLABELLED, UNLABELLED, act))
    train, test = _apart(rows["train"], rows["test"], out, "ko")
    by_act: dict[str, list] = defaultdict(list)
    for row in train:
        by_act[row[3]].append(row)
    train = _sample(by_act, I3K_PER_ACT, random.Random(SEED))
    test.sort(key=lambda row: ACT_ORDER.index(row[3]))
    return {
        "train": _write(out / "ko" / "public-3i4k.train.tsv", train),
        "test": _write(out / "ko" / "public-3i4k.test.tsv", test),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m earpiece.training.public SHARED_PUBLIC_DIR DATA_DIR")
        return 2
    src, out = Path(argv[0]), Path(argv[1])
    for name, job in (("hwu64", hwu64), ("goemotions", goemotions), ("3i4k", i3k)):
        print(name, job(src, out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
