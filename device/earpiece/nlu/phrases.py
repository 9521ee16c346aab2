"""Reads the command phrases the NLU was trained on (`phrases.json`, from `earpiece train`)."""

from __future__ import annotations

import json
from pathlib import Path

from earpiece import paths

PHRASES_FILE = "phrases.json"


class PhrasesError(Exception):
    """The phrase list is missing or unreadable; the message says how to rebuild it."""


def load_phrases(lang: str, path: Path | None = None) -> list[tuple[str, str]]:
    """(normalized phrase, intent) pairs for one language, in a fixed order."""
    path = path or paths.nlu_dir() / PHRASES_FILE
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return [(str(text), str(intent)) for text, intent in body["phrases"].get(lang, [])]
    except FileNotFoundError:
        raise PhrasesError(
            f"{path}: the command phrase list is missing; rebuild it with `earpiece train`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PhrasesError(
            f"{path}: the command phrase list is unreadable ({exc}); rebuild it with "
            "`earpiece train`"
        ) from None
