"""Drops new NLU training lines that repeat existing data or come too close to held-out lines.

Usage (from the repository root, with the project's venv):

    PYTHONPATH=$PWD/device python tools/nlu_data_filter.py models/nlu/data/ko/round6.train.tsv
    PYTHONPATH=$PWD/device python tools/nlu_data_filter.py --write models/nlu/data/*/round6.*.tsv

For each candidate file (its language is its folder's name) a line is dropped when:

- after `normalize` it equals an earlier line of the same file;
- after `normalize` it equals any other train or held-out line of its language;
- its hashed feature vector (the committed manifest's FeatureSpec) has cosine similarity
  >= --threshold (default `overlap.NEAR`, 0.7) with any held-out line of its language.

Held out: the dev split and the blind set (benchmarks/data/nlu_blind.tsv, --blind), and with
--weeks the lines people say in week suites (`week_bench.py` JSONL, e.g. the seen blind weeks),
so figures measured on those weeks are not memory.
Only counts and the candidate's own dropped lines are printed: held-out lines are never
shown, so the author of new data never reads them. With --write the kept lines are written
back to the candidate file (header and order kept); without it nothing is changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from earpiece.nlu.featurizer import FeatureSpec, normalize
from earpiece.training.dataset import DataError, load_file
from earpiece.training.overlap import NEAR, closest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "models" / "nlu" / "data"
MANIFEST = REPO / "models" / "nlu" / "manifest.json"
BLIND = REPO / "benchmarks" / "data" / "nlu_blind.tsv"


def _spec(manifest: Path) -> FeatureSpec:
    try:
        features = json.loads(manifest.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as err:
        message = f"{manifest}: cannot read the 'features' key ({err}); pass --manifest"
        raise SystemExit(message) from err
    return FeatureSpec.from_dict(features)


def _texts(paths: list[Path]) -> list[str]:
    return [ex.text for path in paths for ex in load_file(path)]


def _blind_texts(blind: Path | None, lang: str) -> list[str]:
    """The blind set's lines of one language (a `lang<TAB>text<TAB>...` file)."""
    if blind is None or not blind.exists():
        return []
    lines = blind.read_text(encoding="utf-8").splitlines()[1:]
    return [cells[1] for line in lines if len(cells := line.split("\t")) > 1 and cells[0] == lang]


def _week_texts(weeks: list[Path], lang: str) -> list[str]:
    """What people say in week suites (JSONL, one turn a line), in one language."""
    turns = [json.loads(line) for path in weeks for line in path.read_text("utf-8").splitlines()]
    return [str(t["say"]) for t in turns if t.get("lang") == lang and "say" in t]


def filter_file(
    candidate: Path,
    data_dir: Path,
    spec: FeatureSpec,
    threshold: float,
    write: bool,
    blind: Path | None = BLIND,
    weeks: list[Path] | None = None,
) -> tuple[int, int]:
    """Filter one candidate file; return (kept, dropped) and print the dropped lines."""
    lang = candidate.parent.name
    folder = data_dir / lang
    others = [p for p in sorted(folder.glob("*.train.tsv")) if p.resolve() != candidate.resolve()]
    dev_files = sorted(folder.glob("*.dev.tsv"))
    train_norm = {normalize(t) for t in _texts(others)}
    dev_texts = _texts(dev_files) + _blind_texts(blind, lang) + _week_texts(weeks or [], lang)
    dev_norm = {normalize(t) for t in dev_texts}

    rows = load_file(candidate)
    header = candidate.read_text(encoding="utf-8").split("\n", 1)[0].strip()
    acts = header.endswith("\tact")
    near = closest([ex.text for ex in rows], dev_texts, spec)

    seen: set[str] = set()
    kept_lines: list[str] = []
    reasons = {
        "repeat in file": 0,
        "same as train": 0,
        "same as held-out": 0,
        "close to held-out": 0,
    }
    for ex, sim in zip(rows, near, strict=True):
        norm = normalize(ex.text)
        reason = None
        if norm in seen:
            reason = "repeat in file"
        elif norm in train_norm:
            reason = "same as train"
        elif norm in dev_norm:
            reason = "same as held-out"
        elif sim >= threshold:
            reason = "close to held-out"
        seen.add(norm)
        if reason:
            reasons[reason] += 1
            print(
                f"  drop ({reason}{f', cos {sim:.2f}' if reason == 'close to held-out' else ''}): "
                f"{ex.text}\t{ex.intent}"
            )
            continue
        cells = [ex.text, ex.intent or "-", ex.emotion or "-"] + ([ex.act or "-"] if acts else [])
        kept_lines.append("\t".join(cells))
    dropped = len(rows) - len(kept_lines)
    summary = ", ".join(f"{k} {v}" for k, v in reasons.items())
    print(f"{candidate}: {len(rows)} lines, kept {len(kept_lines)}, dropped {dropped} ({summary})")
    if write and dropped:
        candidate.write_text(header + "\n" + "\n".join(kept_lines) + "\n", encoding="utf-8")
    return len(kept_lines), dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="candidate <lang>/<part>.train.tsv")
    parser.add_argument("--threshold", type=float, default=NEAR, help=f"cosine cut-off ({NEAR})")
    parser.add_argument("--data", type=Path, default=DATA, help="the data folder (ko/, en/)")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help="for the FeatureSpec")
    parser.add_argument("--blind", type=Path, default=BLIND, help="the blind set (held out too)")
    parser.add_argument(
        "--weeks", nargs="*", type=Path, default=[], help="week suites (JSONL) held out too"
    )
    parser.add_argument("--write", action="store_true", help="write the kept lines back")
    args = parser.parse_args(argv)
    spec = _spec(args.manifest)
    for path in args.files:
        if path.parent.name not in ("ko", "en") or not path.name.endswith(".train.tsv"):
            print(f"{path}: expected models/nlu/data/<ko|en>/<part>.train.tsv", file=sys.stderr)
            return 2
        try:
            filter_file(path, args.data, spec, args.threshold, args.write, args.blind, args.weeks)
        except DataError as err:
            print(f"{path}: {err}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
