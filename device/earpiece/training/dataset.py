"""Reads the NLU training and dev data (TSV files under models/nlu/data/<lang>/)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS


class DataError(Exception):
    """A data file is malformed or uses a label that is not in the contract."""


@dataclass(frozen=True)
class Example:
    """One labelled utterance."""

    text: str
    intent: str
    emotion: str
    lang: str


def _read(path: Path, lang: str) -> list[Example]:
    rows: list[Example] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header != ["text", "intent", "emotion"]:
            raise DataError(f"{path}: first line must be 'text<TAB>intent<TAB>emotion'")
        for number, row in enumerate(reader, start=2):
            if not row or not "".join(row).strip():
                continue
            if len(row) != 3:
                raise DataError(f"{path}:{number}: expected 3 columns, found {len(row)}")
            text, intent, emotion = (cell.strip() for cell in row)
            if intent not in INTENTS:
                raise DataError(f"{path}:{number}: unknown intent {intent!r}")
            if emotion not in EMOTIONS:
                raise DataError(f"{path}:{number}: unknown emotion {emotion!r}")
            rows.append(Example(text, intent, emotion, lang))
    return rows


def data_files(data_dir: Path, split: str) -> list[Path]:
    """The files of one split ('train' or 'dev'), sorted so that order never varies."""
    return sorted(p for lang in LANGS for p in (data_dir / lang).glob(f"*.{split}.tsv"))


def load_split(data_dir: Path, split: str) -> list[Example]:
    """All examples of one split, in a fixed order."""
    files = data_files(data_dir, split)
    if not files:
        raise DataError(f"{data_dir}: no *.{split}.tsv files under ko/ or en/")
    return [ex for path in files for ex in _read(path, path.parent.name)]


def data_hash(data_dir: Path) -> str:
    """sha256 over every data file's path and bytes: the identity of the training data."""
    digest = hashlib.sha256()
    for path in data_files(data_dir, "train") + data_files(data_dir, "dev"):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()
