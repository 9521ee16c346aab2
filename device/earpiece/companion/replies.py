"""Reply templates per language and Korean speech level, from the TOML files beside this one."""

from __future__ import annotations

import random
import re
import tomllib
from functools import cache
from pathlib import Path

REPLIES_DIR = Path(__file__).with_name("replies")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class RepliesError(Exception):
    """A reply template file is missing a key or is malformed."""


@cache
def _load(lang: str) -> dict[str, dict[str, list[str]]]:
    path = REPLIES_DIR / f"{lang}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RepliesError(f"{path}: cannot read reply templates ({exc})") from None


def placeholders(template: str) -> set[str]:
    return set(_PLACEHOLDER.findall(template))


def variants(lang: str, key: str, level: str = "banmal") -> list[str]:
    """All wordings of one reply: en uses `text`, ko the speech level's list."""
    table = _load(lang).get(key)
    if table is None:
        raise RepliesError(f"{REPLIES_DIR / lang}.toml: no reply [{key}]")
    field = level if lang == "ko" else "text"
    found = table.get(field)
    if not found:
        raise RepliesError(f"{REPLIES_DIR / lang}.toml: [{key}] has no '{field}' list")
    return found


def count(n: int, lang: str) -> str:
    """A number as replies say it: '3개' in Korean (templates add no counter), '3' in English."""
    return f"{n}개" if lang == "ko" else str(n)


def keys(lang: str) -> list[str]:
    return list(_load(lang))


class Voice:
    """Picks and fills replies, never the same wording of a reply twice in a row.

    >>> Voice("en").say("ask_time", time="3:15 PM").endswith("3:15 PM.")
    True
    """

    def __init__(self, lang: str, level: str = "banmal", rng: random.Random | None = None) -> None:
        self.lang = lang
        self.level = level
        self._rng = rng or random.Random()
        self.last: dict[str, int] = {}

    def say(self, key: str, **values: object) -> str:
        options = variants(self.lang, key, self.level)
        previous = self.last.get(key)
        choices = [i for i in range(len(options)) if i != previous] or [0]
        index = self._rng.choice(choices)
        self.last[key] = index
        return options[index].format(**{k: str(v) for k, v in values.items()})
