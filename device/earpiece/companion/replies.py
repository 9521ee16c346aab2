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
    """Picks and fills replies: a wording used lately is not picked again until the others were.

    >>> Voice("en").say("ask_time", time="3:15 PM").endswith("3:15 PM.")
    True
    """

    def __init__(self, lang: str, level: str = "banmal", rng: random.Random | None = None) -> None:
        self.lang = lang
        self.level = level
        self._rng = rng or random.Random()
        self.last: dict[str, int] = {}
        self.used: dict[str, list[int]] = {}
        """Per reply key, the wordings said, latest last (at most as many as it has)."""
        self.avoid = ""
        """The replies of the last turns: a wording said in them is not said again if another
        wording is fresh (no reply repeated within ten turns)."""

    def say(self, key: str, **values: object) -> str:
        options = variants(self.lang, key, self.level)
        recent = self.used.get(key, [])[-(len(options) - 1) :] if len(options) > 1 else []
        previous = self.last.get(key)
        filled = [o.format(**{k: str(v) for k, v in values.items()}) for o in options]
        fresh = [i for i in range(len(options)) if filled[i] not in self.avoid]
        choices = (
            [i for i in fresh if i not in recent and i != previous]
            or fresh
            or [i for i in range(len(options)) if i not in recent and i != previous]
            or [i for i in range(len(options)) if i != previous]
            or [0]
        )
        index = self._rng.choice(choices)
        self.last[key] = index
        self.used[key] = [*[i for i in self.used.get(key, []) if i != index], index][
            -len(options) :
        ]
        return filled[index]

    def remembered(self) -> tuple[dict[str, int], dict[str, list[int]]]:
        """What the voice said lately, to put back if the turn is not kept."""
        return dict(self.last), {k: list(v) for k, v in self.used.items()}

    def restore(self, remembered: tuple[dict[str, int], dict[str, list[int]]]) -> None:
        self.last, self.used = dict(remembered[0]), {k: list(v) for k, v in remembered[1].items()}
