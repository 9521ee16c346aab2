"""What the companion remembers about a person: facts, their kind, and finding them again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from earpiece.nlu.featurizer import normalize

_RELATIONS_KO = (
    "언니|누나|형|오빠|동생|여동생|남동생|엄마|어머니|아빠|아버지|딸|아들|남편|아내|와이프|"
    "할머니|할아버지|친구|남자친구|여자친구|애인|고양이|강아지|개|선생님|사장님|동료|삼촌|이모|고모"
)
_RELATIONS_EN = (
    "sister|brother|mom|mother|mum|dad|father|daughter|son|husband|wife|partner|grandma|"
    "grandmother|grandpa|grandfather|friend|boyfriend|girlfriend|cat|dog|teacher|boss|"
    "colleague|uncle|aunt|cousin|niece|nephew"
)

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(
        r"(?:^|\s)(?:내|제)\s*이름은\s*(?P<value>\S+?)(?:이야|야|입니다|이에요|예요|이라고|라고|$)")),
    ("name", re.compile(
        r"\b(?:my name is|my name's|call me|i am called|i'm called)\s+(?P<value>[a-z][\w'-]*)",
        re.I)),
    ("birthday", re.compile(r"생일|생신|birthday", re.I)),
    ("person", re.compile(rf"(?P<value>{_RELATIONS_KO})\s*(?:이름|는|은|가|이)", re.I)),
    ("person", re.compile(rf"\bmy (?P<value>{_RELATIONS_EN})(?:'s)?\b", re.I)),
    ("dislike", re.compile(
        r"싫어|못 ?먹|안 ?먹|별로야|\b(?:hate|don't like|do not like|dislike|can't stand)\b",
        re.I)),
    ("like", re.compile(r"좋아|사랑해|즐겨|\b(?:love|like|enjoy|favou?rite|adore)\b", re.I)),
)  # fmt: skip

_KIND_WORDS = {
    "name": {"이름", "name", "called"},
    "birthday": {"생일", "생신", "birthday", "born"},
    "like": {"좋아", "좋아하는", "like", "likes", "love", "favorite", "favourite", "enjoy"},
    "dislike": {"싫어", "싫어하는", "hate", "dislike", "like"},
    "person": set(),
    "note": set(),
    "fact": set(),
}


@dataclass(frozen=True)
class Fact:
    """One thing the person told the companion, as said, with what kind of thing it is."""

    text: str
    lang: str
    kind: str = "fact"
    value: str = ""

    def to_body(self, at: str, turn: str) -> dict[str, str]:
        return {"text": self.text, "lang": self.lang, "kind": self.kind, "value": self.value,
                "at": at, "turn": turn}  # fmt: skip


def analyse(text: str, lang: str) -> Fact:
    """The fact with its kind: name, birthday, person, like, dislike, or plain fact.

    >>> analyse("my name is Theodore", "en").value
    'Theodore'
    """
    clean = " ".join(text.split())
    for kind, pattern in _KINDS:
        match = pattern.search(clean)
        if match:
            value = match.groupdict().get("value") or ""
            return Fact(clean, lang, kind, value.strip(".,!?"))
    return Fact(clean, lang)


def _stem(word: str) -> str:
    """A Korean word without its trailing particle, an English one without plural/possessive."""
    word = re.sub(r"(은|는|이|가|을|를|의|에|에게|한테|께|이랑|랑|과|와|도|만|이야|야)$", "", word)
    return re.sub(r"('s|s)$", "", word) if word.isascii() else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in normalize(text).split() if len(_stem(w)) >= 1}


_STOP = {
    "my",
    "your",
    "the",
    "a",
    "an",
    "about",
    "of",
    "is",
    "what",
    "내",
    "제",
    "나",
    "저",
    "우리",
}


def matches(body: dict, topic: str) -> bool:
    """Whether a remembered fact is about `topic` (a word or phrase, either language)."""
    wanted = _words(topic) - _STOP
    if not wanted:
        return False
    have = _words(body.get("text", "")) | _KIND_WORDS.get(body.get("kind", "fact"), set())
    if body.get("value"):
        have |= _words(body["value"])
    text = normalize(body.get("text", ""))
    return any(w in have or (len(w) >= 2 and w in text) for w in wanted)
