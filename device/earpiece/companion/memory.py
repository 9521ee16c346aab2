"""What the companion remembers about a person: facts, their structure, and finding them again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from earpiece.nlu.featurizer import normalize

RELATIONS: dict[str, tuple[str, ...]] = {
    "mother": ("엄마", "어머니", "어머님", "엄니", "모친", "mom", "mother", "mum", "mommy",
               "mama", "momma", "ma"),
    "father": ("아빠", "아버지", "아버님", "부친", "dad", "father", "daddy", "papa", "pa", "pop"),
    "sister": ("언니", "누나", "여동생", "누이", "sister", "sis"),
    "brother": ("형", "오빠", "남동생", "brother", "bro"),
    "sibling": ("동생", "sibling"),
    "daughter": ("딸", "딸내미", "daughter"),
    "son": ("아들", "son", "boy"),
    "grandchild": ("손자", "손녀", "손주", "grandson", "granddaughter", "grandchild",
                   "grandkid", "grandchildren", "grandkids"),
    "grandmother": ("할머니", "grandma", "grandmother", "granny", "nana", "grandmom"),
    "grandfather": ("할아버지", "grandpa", "grandfather", "granddad", "grandad"),
    "husband": ("남편", "husband", "hubby"),
    "wife": ("아내", "와이프", "부인", "wife"),
    "partner": ("애인", "남자친구", "여자친구", "남친", "여친", "partner", "boyfriend",
                "girlfriend"),
    "friend": ("친구", "friend", "buddy"),
    "cat": ("고양이", "cat", "kitty"),
    "dog": ("강아지", "개", "dog", "puppy", "doggy"),
    "doctor": ("의사", "주치의", "doctor", "doc"),
    "teacher": ("선생님", "teacher"),
    "boss": ("사장님", "상사", "팀장님", "boss"),
    "uncle": ("삼촌", "uncle"),
    "aunt": ("이모", "고모", "aunt", "auntie"),
    "cousin": ("사촌", "cousin"),
    "niece": ("조카", "niece", "nephew"),
}  # fmt: skip
"""One relation, every way it is said in Korean and English (엄마/mother/mom are one)."""
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "name": ("이름", "성함", "name", "names", "called", "named"),
    "birthday": ("생일", "생신", "birthday", "bday", "b-day", "birthdays", "born"),
    "allergy": ("알레르기", "알러지", "allergy", "allergies", "allergic"),
    "phone": ("전화번호", "번호", "phone", "number"),
    "like": ("좋아", "좋아해", "좋아하는", "좋아한다", "like", "likes", "love", "loves",
             "favorite", "favourite", "enjoy", "enjoys"),
    "dislike": ("싫어", "싫어해", "싫어하는", "hate", "hates", "dislike", "dislikes"),
}  # fmt: skip
_ALIAS = {w: rel for rel, words in RELATIONS.items() for w in words}
_ATTR_ALIAS = {w: attr for attr, words in ATTRIBUTES.items() for w in words}
_KO_PARTICLE = re.compile(
    r"(?:의|은|는|이|가|을|를|에게|한테|께|이랑|랑|과|와|도|만|이야|야|이에요|예요|이는|이가|이도)$"
)
_KO_PREFIX = re.compile(r"^(?:울|우리|내|제|나의|저의)(?=[가-힣]{1,})")

# Attributes a fact's value follows ("my dad's name is Raj", "엄마 생신은 3월 5일이야").
_EN_REL_ATTR = re.compile(
    r"\b(?:my|our)\s+(?P<rel>[a-z-]+?)(?:'s|s'|s)?\s+(?P<attr>name|birthday|bday|b-day|"
    r"phone\s+number|number)\s+(?:is|was|'s|are)\s+(?P<value>.+)$",
    re.I,
)
_EN_REL_CALLED = re.compile(
    r"\b(?:my|our)\s+(?P<rel>[a-z-]+?)(?:'s)?\s+(?:is\s+)?(?:called|named)\s+(?P<value>.+)$", re.I
)
_EN_REL_IS_NAMED = re.compile(r"\b(?:my|our)\s+(?P<rel>[a-z-]+)\s+is\s+(?P<value>[A-Z][\w'-]+)$")
_EN_ME_ATTR = re.compile(
    r"\bmy\s+(?P<attr>name|birthday|bday|b-day|phone\s+number)\s+(?:is|'s)\s+(?P<value>.+)$", re.I
)
_EN_NAME = re.compile(r"\b(?:my name's|call me|i am called|i'm called)\s+(?P<value>.+)$", re.I)
_EN_ALLERGY = re.compile(
    r"\b(?:i'?m|i\s+am|im)\s+(?:very\s+|really\s+|super\s+)?allergic\s+to\s+(?P<value>.+)$"
    r"|\bi\s+have\s+(?:an?\s+|a\s+bad\s+|a\s+severe\s+)?(?P<value2>.+?)\s+allerg(?:y|ies)\b",
    re.I,
)
_EN_LIKE = re.compile(
    r"^(?:(?:i|and i)\s+(?:really\s+|just\s+)?(?P<verb>love|like|enjoy|adore|hate|dislike|"
    r"can'?t\s+stand|don'?t\s+like)\s+(?P<value>.+))$",
    re.I,
)
_KO_ALLERGY = re.compile(
    r"(?P<value>[가-힣a-zA-Z]+(?:\s[가-힣a-zA-Z]+)?)\s?(?:에\s?|에\s?대한\s?)?(?:알레르기|알러지)"
)
_KO_ATTR_VALUE = re.compile(
    r"(?P<who>\S+)\s?(?P<attr>이름|성함|생일|생신|전화번호)(?:은|는|이|가)?\s+(?P<value>.+?)"
    r"(?:이야|야|입니다|이에요|예요|에요|이고|이라고|라고|이다|다|요)?$"
)
_KO_LIKE = re.compile(
    r"^(?:(?:나는|저는|난|전|나|저)\s)?(?P<value>.+?)\s?(?:을|를|이|가)?\s?"
    r"(?P<verb>좋아해|좋아한다|좋아함|좋아요|싫어해|싫어한다|싫어요)"
)
_EN_REL_LIKE = re.compile(
    r"\b(?:my|our)\s+(?P<rel>[a-z-]+?)(?:'s)?\s+(?:really\s+)?(?P<verb>loves|likes|enjoys|adores|"
    r"hates|dislikes|can'?t\s+stand)\s+(?P<value>.+)$",
    re.I,
)
_KO_END = re.compile(r"(?:이야|야|입니다|이에요|예요|에요|이고|이라고|라고|이다|요)$")
_TRAIL = " .,!?~\"'"
_FILLER_END = re.compile(
    r"(?:[\s,]+(?:btw|by the way|lol|haha+|hehe+|just so you know|fyi|ok|okay|please|you know|"
    r"though|too))+[\s.!?]*$|(?:\s*(?:ㅋ+|ㅎ+|ㅠ+|ㅜ+))+$",
    re.I,
)


@dataclass(frozen=True)
class Fact:
    """One thing the person told, as said, with its structure where it has one."""

    text: str
    lang: str
    kind: str = "fact"
    value: str = ""
    person: str = ""
    """Whom it is about: 'me' (the person), a relation ('mother'), or '' when unknown."""
    attribute: str = ""
    """What about them: name, birthday, allergy, phone, like, dislike, or ''."""

    said_as: str = ""
    """For a fact about someone else: the word the person used for them ('엄마', 'dad')."""

    def to_body(self, at: str, turn: str) -> dict[str, str]:
        """The stored row. A fact about someone else is kind 'person' with the word used for
        them as its value (as before structure) and the attribute's value as 'detail'."""
        body = {"text": self.text, "lang": self.lang, "kind": self.kind, "value": self.value,
                "at": at, "turn": turn}  # fmt: skip
        if self.person:
            body["person"] = self.person
        if self.attribute:
            body["attribute"] = self.attribute
        if self.person not in ("", "me") and self.attribute:
            body.update(kind="person", value=self.said_as or self.person, detail=self.value)
        return body


