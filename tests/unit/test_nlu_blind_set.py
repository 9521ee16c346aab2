"""The blind NLU set (benchmarks/data/nlu_blind.tsv) parses, uses only contract labels, is new."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from earpiece.nlu.featurizer import normalize
from earpiece.nlu.labels import EMOTIONS, INTENTS, LANGS
from earpiece.nlu.lang import language
from earpiece.paths import nlu_dir
from earpiece.training.dataset import load_split

BLIND = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "nlu_blind.tsv"
HEADER = ["lang", "text", "intent", "emotion"]


def _rows() -> list[dict[str, str]]:
    with BLIND.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        assert reader.fieldnames == HEADER
        rows = list(reader)
    assert all(len(row) == len(HEADER) and None not in row.values() for row in rows)
    return rows


ROWS = _rows()


def test_every_line_has_a_language_a_text_and_contract_labels():
    assert {row["lang"] for row in ROWS} == set(LANGS)
    assert [row["text"] for row in ROWS if not row["text"].strip()] == []
    assert [row["intent"] for row in ROWS if row["intent"] not in INTENTS] == []
    assert [row["emotion"] for row in ROWS if row["emotion"] not in EMOTIONS] == []


def test_every_line_is_written_in_the_language_it_is_filed_under():
    assert [row["text"] for row in ROWS if language(row["text"]) != row["lang"]] == []


@pytest.mark.parametrize("lang", LANGS)
def test_300_lines_and_every_intent_at_least_8_times_per_language(lang: str):
    rows = [row for row in ROWS if row["lang"] == lang]
    intents = Counter(row["intent"] for row in rows)
    assert len(rows) == 300
    assert {i: intents[i] for i in INTENTS if intents[i] < 8} == {}


def test_no_line_is_written_twice():
    lines = Counter((row["lang"], normalize(row["text"])) for row in ROWS)
    assert [line for line, n in lines.items() if n > 1] == []


def test_no_line_is_also_a_training_line():
    train = {(ex.lang, normalize(ex.text)) for ex in load_split(nlu_dir() / "data", "train")}
    overlap = [row["text"] for row in ROWS if (row["lang"], normalize(row["text"])) in train]
    assert overlap == []
