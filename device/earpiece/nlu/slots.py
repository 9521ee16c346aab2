"""Pull the slots an intent needs (when, what, fact, topic, recipient) out of one utterance."""

import re
from collections.abc import Callable
from datetime import datetime

from earpiece.nlu.timeparse import find_repeat, normalize_text, resolve_when, time_spans

__all__ = ["cancel_sentence", "extract_slots", "resolve_when"]

Extractor = Callable[[str, str, datetime], dict[str, str]]


def extract_slots(intent: str, text: str, lang: str, now: datetime) -> dict[str, str]:
    """Slots for one utterance. lang is 'ko' or 'en'; now is timezone-aware local time.

    >>> from datetime import datetime
    >>> extract_slots("write_letter", "엄마한테 편지 쓰고 싶어", "ko", datetime.now().astimezone())
    {'recipient': '엄마'}
    """
    lang = lang[:2].lower() if isinstance(lang, str) else ""
    text = normalize_text(text)
    extractor = _EXTRACTORS.get(intent)
    if extractor is None or lang not in ("ko", "en") or not text.strip():
        return {}
    slots = extractor(text, lang, now)
    return {key: value for key, value in slots.items() if _has_words(value)}


# --- shared text helpers ------------------------------------------------------------------


def _has_words(value: str) -> bool:
    """A slot value says something only if it has a letter or digit (emoji alone do not)."""
    return any(char.isalnum() for char in value)


_EDGE_JUNK = " \t.,!?~…:;\"'`()[]{}-—–·"


def _tidy(text: str) -> str:
    """Single spaces, no punctuation or quotes at either end."""
    return re.sub(r"\s+", " ", text).strip(_EDGE_JUNK)


def _without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start] if start > position else "")
        position = max(position, end)
    kept.append(text[position:])
    return " ".join(kept)


def _strip_all(text: str, patterns: list[re.Pattern[str]]) -> str:
    """Apply each pattern's removal once, in order, tidying between."""
    for pattern in patterns:
        text = _tidy(pattern.sub(" ", text, count=1))
    return text