def relation(word: str) -> str:
    """The canonical relation a word names ('울엄마' -> mother, "dad's" -> father)."""
    word = normalize(re.sub(r"['’]s$", "", word.strip(_TRAIL))).strip(_TRAIL)
    if not word:
        return ""
    if word.isascii():
        word = re.sub(r"(?:'s|s'|’s)$", "", word)
        return _ALIAS.get(word) or (_ALIAS.get(word[:-1], "") if word.endswith("s") else "")
    word = _KO_PREFIX.sub("", word)
    for candidate in (word, _KO_PARTICLE.sub("", word)):
        if candidate in _ALIAS:
            return _ALIAS[candidate]
    return ""


def attribute(word: str) -> str:
    """The canonical attribute a word names ('생신', 'bday' -> birthday)."""
    word = normalize(word).strip(_TRAIL)
    word = re.sub(r"(?:'s)$", "", word)
    if word in _ATTR_ALIAS:
        return _ATTR_ALIAS[word]
    stripped = _KO_PARTICLE.sub("", word)
    return _ATTR_ALIAS.get(stripped, "")


def mentions(text: str) -> tuple[str, str]:
    """The first relation and the first attribute an utterance names, each '' if none."""
    rel = attr = ""
    for word in re.split(r"[\s,.!?~]+", normalize(text)):
        for part in _word_parts(word):
            rel = rel or relation(part)
            attr = attr or attribute(part)
    return rel, attr


