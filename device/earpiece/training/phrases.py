"""Writes the grammar decoder's phrase list (`phrases.json`) from the training utterances."""

from __future__ import annotations

import json
from pathlib import Path

from earpiece.nlu.featurizer import normalize
from earpiece.nlu.labels import LANGS, UNKNOWN
from earpiece.nlu.phrases import PHRASES_FILE
from earpiece.training.dataset import Example

TEXT_ONLY = frozenset({"styles", "coverage", "round6", "round7", "round8", "round9"})
"""Authored files written as people type (typos, chat abbreviations, English mixed in), and the
round-5 coverage and the round-6 to round-9 lines (DATA_FORMAT.md; round 8 is still a
`.candidate.tsv`), kept out so the voice grammar stays the tested one."""
MAX_GRAMMAR_WORDS = 8
"""Longer utterances are free speech, left to the open decoder."""


def command_phrases(examples: list[Example]) -> dict[str, list[list[str]]]:
    """Per language, sorted unique [normalized text, intent] pairs of at most MAX_GRAMMAR_WORDS.

    Only the authored spoken commands: public sets, typed-text styles (TEXT_ONLY) and
    `unknown` lines are not phrases the grammar decoder should listen for.
    """
    found: dict[str, set[tuple[str, str]]] = {lang: set() for lang in LANGS}
    for ex in examples:
        if ex.public or ex.source in TEXT_ONLY or ex.intent in (None, UNKNOWN):
            continue
        text = normalize(ex.text)
        if text and len(text.split()) <= MAX_GRAMMAR_WORDS:
            found[ex.lang].add((text, ex.intent))
    return {lang: [list(pair) for pair in sorted(pairs)] for lang, pairs in found.items()}


def write_phrases(examples: list[Example], out_dir: Path) -> Path:
    """Write phrases.json into out_dir (byte-stable: sorted, no timestamps) and return its path."""
    path = out_dir / PHRASES_FILE
    body = {"max_words": MAX_GRAMMAR_WORDS, "phrases": command_phrases(examples)}
    path.write_text(json.dumps(body, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return path