def _ko(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _en(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --- Korean clause endings ----------------------------------------------------------------

# Syllables that end a verb stem before -라고 ("꺼내라고", "가라고"); nouns are left alone.
_KO_VERB_STEM_ENDS = set("하내가오보사기리키켜꺼끄주서치시두자타우추지르려재빼쉬쓰뜨트")
_KO_JONGSEONG_BASE, _KO_JONGSEONG_COUNT = 0xAC00, 28


def _has_final_consonant(syllable: str) -> bool:
    code = ord(syllable) - _KO_JONGSEONG_BASE
    return 0 <= code < 11172 and code % _KO_JONGSEONG_COUNT != 0


_KO_QUOTED_ORDER = _ko(r"(?:(?P<noun>이라고|이라는)|(?P<stem>\S)(?P<eu>으)?(?:라고|라는|란))$")


def _ko_as_task(clause: str) -> str:
    """A quoted order as a task: "빨래 꺼내라고" -> "빨래 꺼내기", "약 먹으라고" -> "약 먹기"."""
    clause = _tidy(clause)
    if match := _KO_QUOTED_ORDER.search(clause):
        head = clause[: match.start()]
        if match["noun"]:
            return _tidy(head)
        stem = match["stem"]
        verb_like = match["eu"] or stem in _KO_VERB_STEM_ENDS
        return _tidy(head + stem + ("기" if verb_like else ""))
    clause = re.sub(r"는\s?(?:거|것)$", "기", clause)  # "꺼내는 거" -> "꺼내기"
    return _tidy(re.sub(r"다고$", "다", clause))


def _ko_as_statement(clause: str) -> str:
    """A quoted statement unquoted: "재즈 좋아한다고" -> "재즈 좋아한다", "지수라고" -> "지수"."""
    clause = re.sub(r"(?:이)?라고$|(?:이)?라는\s?(?:거|것)$", "", _tidy(clause))
    return _tidy(re.sub(r"다고$|다는\s?(?:거|것)$", "다", clause))


_KO_PARTICLES_AFTER_CONSONANT = ("은", "이", "을", "과", "이랑")
_KO_PARTICLES_AFTER_VOWEL = ("는", "가", "를", "와", "랑")
_KO_PARTICLES_ANY = ("에 대해서", "에 대해", "에 대한", "에 관해", "에 관한", "의", "도", "에")
_KO_NOUNS_ENDING_IN_I = {"고양이", "아이", "나이", "사이", "오이", "거북이", "어린이", "놀이"}


def _ko_without_particle(word: str) -> str:
    """A noun without a trailing case particle ("동생이" -> "동생", "엄마가" -> "엄마")."""
    for particle in _KO_PARTICLES_ANY:
        if word.endswith(particle) and len(word) >= len(particle) + 2:
            return word[: -len(particle)].rstrip()
    if word in _KO_NOUNS_ENDING_IN_I or len(word) < 2:
        return word
    for particle in _KO_PARTICLES_AFTER_CONSONANT + _KO_PARTICLES_AFTER_VOWEL:
        stem = word[: -len(particle)]
        if word.endswith(particle) and stem and _fits_particle(stem, particle):
            return stem
    return word


def _fits_particle(stem: str, particle: str) -> bool:
    """이/은/을 follow a final consonant (동생이), 가/는/를 a vowel (엄마가)."""
    after_consonant = particle in _KO_PARTICLES_AFTER_CONSONANT
    return _has_final_consonant(stem[-1]) == after_consonant


# --- set_reminder -------------------------------------------------------------------------

_KO_GIVE = (
    r"(?:\s?(?:줘|줘요|주세요|주십시오|줄래|줄래요|주라|주실래요|주겠니|줄\s?수\s?있어요?"
    r"|주게|주시게|주게나|주시오|주구려|주소))?"
)
_KO_REMIND_VERB = _ko(
    r"(?:좀\s?|꼭\s?){0,3}"
    r"(?:알려|말해|얘기해|리마인드\s?해|상기시켜|깨워|일어나게\s?해|(?<=라고)\s?해"
    r"|(?:알림|알람|리마인더)(?:을|를)?\s?(?:좀\s?)?(?:맞춰|설정해|등록해|만들어|해|설정|등록)?)"
    rf"{_KO_GIVE}[\s.!?~]{{0,8}}$"
)
_KO_WAKE = _ko(r"깨워|일어나게")
_KO_FILLERS = _ko(
    r"^(?:(?:음{1,5}|어{1,5}|저기|혹시|그|나|저|나를|저를|나한테|저한테|나에게|저에게|좀|꼭"
    r"|앞으로|이제부터|지금부터|정각에|정각마다|정각)"
    r"(?:\s|$)){1,6}"
)
_KO_FORGET_NOT = _ko(r"\s?(?:잊(?:어\s?버리|어\s?먹)?지\s?않(?:게|도록)|까먹지\s?않(?:게|도록))$")


def _reminder(text: str, lang: str, now: datetime) -> dict[str, str]:
    when = resolve_when(text, lang, now)
    repeat = find_repeat(text, lang)
    spans = time_spans(text, lang) + (repeat[1] if repeat else [])
    rest = _tidy(_without_spans(text, spans))
    what = _ko_reminder_what(rest) if lang == "ko" else _en_reminder_what(rest)
    return {"when": when.isoformat(timespec="minutes") if when else "", "what": what}


_KO_LEFT_PARTICLE = _ko(
    r"^(?:(?:마다|에는|에|엔|으로|로|부터|까지|쯤|씩|하고|이랑|랑|과|와)(?:\s|$))+"
)
"""A particle whose time word was taken out ('(아침)마다 혈당 재기', '(아홉 시)에 약')."""


def _ko_reminder_what(rest: str) -> str:
    wake = bool(_KO_WAKE.search(rest))
    rest = _strip_all(rest, [_KO_REMIND_VERB, _KO_FORGET_NOT, _KO_FILLERS, _KO_LEFT_PARTICLE])
    what = _ko_as_task(rest)
    return what or ("깨우기" if wake else "")


_EN_LEAD = _en(
    r"^(?:(?:hey|ok(?:ay)?|so|um+|uh+|please|can\s+you|could\s+you|would\s+you|will\s+you"
    r"|from\s+now\s+on)"
    r"[\s,]+)+"
)
_EN_REMIND_VERB = _en(
    r"\b(?:remind\s+me|set\s+(?:up\s+)?(?:a|an|the|my)?\s*(?:reminder|alarm|timer)"
    r"|(?P<wake>wake\s+me(?:\s+up)?|get\s+me\s+up)|don'?t\s+let\s+me\s+forget"
    r"|make\s+sure\s+(?:that\s+)?i|i\s+need\s+a\s+reminder)\b"
    r"(?:\s+(?:to|that|about|of|for)\b)?"
)
_EN_TAIL = _en(r"(?:[\s,]{1,4}(?:please|thanks|thank\s+you|ok(?:ay)?)){1,3}[\s.!?]{0,8}$")
_EN_DANGLING = _en(
    r"^(?:(?:to|that|about|of|for|at|on|in|by)\s+){1,3}|(?:\s+(?:at|on|in|by|for|and)){1,3}$"
)
_EN_HEDGE_LEFT = _en(
    r"(?:[\s,]+(?:say|like|maybe|about|around|roughly|or\s+so|or\s+something|ish|-ish))+[\s,.!?]*$"
)
"""What a hedged time leaves behind once the time is taken out: 'call mom, say (around 6)'."""
_ON_THE_HOUR = _en(r"\b(?:on\s+the\s+hour|at\s+the\s+top\s+of\s+(?:the|every)\s+hour)\b")
"""'every hour on the hour': when in the hour, no part of the task (reminders.py keeps it)."""
_EN_START_LEFT = _en(
    r"(?:^|[\s,]+)(?:(?:starting|beginning)(?:\s+(?:from|on))?|(?:and\s+)?make\s+(?:it|that|them))"
    r"[\s,.!?]*$"
)
"""What 'remind me, starting (today at 10)' or '…to leave, and make that (every Thursday)'
leaves once the time and the rule are taken out: no part of the task."""


def _en_reminder_what(rest: str) -> str:
    rest = _tidy(_EN_TAIL.sub("", _ON_THE_HOUR.sub(" ", rest)))
    verb = _EN_REMIND_VERB.search(rest)
    if verb:
        after, before = rest[verb.end() :], _EN_LEAD.sub("", rest[: verb.start()])
        rest = after if after.strip(_EDGE_JUNK) else before
    what = _tidy(_EN_DANGLING.sub("", _tidy(_EN_LEAD.sub("", rest))))
    what = _tidy(_EN_DANGLING.sub("", _tidy(_EN_HEDGE_LEFT.sub("", what))))
    what = _tidy(_EN_DANGLING.sub("", _tidy(_EN_START_LEFT.sub("", what))))
    return what or ("wake up" if verb and verb["wake"] else "")


# --- a task told before the request ('언니한테 전화해야 하는데, 일곱 시에 알려 줘') -------------

_KO_NEED = _ko(
    r"^(?P<task>.+?)(?:야(?:\s?(?:하|해|되|돼)[가-힣]*|지|겠[가-힣]*)"
    r"|(?P<plan>(?:으)?려고)(?:\s?(?:하|해)[가-힣]*)?)$"
)
"""'…전화해야 하는데', '…들르려고 하는데': the verb before it is the task."""
_KO_CONNECTIVE = _ko(
    r"(?:\s(?:그러는데요?|그런데|그래서|그러니까|그러거든요?))?(?:는데요?|니까|거든요?|어서|아서|해서|서"
    r"|고|지만)?$"
)
_KO_VOWEL_BACK = {"ㅘ": "ㅗ", "ㅝ": "ㅜ", "ㅕ": "ㅣ", "ㅙ": "ㅚ"}
"""'와/봐' -> 오/보, '줘' -> 주, '챙겨/마셔' -> 챙기/마시, '돼' -> 되: the stem an 아/어 form
was made from (the regular verbs; an irregular one keeps its said form)."""
_KO_EU_DROPPED = {"써": "쓰", "꺼": "끄", "떠": "뜨", "터": "트", "커": "크", "꿔": "꾸"}
_JAMO_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def _ko_stem_of(infinitive: str) -> str:
    """'전화해' -> 전화하, '먹어' -> 먹, '줘' -> 주, '챙겨' -> 챙기, '가' -> 가: the stem of an
    아/어 form, for the task's 기 ('전화하기')."""
    last, head = infinitive[-1], infinitive[:-1]
    if last == "해":
        return head + "하"
    if last in ("어", "아") and head and _has_final_consonant(head[-1]):
        return head  # '먹어', '받아'
    if last in _KO_EU_DROPPED:
        return head + _KO_EU_DROPPED[last]
    if last == "러" and head and head[-1] != "들" and _has_final_consonant(head[-1]):
        base = ord(head[-1]) - _KO_JONGSEONG_BASE  # '불러' -> 부르 (르 verbs; 들러 -> 들르)
        return head[:-1] + chr(_KO_JONGSEONG_BASE + base - base % 28) + "르"
    if last == "러":
        return head + "르"
    code = ord(last) - _KO_JONGSEONG_BASE
    if not 0 <= code < 11172 or code % _KO_JONGSEONG_COUNT:
        return infinitive
    lead, vowel = divmod(code // _KO_JONGSEONG_COUNT, len(_JAMO_VOWELS))
    back = _KO_VOWEL_BACK.get(_JAMO_VOWELS[vowel])
    if back is None:
        return infinitive  # '가', '내', '서': the stem as said
    syllable = chr(_KO_JONGSEONG_BASE + (lead * len(_JAMO_VOWELS) + _JAMO_VOWELS.index(back)) * 28)
    return head + syllable


_EN_NEED = _en(
    r"^(?:(?:so|and|but|well|oh|ok(?:ay)?)[\s,]+)*(?P<who>(?:i|we)(?:\s+|(?='))(?:really\s+"
    r"|still\s+|also\s+)?)?(?:need\s+to|have\s+to|'ve\s+got\s+to|got\s+to|gotta|must|should"
    r"|ought\s+to|want\s+to|'m\s+supposed\s+to|am\s+supposed\s+to|'d\s+better|had\s+better"
    r"|'ll|will|'m\s+going\s+to|am\s+going\s+to|'m\s+gonna|gonna|plan\s+to|'m\s+planning\s+to"
    r"|(?P<habit>\w+))\s+(?P<task>.+)$"
)
"""'I need to call the pharmacy', 'I water the orchid (every other day)': what follows I."""
_EN_NOT_A_HABIT = _en(
    r"^(?:am|was|were|is|are|be|been|have|had|has|do|did|does|can|could|will|would|shall|may"
    r"|might|think|guess|feel|felt|know|knew|hope|wish|mean|meant|just|never|don'?t|didn'?t|'m"
    r"|'ve|'ll|'d|\w+[^e\W]ed|went|got|took|came|saw|made|ate|left|told|said|thought|forgot)$"
)


def told_as_task(told: str, lang: str, habit: bool = False) -> str:
    """A task told before a request that names none: '광주 사는 언니한테 전화해야 하는데' ->
    '광주 사는 언니한테 전화하기', 'I need to call the pharmacy before it closes' -> 'call the
    pharmacy before it closes'; with `habit` (a rule was said with it, taken out first), a
    plain statement too ('화분에 물 줘요' -> '화분에 물 주기', 'I water the orchid' -> 'water the
    orchid'). '' when it tells no task."""
    clauses = [c for c in re.split(r"(?<=[.!?])\s+|[,;]\s*", _tidy(told)) if _tidy(c)]
    if not clauses:
        return ""
    clause = _tidy(clauses[-1] if lang == "ko" else clauses[0])
    if lang == "ko":
        found = _KO_NEED.match(clause) or _KO_NEED.match(_KO_CONNECTIVE.sub("", clause))
        if found is not None and found["plan"]:  # '들르려고': the stem is before -려고
            return _tidy(found["task"] + "기")
        if found is not None:  # '전화해야': an 아/어 form before -야
            return _tidy(_ko_stem_of(_tidy(found["task"])) + "기")
        said = _tidy(re.sub(r"요$", "", _KO_CONNECTIVE.sub("", clause)))
        if not habit or not said or _has_final_consonant(said[-1]) or said[-1] in "다지네까니냐":
            return ""
        return _tidy(_ko_stem_of(said) + "기")  # '(이틀에 한 번) 화분에 물 줘요'
    found = _EN_NEED.match(clause)
    if found is None:
        return ""
    if found["habit"] is not None:  # 'I water the orchid': a habit, said by its person
        if not habit or not found["who"] or _EN_NOT_A_HABIT.match(found["habit"]):
            return ""
        return _tidy(f"{found['habit']} {found['task']}")
    if re.match(r"(?i)(?:be|feel|probably|never)\b", found["task"]):
        return ""  # 'I'll be fine': a state, not a task
    return _tidy(found["task"])


# --- cancel_reminder ----------------------------------------------------------------------

_KO_CANCEL_VERB = _ko(
    r"(?:좀\s?)?(?:취소|삭제|지워|지우|없애|꺼|끄|빼|해제|그만|필요\s?(?:가\s?)?없)[가-힣]{0,5}"
    r"(?:\s[가-힣]{1,4})?[\s.!?~]{0,8}$"
)
_KO_REMINDER_NOUN = _ko(r"^(?:알림|알람|리마인더|예약)(?:들)?(?:을|를|은|는|도|이|가|좀)?$")
# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_CANCEL_FILLERS = {
    "그", "그거", "저거", "이거", "이", "저", "모든", "다", "전부", "내", "제", "나", "좀", "방금",
    "아까", "그냥", "혹시", "있는", "둘", "두", "개", "두개", "둘다", "둘이", "세", "이제", "더는",
    "앞으로", "더",
}  # fmt: skip


_CANCEL_WORD = re.compile(
    r"\b(?:cancel|delete|remove|clear|turn\s+off|switch\s+off|stop|drop|get\s+rid\s+of"
    r"|forget\s+about|never\s*mind)\b|취소|삭제|지워|지우|없애|해제|그만|필요\s?없",
    re.I,
)


def cancel_sentence(text: str) -> str:
    """The sentence that asks to cancel ('Cancel the fern one. I water them myself now.' -> its
    first sentence): the reason told after it names no reminder."""
    sentences = [s for s in re.split(r"(?<![DM]r\.)(?<!Mrs\.)(?<=[.!?])\s+", text) if s.strip()]
    asked = [s for s in sentences if _CANCEL_WORD.search(s)]
    return asked[0] if asked else text


def _cancel(text: str, lang: str, now: datetime) -> dict[str, str]:
    text = cancel_sentence(text)
    if lang == "en":
        return {"what": _en_cancel_what(text)}
    words = _KO_CANCEL_VERB.sub(" ", _tidy(text), count=1).split()
    words = [w for w in words if w not in _KO_CANCEL_FILLERS and not _KO_REMINDER_NOUN.match(w)]
    rest = re.sub(r"(?:하라는|의)$", "", " ".join(words))
    return {"what": _ko_as_task(rest)}


_EN_CANCEL_VERB = _en(
    r"^(?:.*?\b)?(?:cancel|delete|remove|clear|turn\s+off|switch\s+off|stop|drop|get\s+rid\s+of"
    r"|forget\s+about|never\s*mind|(?:do\s+not|don'?t|doesn'?t|no\s+longer|won'?t)\s+need)\b"
)
_EN_NO_LONGER = _en(r"[\s,]+(?:any\s?more|any\s+longer|now)[\s.!?]{0,8}$")
_EN_REMINDER_NOUN = _en(
    r"^(?P<a>.*?)\s*\b(?:reminders?|alarms?|timers?)\b"
    r"(?:\s+(?:to|for|about|of|called|that\s+says)\b)?(?P<b>.*)$"
)
_EN_DETERMINERS = _en(
    r"^(?:(?:my|the|that|this|those|these|all|all\s+of|every|our|both|both\s+of|the\s+two)(?:\s+|$)){1,4}"
)
_EN_EMPTY_WHAT = {"it", "that", "this", "them", "everything", "all", "one", "please"}


def _en_cancel_what(text: str) -> str:
    rest = _EN_CANCEL_VERB.sub(" ", _tidy(text), count=1)
    rest = _tidy(_EN_NO_LONGER.sub("", _tidy(_EN_TAIL.sub("", _tidy(rest)))))
    noun = _EN_REMINDER_NOUN.match(rest)
    if noun:
        after = noun["b"].strip(_EDGE_JUNK) and not noun["b"].lstrip().startswith((",", ";"))
        rest = noun["b"] if after else noun["a"]  # '…the walking reminder, I'm going out'
    what = _tidy(_EN_DETERMINERS.sub("", _tidy(rest)))
    return "" if what.lower() in _EN_EMPTY_WHAT else what


# --- remember_fact ------------------------------------------------------------------------

_KO_REMEMBER = (
    r"(?:꼭\s?|잘\s?){0,3}(?:기억해|기억\s?해|기억하고\s?있어|알아\s?둬|알아\s?두세요|잊지\s?마|"
    r"잊지\s?말아|메모해|저장해|적어\s?둬)"
    r"(?:\s?(?:줘|줘요|주세요|둬|둬요|두세요|놔|놔줘|줄래|라|요)){0,3}"
)
_KO_REMEMBER_HEAD = _ko(rf"^(?:이거|이것|그거)?\s?{_KO_REMEMBER}[\s,.!~:]{{0,8}}")
_KO_REMEMBER_TAIL = _ko(rf"[\s,]{{0,4}}(?:이거\s?|그거\s?)?{_KO_REMEMBER}[\s.!?~]{{0,8}}$")
_EN_REMEMBER_HEAD = _en(
    r"^(?:(?:hey|ok(?:ay)?|so|please|can\s+you|could\s+you|would\s+you|will\s+you|i\s+want\s+you\s+to)"
    r"[\s,]+)*(?:remember|keep\s+in\s+mind|note|make\s+a\s+note|take\s+note|don'?t\s+forget"
    r"|save|write\s+down)(?:\s+(?:this|for\s+me))?(?:\s*(?:that\b|:|,))?\s*"
)
_EN_REMEMBER_TAIL = _en(
    r"[\s,]{0,4}(?:(?:please\s+)?(?:remember|note|don'?t\s+forget)\s+(?:that|this|it)"
    r"|please|ok(?:ay)?|will\s+you|got\s+it)\??[\s.!?]{0,8}$"
)


def _fact(text: str, lang: str, now: datetime) -> dict[str, str]:
    if lang == "ko":
        fact = _strip_all(text, [_KO_REMEMBER_HEAD, _KO_REMEMBER_TAIL])
        return {"fact": _ko_as_statement(fact)}
    return {"fact": _strip_all(text, [_EN_REMEMBER_HEAD, _EN_REMEMBER_TAIL])}


# --- recall_fact, forget_fact -------------------------------------------------------------

_KO_ABOUT = _ko(
    r"(?P<t>\S{1,20}(?:\s\S{1,20})?)\s?(?:에\s?대해서?|에\s?대한|에\s?관해서?|에\s?관한|관련|얘기|이야기)"
)
_KO_TOPIC_STOP = _ko(
    r"^(?:언제|뭐|뭘|뭔|무슨|무엇|누구|누가|어디|몇|어떻게|어땠|얼마|왜|기억|잊|지워|지우|삭제|"
    r"까먹|알아|알고|아는|알지|말했|말한|했지|했더라|했었|했던|얘기한|였지|였더라|이었|이야|야$|"
    r"좋아한다고|싫어한다고)"
)
# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_TOPIC_FILLERS = {
    "내", "제", "나", "저", "내가", "제가", "나의", "저의", "우리", "너", "네가", "니가", "당신",
    "혹시", "그", "그거", "그것", "이거", "저거", "이", "아까", "방금", "전에", "다", "전부",
    "모두", "좀", "있잖아", "거", "것", "한", "말한", "나에", "저에", "나한테", "나에게", "너한테",
    "너는", "넌", "네",
}  # fmt: skip


def _topic(text: str, lang: str, now: datetime) -> dict[str, str]:
    return {"topic": _ko_topic(text) if lang == "ko" else _en_topic(text)}


def _ko_topic(text: str) -> str:
    text = _tidy(re.sub(r"[,.!?~]", " ", text))
    about = _KO_ABOUT.search(text)
    words = about["t"].split() if about else _ko_words_around_question(text)
    words = [_ko_without_particle(w) for w in words if w not in _KO_TOPIC_FILLERS]
    words = [w for w in words if w not in _KO_TOPIC_FILLERS]
    if len(words) > 1 and words[-1] == "이름":
        words = words[:-1]
    return " ".join(words)


def _ko_words_around_question(text: str) -> list[str]:
    """The first run of content words between question and verb words ("내 생일 언제라고")."""
    runs: list[list[str]] = [[]]
    for word in text.split():
        if _KO_TOPIC_STOP.match(word):
            runs.append([])
        elif word not in _KO_TOPIC_FILLERS:
            runs[-1].append(word)
    return next((run[-3:] for run in runs if run), [])


_EN_TOPIC_PATTERNS = [
    _en(r"\babout\s+(?P<t>[^.,!?;]+)"),
    _en(r"\b(?:my|our)\s+(?P<t>[^.,!?;]+)"),
    _en(r"\b(?:what|when|where|who)(?:'s|\s+is|\s+was|\s+are|\s+were)\s+(?P<t>[^.,!?;]+)"),
]
_EN_TOPIC_CUT = _en(
    r"'s\s+name\b.*$|\s+(?:is|was|are|were|again|please|say|said|tell|told|called|do|does|did"
    r"|like|likes|and|that|to|from|you|i|now)\b.*$"
)
# fmt: skip (at its end): a word list read as a table, several words a line.
_EN_NO_TOPIC = {
    "me", "myself", "us", "it", "that", "this", "them", "everything", "anything", "all",
    "all of it", "all of that", "what i said", "stuff", "things", "you", "i",
}  # fmt: skip


def _en_topic(text: str) -> str:
    for pattern in _EN_TOPIC_PATTERNS:
        match = pattern.search(text)
        if match:
            topic = _EN_TOPIC_CUT.sub("", _tidy(match["t"]))
            topic = _tidy(_EN_DETERMINERS.sub("", topic))
            return "" if topic.lower() in _EN_NO_TOPIC else topic
    return ""


# --- write_letter, read_letter ------------------------------------------------------------

_KO_TO_WHOM = _ko(r"(?P<r>[^\s,.!?~]{1,20}?)(?:한테|에게|께|더러)(?:서|는|도|다가?|로)?(?![가-힣])")
_KO_WHOSE_LETTER = _ko(r"(?P<r>[^\s,.!?~]{1,20}?)(?:의)?\s?(?:(?:쓴|보낸|보내는|쓰던)\s)?편지")
_KO_TO_WHOM_ENDING = _ko(r"(?:한테|에게|께)\S{0,3}$")
# fmt: skip (at its end): a word list read as a table, several words a line.
_KO_NOT_RECIPIENT = {
    "함", "나", "저", "너", "네", "니", "당신", "아까", "방금", "어제", "오늘", "그제", "마지막",
    "그", "이", "저번", "지난번", "지난", "내가", "제가", "새", "새로", "쓴", "보낸", "그거",
    "이거", "이번", "예전", "옛날", "다음", "한", "긴", "짧은", "내", "제", "무슨", "어떤",
    "그저", "엊그저",
}  # fmt: skip
_EN_TO_WHOM = [
    re.compile(  # 'to my old friend Tomas', 'for an old buddy of mine, Ray Delgado'
        r"(?i:\b(?:to|for)\s+(?:my\s+|our\s+|an?\s+)?(?:(?:old|dear|best|good|close|little|big|former)\s+)*"
        r"(?:friend|buddy|pal|mate|colleague|neighbou?r|teacher|boss|manager|coach|doctor)"
        r"(?:\s+of\s+mine)?,?\s+)(?P<r>[A-Z][\w'’-]{0,30}(?:\s+[A-Z][\w'’-]{0,30})?)"
    ),
    re.compile(
        r"(?i:\b(?:to|for)\s+(?:my\s+|our\s+|the\s+|dear\s+)?)"
        r"(?P<r>(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+)?[^\W\d_][\w'’-]{0,30}(?:\s+[A-Z][\w'’-]{0,30})?)"
    ),
    re.compile(
        r"(?i:\bdear\s+(?:my\s+)?)(?P<r>(?:(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+)?[^\W\d_][\w'’-]{0,30})"
    ),
    re.compile(
        r"(?i:\b(?:write|read|send)\s+(?:my\s+|our\s+)?)(?P<r>[^\W\d_][\w'’-]{0,30})"
        r"(?i:\s+a\s+letter)"
    ),
    re.compile(r"(?P<r>[^\W\d_][\w-]{0,30})['’]s\s+(?i:letter)"),
]
# fmt: skip (at its end): a word list read as a table, several words a line.
_EN_NOT_RECIPIENT = {
    "me", "you", "him", "her", "them", "us", "it", "this", "that", "write", "read", "say", "send",
    "tell", "a", "an", "the", "do", "be", "start", "help", "continue", "finish", "make", "hear",
    "listen", "someone", "somebody", "mail", "post", "go", "get", "myself", "yourself", "my",
    "letter", "letters", "last", "new", "one", "another", "draft", "note", "reply", "respond",
    "answer", "keep", "add", "put", "work", "check", "see", "try", "dictate", "compose", "out",
    "loud", "again", "now", "today", "tomorrow", "later",
}  # fmt: skip


def _recipient(text: str, lang: str, now: datetime) -> dict[str, str]:
    return {"recipient": _ko_recipient(text) if lang == "ko" else _en_recipient(text)}


def _ko_recipient(text: str) -> str:
    for pattern in (_KO_TO_WHOM, _KO_WHOSE_LETTER):
        for match in pattern.finditer(text):
            name = match["r"]
            if name not in _KO_NOT_RECIPIENT and not _KO_TO_WHOM_ENDING.search(name):
                return name
    return ""


def _en_recipient(text: str) -> str:
    for pattern in _EN_TO_WHOM:
        for match in pattern.finditer(text):
            name = re.sub(r"['’]s$", "", match["r"])
            if name.split()[0].lower() not in _EN_NOT_RECIPIENT:
                return name
    return ""


_EXTRACTORS: dict[str, Extractor] = {
    "set_reminder": _reminder,
    "cancel_reminder": _cancel,
    "remember_fact": _fact,
    "recall_fact": _topic,
    "forget_fact": _topic,
    "write_letter": _recipient,
    "read_letter": _recipient,
}