def _word_parts(word: str) -> list[str]:
    """A word and, for Korean compounds ('엄마생신'), its known leading and trailing parts."""
    parts = [word]
    if not word.isascii():
        for known in (*_ALIAS, *_ATTR_ALIAS):
            if len(known) >= 2 and known in word and known != word:
                parts.append(known)
    return parts


def analyse(text: str, lang: str) -> Fact:
    """The fact with its structure where one is found, else its kind.

    >>> analyse("my dads name is Raj", "en").person, analyse("my dads name is Raj", "en").value
    ('father', 'Raj')
    """
    clean = " ".join(text.split())
    structured = _structured(clean)
    if structured is not None:
        person, attr, value = structured
        kinds = {"name": "name" if person == "me" else "person", "birthday": "birthday",
                 "allergy": "allergy", "like": "like", "dislike": "dislike"}  # fmt: skip
        kind = kinds.get(attr, "fact")
        value = _FILLER_END.sub("", value).strip(_TRAIL)
        return Fact(clean, lang, kind, value, person, attr, _said_as(clean, person))
    for kind, pattern in _KINDS:
        match = pattern.search(clean)
        if match:
            value = match.groupdict().get("value") or ""
            rel, _ = mentions(clean)
            return Fact(clean, lang, kind, value.strip(_TRAIL), rel or "")
    return Fact(clean, lang)


def _said_as(text: str, person: str) -> str:
    """The word in the text that names the relation ('울엄마' -> '엄마', "dads" -> 'dad')."""
    if person in ("", "me"):
        return ""
    for word in re.split(r"[\s,.!?~]+", normalize(re.sub(r"['’]s\b", "", text))):
        for part in _word_parts(word):
            if relation(part) == person:
                if part.isascii():
                    return part[:-1] if part.endswith("s") and part[:-1] in _ALIAS else part
                return _KO_PARTICLE.sub("", _KO_PREFIX.sub("", part))
    return person


def _structured(text: str) -> tuple[str, str, str] | None:
    """(person, attribute, value) of a fact said in one of the usual shapes, or None."""
    for pattern in (_EN_REL_ATTR, _EN_REL_CALLED, _EN_REL_IS_NAMED):
        m = pattern.search(text)
        if m and relation(m["rel"]):
            attr = attribute(m.groupdict().get("attr") or "name") or "name"
            return relation(m["rel"]), attr, _first_words(m["value"], attr)
    if m := _EN_ME_ATTR.search(text):
        return "me", attribute(m["attr"].split()[0]), _first_words(m["value"], "")
    if m := _EN_NAME.search(text):
        return "me", "name", _first_words(m["value"], "name")
    if m := _EN_ALLERGY.search(text):
        return "me", "allergy", (m["value"] or m["value2"]).strip(_TRAIL)
    if (m := _EN_REL_LIKE.search(text)) and relation(m["rel"]):
        hate = m["verb"].lower() not in ("loves", "likes", "enjoys", "adores")
        return relation(m["rel"]), "dislike" if hate else "like", m["value"]
    if m := _EN_LIKE.match(text.strip(_TRAIL)):
        hate = m["verb"].lower() not in ("love", "like", "enjoy", "adore")
        return "me", "dislike" if hate else "like", m["value"]
    if m := _KO_ATTR_VALUE.search(text):
        who = m["who"]
        person = relation(who) or ("me" if _KO_PREFIX.sub("", who) in ("", "내", "제") or who in (
            "내", "제", "나", "저", "나의", "저의") else "")  # fmt: skip
        if person:
            return person, attribute(m["attr"]), _KO_END.sub("", m["value"].strip(_TRAIL))
    if m := _KO_ALLERGY.search(text):
        value = re.sub(r"^(?:나|저|난|전|나는|저는)\s", "", m["value"])
        value = _KO_PARTICLE.sub("", value)
        if value and value not in ("나", "저", "난", "전"):
            return "me", "allergy", value
    if m := _KO_LIKE.search(text):
        hate = m["verb"].startswith("싫")
        words = _KO_PARTICLE.sub("", m["value"].strip(_TRAIL)).split()
        if len(words) > 1 and words[0] in ("우리", "울", "내", "제"):
            words = words[1:]  # 우리 엄마는 -> 엄마는
        rel = relation(words[0]) if words else ""
        if rel and len(words) > 1:
            return rel, "dislike" if hate else "like", _KO_PARTICLE.sub("", " ".join(words[1:]))
        return "me", "dislike" if hate else "like", " ".join(words)
    return None


