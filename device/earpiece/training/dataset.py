"""Reads the NLU training and dev data (TSV files under models/nlu/data/<lang>/)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from earpiece.nlu.act import Act
from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS

UNLABELLED = "-"
"""A label cell meaning: this line teaches (and measures) nothing for that head."""
PUBLIC_PREFIX = "public-"
"""Files mapped from public sets (models/nlu/PUBLIC_DATA.md) start with this."""
ACTS: tuple[str, ...] = tuple(a.value for a in Act)
HEADERS = (["text", "intent", "emotion"], ["text", "intent", "emotion", "act"])


class DataError(Exception):
    """A data file is malformed or uses a label that is not in the contract."""


@dataclass(frozen=True)
class Example:
    """One labelled utterance; a label is None when its file leaves it unlabelled ('-')."""

    text: str
    intent: str | None
    emotion: str | None
    lang: str
    act: str | None = None
    source: str = ""
    """The file's part name (e.g. 'intents_a', 'public-hwu64')."""

    @property
    def public(self) -> bool:
        """True for lines mapped from a public set, False for the authored data."""
        return self.source.startswith(PUBLIC_PREFIX)

    def with_text(self, text: str) -> Example:
        return replace(self, text=text)


def _label(cell: str, allowed: tuple[str, ...], what: str, where: str) -> str | None:
    if cell == UNLABELLED:
        return None
    if cell not in allowed:
        raise DataError(f"{where}: unknown {what} {cell!r} (use one of {', '.join(allowed)}, or -)")
    return cell


def _read(path: Path, lang: str) -> list[Example]:
    rows: list[Example] = []
    source = path.name.split(".")[0]
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header not in HEADERS:
            raise DataError(
                f"{path}: first line must be 'text<TAB>intent<TAB>emotion' (optionally <TAB>act)"
            )
        width = len(header)
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != width:
                raise DataError(f"{path}:{number}: expected {width} columns, found {len(row)}")
            text, intent, emotion, *act = (cell.strip() for cell in row)
            where = f"{path}:{number}"
            rows.append(
                Example(
                    text,
                    _label(intent, INTENTS, "intent", where),
                    _label(emotion, EMOTIONS, "emotion", where),
                    lang,
                    _label(act[0], ACTS, "act", where) if act else None,
                    source,
                )
            )
    return rows


def data_files(data_dir: Path, split: str) -> list[Path]:
    """The files of one split ('train', 'dev' or 'test'), sorted so that order never varies."""
    return sorted(p for lang in LANGS for p in (data_dir / lang).glob(f"*.{split}.tsv"))


def load_split(data_dir: Path, split: str) -> list[Example]:
    """All examples of one split, in a fixed order."""
    files = data_files(data_dir, split)
    if not files:
        raise DataError(f"{data_dir}: no *.{split}.tsv files under ko/ or en/")
    return [ex for path in files for ex in _read(path, path.parent.name)]


def load_file(path: Path) -> list[Example]:
    """The examples of one file (its language is its folder's name)."""
    return _read(path, path.parent.name)


def data_hash(data_dir: Path) -> str:
    """sha256 over every data file's path and bytes: the identity of the training data."""
    digest = hashlib.sha256()
    for path in data_files(data_dir, "train") + data_files(data_dir, "dev"):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