def _first_words(value: str, attr: str) -> str:
    """The value as said, cut where a name ends ('Raj and he is 70' -> 'Raj')."""
    value = value.strip(_TRAIL)
    if attr == "name":
        value = re.split(r"\s+(?:and|but|btw|by the way|,)\b|,", value)[0]
    return value.strip(_TRAIL)


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("name", re.compile(
        r"(?:^|\s)(?:내|제)\s*이름은\s*(?P<value>\S+?)(?:이야|야|입니다|이에요|예요|이라고|라고|$)")),
    ("name", re.compile(
        r"\b(?:my name is|my name's|call me|i am called|i'm called)\s+(?P<value>[a-z][\w'-]*)",
        re.I)),
    ("birthday", re.compile(r"생일|생신|birthday", re.I)),
    ("person", re.compile(
        r"(?P<value>언니|누나|형|오빠|동생|엄마|어머니|아빠|아버지|딸|아들|남편|아내|할머니|할아버지|"
        r"친구|고양이|강아지)\s*(?:이름|는|은|가|이)", re.I)),
    ("person", re.compile(
        r"\bmy (?P<value>sister|brother|mom|mother|mum|dad|father|daughter|son|husband|wife|"
        r"friend|cat|dog)(?:'s)?\b", re.I)),
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
    "allergy": {"알레르기", "알러지", "allergy", "allergic", "allergies"},
    "person": set(),
    "note": set(),
    "fact": set(),
}


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
    """Whether a remembered fact is about `topic` by its words (either language)."""
    wanted = _words(topic) - _STOP
    if not wanted:
        return False
    have = _words(body.get("text", "")) | _KIND_WORDS.get(body.get("kind", "fact"), set())
    if body.get("value"):
        have |= _words(body["value"])
    text = normalize(body.get("text", ""))
    return any(w in have or (len(w) >= 2 and w in text) for w in wanted)


def about(body: dict) -> tuple[str, str]:
    """(person, attribute) of a stored fact; facts kept before structure are analysed again."""
    if "person" in body or "attribute" in body:
        return body.get("person", ""), body.get("attribute", "")
    fact = analyse(body.get("text", ""), body.get("lang", "en"))
    return fact.person, fact.attribute


_vectors: dict[tuple[str, str], object] = {}
"""Embeddings of fact texts by (key, text): a cache derived from the facts, rebuilt per process."""


def by_meaning(
    query: str, facts: list[tuple[str, dict]], threshold: float = 0.5
) -> list[tuple[str, dict]]:
    """Facts whose text means what the query asks about (sentence encoder), best first."""
    if not facts:
        return []
    try:
        import numpy as np

        from earpiece.nlu.encoder import EncoderError, embed
    except ImportError:  # pragma: no cover
        return []
    try:
        missing = [(k, b["text"]) for k, b in facts if (k, b["text"]) not in _vectors]
        if missing:
            for (k, t), v in zip(missing, embed([t for _, t in missing]), strict=True):
                _vectors[(k, t)] = v
        q = embed([query])[0]
    except EncoderError:
        return []
    scores = np.array([float(_vectors[(k, b["text"])] @ q) for k, b in facts])
    best = float(scores.max())
    if best < threshold:
        return []
    order = np.argsort(-scores)
    return [facts[i] for i in order if scores[i] >= max(threshold, best - 0.04)]


def similarity(a: str, b: str) -> float:
    """Cosine similarity of two short texts by meaning (0 when the encoder is missing)."""
    try:
        from earpiece.nlu.encoder import EncoderError, embed

        va, vb = embed([a, b])
    except (ImportError, EncoderError):
        return 0.0
    return float(va @ vb)
