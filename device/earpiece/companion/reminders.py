"""Reminders: planned from what was asked, set, corrected, cancelled, told when due or missed.

Longer than most modules: a reminder's whole life works on one row (what, due_at, repeat,
status) and says it one way (`describe`, `spoken_rule`); kept together, a change to the
row or to how it is said is made in one place. The parsing of times is nlu/timeparse.py.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, timedelta

from earpiece.companion import timefmt
from earpiece.companion.context import Turn, new_key
from earpiece.companion.replies import Voice, count
from earpiece.nlu.featurizer import normalize
from earpiece.nlu.numbers import EN_CLOCK_HOUR, parse_english_number
from earpiece.nlu.slots import cancel_sentence, extract_slots, told_as_task
from earpiece.nlu.timeparse import (
    DAY_DEFAULT_HOUR,
    KO_WEEKDAYS,
    LAST_DAY,
    Clock,
    Repeat,
    find_lead,
    find_repeat,
    find_shift,
    find_time_phrases,
    normalize_text,
    on_day,
    resolve_when,
)

__all__ = ["WAKE", "Planned", "resolve_when"]
from earpiece.store.database import Change, Store

WAKE = ("깨우기", "wake up")
_WAKE_ME = re.compile(r"깨워|깨우|\bwake (?:me|us)\b(?! to)", re.I)
MISSED_AFTER = timedelta(minutes=2)
"""A reminder this far past due when the companion starts was missed while it was off."""
TWICE_A_DAY = (8, 20)
"""The hours (0-23) of "아침저녁으로" / "twice a day": a morning and an evening reminder."""
MISSED_LISTED = timedelta(days=1)
"""How long a missed reminder is still named when the person asks what their reminders are."""

_REQUEST = re.compile(
    r"\bremind\b|\bwake\s+(?:me|us)\b|\balarm\b|\breminder\b|\bdon'?t\s+let\s+me\s+forget\b"
    r"|알려|깨워|알림|알람|리마인더|잊지\s?않게|라고\s?(?:좀\s?)?해\s?(?:줘|주세요|줘요)",
    re.I,
)
_SENTENCES = re.compile(
    r"(?<!\b[DM]r\.)(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)(?<=[.!?;。])(?:(?<![ap]\.m\.)\s+"
    r"|\s+(?-i:(?![a-z])))"  # 'at six a.m. to take my pills': one sentence, 'a.m.' no end
    r"|\s*[,，]\s*(?=(?:and\s+|so\s+|but\s+|please\s+)?(?:remind|wake|set|can\s+you|could\s+you)\b)",
    re.I,
)
_KO_CLAUSE_END = re.compile(
    r"(?<=[가-힣])(?:는데요|거든요|는데|은데|한데|인데|운데|던데|니까|거든|(?<!에)서|지만)[,\s]+(?=\S)"
)
_KO_LEAD = re.compile(
    r"^(?:그런데|근데|그래서|그러니까|그니까|암튼|아무튼|어쨌든|그냥|그러면|그럼|그리고)\s+"
)
_EN_AND = re.compile(
    r"\s*,?\s+(?:and|also|then)\s+(?:also\s+)?(?:remind\s+me\s+)?(?=to\b|\w)", re.I
)
_KO_AND = re.compile(r"(?<=라고)\s?(?:하고|그리고|,)\s+|\s+그리고\s+|\s*,\s*")


@dataclass(frozen=True)
class Planned:
    """One reminder asked for: when (ISO, '' if not said) and what, before it is set."""

    when: str
    what: str
    said_today: bool = False
    """'today at 6' was said: when that hour has passed, ask instead of moving it."""
    repeat: dict | None = None
    """How it recurs (Repeat.to_body()), or None for a one-off."""


def pending(store: Store) -> list[tuple[str, dict, datetime]]:
    """(key, row, due time) of reminders still to fire, soonest first."""
    found = [
        (k, b, datetime.fromisoformat(b["due_at"]))
        for k, b in store.rows("reminders", "status = 'pending'")
    ]
    return sorted(found, key=lambda r: r[2])


def describe(row: dict, due: datetime, now: datetime, lang: str) -> str:
    """A reminder as said: its task and when ('약 먹기 매일 오전 8시')."""
    repeat = Repeat.from_body(row.get("repeat"))
    if repeat is not None:
        return f"{row['what']} {spoken_rule(repeat, due, now, lang)}"
    return f"{row['what']} {timefmt.when(due, now, lang)}"


def spoken_rule(repeat: Repeat, due: datetime, now: datetime, lang: str) -> str:
    """'매일 오전 8시' / 'every day at 8:00 AM'; for every N hours, from the next time."""
    clock = timefmt.clock(due, lang)
    weekday = due.weekday() if repeat.weekday is None else repeat.weekday
    if lang == "ko":
        if repeat.step is not None:
            every = f"{repeat.hours}시간" if repeat.every == "hours" else f"{repeat.minutes}분"
            return f"{timefmt.when(due, now, lang)}부터 {every}마다"
        day = {"day": "매일", "weekday": "평일", "weekend": "주말"}.get(repeat.every)
        if repeat.every == "days":
            day = "이틀에 한 번" if repeat.days == 2 else f"{repeat.days}일마다"
        if repeat.every == "month":
            monthday = repeat.monthday or due.day
            day = "매달 말일" if monthday == LAST_DAY else f"매달 {monthday}일"
        if day is None:
            day = f"매주 {KO_WEEKDAYS[weekday]}요일"
        return f"{day} {clock}"
    if repeat.every == "hours":
        every = "every hour" if repeat.hours == 1 else f"every {repeat.hours} hours"
        return f"{every} from {timefmt.when(due, now, lang)}"
    if repeat.every == "minutes":
        return f"every {repeat.minutes} minutes from {timefmt.when(due, now, lang)}"
    day = {"day": "every day", "weekday": "on weekdays", "weekend": "on weekends"}.get(repeat.every)
    if repeat.every == "days":
        day = "every other day" if repeat.days == 2 else f"every {repeat.days} days"
    if repeat.every == "month":
        monthday = repeat.monthday or due.day
        day = (
            "on the last day of every month"
            if monthday == LAST_DAY
            else f"on the {_ordinal(monthday)} of every month"
        )
    if day is None:
        day = f"every {timefmt.EN_WEEKDAYS[weekday]}"
    return f"{day} at {clock}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --- planning: the request apart from the feeling around it, one reminder per request


def request_clauses(text: str, lang: str) -> list[str]:
    """The parts of an utterance that ask for a reminder, one per reminder asked."""
    out: list[str] = []
    for sentence in _asked(text, lang):
        out.extend(_split_two(sentence, lang))
    return out


def _asked(text: str, lang: str) -> list[str]:
    """The sentences (or, in Korean, the last clause) of an utterance that ask for a reminder."""
    sentences = [s for s in _SENTENCES.split(text) if s and s.strip()]
    if lang == "ko":
        sentences = [p for s in sentences for p in _ko_split_feeling(s)]
    return [s for s in sentences if _REQUEST.search(s)] or [text]


def told_around(text: str, lang: str) -> str:
    """What the utterance tells besides its requests ('금요일 두 시에 치과 가' before '한 시에
    알려줘'); '' when it is all request."""
    rest = text
    for sentence in _asked(text, lang):
        rest = rest.replace(sentence, " ", 1)
    return rest if rest.strip(" .,!?~") else ""


def _ko_split_feeling(sentence: str) -> list[str]:
    """'너무 불안한데 9시에 공부하라고 알려줘' -> the part with the request on its own."""
    parts = _KO_CLAUSE_END.split(sentence)
    if len(parts) > 1 and _REQUEST.search(parts[-1]) and not _REQUEST.search(" ".join(parts[:-1])):
        timed = [p for p in parts[:-1] if find_time_phrases(p, "ko")]
        # '여섯 시에 온다니까 다섯 시에 장 보라고': a request with its own time is apart from the
        # event told before it (read with it as its story)
        if not timed or find_time_phrases(parts[-1], "ko"):
            return [_KO_LEAD.sub("", parts[-1])]
    return [sentence]


def _split_two(sentence: str, lang: str) -> list[str]:
    """Two requests in one sentence ('at 5 ... and at 9 ...') become two, each with its time."""
    twice = find_repeat(sentence, lang)
    if twice is not None and twice[0].twice:
        return [sentence]  # 'morning and night' is one request for two times
    times = _two_times(sentence, lang)
    if times is not None:
        return times
    splitter = _KO_AND if lang == "ko" else _EN_AND
    parts = [p for p in splitter.split(sentence) if p and p.strip()]
    if len(parts) < 2 or not all(find_time_phrases(p, lang) for p in parts):
        return [sentence]
    if any(_RULE_OF_IT.match(p) for p in parts[1:]):
        return [sentence]  # '… to leave, and make that every Thursday': one request, its rule
    if lang == "ko":
        verb = re.search(
            r"(?:알려\s?줘|알려\s?주세요|깨워\s?줘|알림\s?맞춰\s?줘)[\s.!?~]*$", parts[-1]
        )
        tail = f" {verb.group(0).strip()}" if verb else ""
        return [p if _REQUEST.search(p) else p + tail for p in parts]
    return [p if _REQUEST.search(p) else f"remind me {p}" for p in parts]


_RULE_OF_IT = re.compile(r"^\s*(?:make|have)\s+(?:it|that|them)\b", re.I)
"""A part after 'and' that sets the rule of the request before it, not a second request."""


_TIME_AND = {
    "ko": re.compile(r"^\s{0,2}(?:이랑|랑|하고|과|와|그리고)\s{0,2}(?:그리고\s)?$"),
    "en": re.compile(r"^\s{0,2}(?:,?\s{0,2}and|&|,?\s{0,2}and\s{1,2}then)\s{0,2}$", re.I),
}


def _two_times(sentence: str, lang: str) -> list[str] | None:
    """'아침 아홉 시랑 밤 아홉 시에 약 먹으라고', 'remind me to stretch at 2 and at 6', '화요일하고
    목요일에 병원': one task at two times or days joined by 'and' is two requests, each the
    sentence with one of them (a comma is not enough: '7 to 8pm, at 8pm' says one time again)."""
    clean = normalize_text(sentence)
    groups: list[list[int]] = []  # [start, end, has a clock, is a day, the day's end]
    for found in find_time_phrases(clean, lang):
        clock, day = int(found.kind == "clock"), int(found.kind == "day")
        if groups and not clean[groups[-1][1] : found.start].strip():
            groups[-1][1] = max(groups[-1][1], found.end)  # '아침 아홉 시', '8am' inside 'at 8am'
            groups[-1][2] |= clock
        else:
            groups.append([found.start, found.end, clock, day, found.end])
    joined = _TIME_AND.get(lang[:2], _TIME_AND["en"])
    if len(groups) != 2 or not joined.match(clean[groups[0][1] : groups[1][0]]):
        return None
    (a_start, a_end, a_clock, a_day, _), (b_start, b_end, b_clock, b_day, b_day_end) = groups
    if a_clock and b_clock:
        first = clean[:a_end] + clean[b_end:]
    elif a_day and b_day and not a_clock:
        # '화요일하고 목요일 저녁 일곱 시에': each day at the time said after the second (as a
        # habit, '매주' / 'Tuesdays', the repeat makes one weekly reminder per day instead)
        repeat = find_repeat(clean, lang)
        if repeat is not None and repeat[0].also is not None:
            return None
        first = clean[:a_end] + clean[b_day_end:]
    else:
        return None
    second = clean[:a_start] + clean[b_start:]
    return [re.sub(r"\s{2,}", " ", part).strip() for part in (first, second)]


def plan(turn: Turn) -> list[Planned]:
    """The reminders this utterance asks for."""
    clauses = request_clauses(turn.u.text, turn.lang)
    whole = len(clauses) == 1 and clauses[0] == turn.u.text and turn.u.slots.get("when")
    out: list[Planned] = []
    for clause in clauses:
        slots = (
            turn.u.slots if whole else extract_slots("set_reminder", clause, turn.lang, turn.now)
        )
        planned = _planned(turn, clause, slots)
        story = _story(turn, clause)
        told = _in_story(turn, clause, story, planned) if story.strip() else None
        if told is None:
            planned = _led(turn, clause, planned)
            rule = clause
            if planned.what in _UNNAMED and story.strip():  # '언니한테 전화해야 하는데, 일곱 시에'
                planned, rule = _told_before(turn, clause, story, planned)
            if story.strip() and _SETTING_OFF.match(planned.what):  # 'leave': for the event
                planned = replace(planned, what=_story_task(planned.what, story, turn.lang))
            out.extend(_recurring(turn, rule, planned))
            continue
        habit = find_repeat(clause, turn.lang) is None and find_repeat(story, turn.lang)
        out.extend(_recurring(turn, story if habit else clause, told))
    return out


# --- a reminder for an event told in the same breath ('금요일 두 시에 치과 가. 한 시에 알려줘')

_KO_THAT_DAY_WORDS = r"그\s?날|그\s?전날|당일|그때"
_EN_THAT_DAY_WORDS = r"(?:that|the\s+same)\s+(?:day|morning|afternoon|evening|night)|on\s+the\s+day"
_KO_THAT_DAY = re.compile(_KO_THAT_DAY_WORDS)
_EN_THAT_DAY = re.compile(rf"\b(?:{_EN_THAT_DAY_WORDS})\b", re.I)
_ANAPHORA = re.compile(
    rf"(?:{_KO_THAT_DAY_WORDS}|그러면|그럼|그래서)(?:은|는|에|에는|도)?(?![가-힣])"
    rf"|\b(?:(?:on\s+)?(?:{_EN_THAT_DAY_WORDS})|then|so)\b",
    re.I,
)
"""Words in a request that point at the day told before it: left out of the task."""
_PLACEHOLDER = {"알림", "your reminder", "day", "the day", "morning", "the day before"}
STORY_TURN = timedelta(minutes=30)
"""A request that says 'that day' reads the day from the person's line this recent."""


def _story(turn: Turn, clause: str) -> str:
    """What was told around the request: the rest of the utterance, or, when the request points
    at 'that day' and the utterance names no day, the person's line before it."""
    rest = told_around(turn.u.text, turn.lang)
    if any(f.kind in ("day", "clock") for f in find_time_phrases(rest, turn.lang)):
        return rest
    pointer = _KO_THAT_DAY if turn.lang == "ko" else _EN_THAT_DAY
    if not pointer.search(clause) or _has_day(turn.u.text, turn.lang):
        return rest
    # the store narrows by the local date each turn was said on (offsets differ, at most a day)
    since = (turn.now - STORY_TURN - timedelta(days=1)).date().isoformat()
    before = [
        b
        for _, b in turn.store.rows("turns", "at >= ?", (since,))
        if b.get("text") and b.get("at") and not b.get("forgotten")
    ]
    before = [
        b for b in before if turn.now - STORY_TURN <= datetime.fromisoformat(b["at"]) < turn.now
    ]
    if not before:
        return rest
    last = max(before, key=lambda b: b["at"])
    return str(last["text"]) if _has_day(str(last["text"]), turn.lang) else rest


def _has_day(text: str, lang: str) -> bool:
    return any(f.kind == "day" for f in find_time_phrases(text, lang))


def _in_story(turn: Turn, clause: str, story: str, planned: Planned) -> Planned | None:
    """The reminder read with the event told around it: the event's day for a request that
    names only a time ('한 시에 알려줘', 'remind me at 6:15 that day'), the event's time less a
    lead ('한 시간 전에', 'an hour before'), the day before it, or the event itself; the task is
    the event when the request names none. None when the story tells no event."""
    lang = turn.lang
    own = find_time_phrases(clause, lang)
    whole = story
    days = [f for f in find_time_phrases(story, lang) if f.kind == "day"]
    if len(days) > 1:  # 'moved from Thursday to Friday', '15일 말고 16일이에요': the last day told
        story = normalize_text(story)[days[-1].start :]
    told = find_time_phrases(story, lang)
    day_said = next((f for f in told if f.kind == "day"), None)
    has_clock = any(f.kind == "clock" for f in told)
    event = resolve_when(story, lang, turn.now)
    if event is None or (day_said is None and not has_clock):
        return None
    if any(f.kind == "offset" for f in own):
        return None
    if any(f.kind == "day" for f in own):  # 'Remind me Friday at 9': its own day, the story's task
        return replace(planned, what=_story_task(planned.what, whole, lang))
    day = event.date()
    if day_said is not None:
        alone = resolve_when(story[day_said.start : day_said.end], lang, turn.now)
        day = alone.date() if alone is not None else day
    lead = find_lead(clause, lang)
    due: datetime | None
    if lead is not None and has_clock:
        due = event - lead[0]
    elif _DAY_BEFORE.search(clause):
        at = on_day(clause, lang, day, turn.now)
        due = (at or _at_hour(day, DAY_DEFAULT_HOUR, turn.now)) - timedelta(days=1)
    elif own:
        at = on_day(clause, lang, day, turn.now, before=event if has_clock else None)
        due = at if at is not None else datetime.fromisoformat(planned.when)
    else:
        due = event if has_clock else _at_hour(day, DAY_DEFAULT_HOUR, turn.now)
    if due is None or due <= turn.now:
        return None
    what = _story_task(planned.what, whole, lang)
    return replace(planned, when=_iso(due), what=what, said_today=False)


_EN_PURPOSE = re.compile(
    r"^(?:so\s+(?:that\s+)?|in\s+order\s+to\s+)(?:i|we)\s+(?:can|could|will|have\s+to|need\s+to"
    r"|gotta)\s+",
    re.I,
)
"""'Remind me at 5 so I can leave early': what follows is the task, said for the event."""


def _story_task(said: str, story: str, lang: str) -> str:
    """The task of a request read with its story: the event when the request names none
    ('한 시에 알려줘'), the event with a bare verb ('데려다주기') or a purpose ('so I can leave
    early'), a name for a pronoun ('pick her up')."""
    what = _without_lead(said, lang)
    purpose = _EN_PURPOSE.match(what.strip()) if lang == "en" else None
    if purpose:
        what = what.strip()[purpose.end() :]
    what = " ".join(_ANAPHORA.sub(" ", _DAY_BEFORE.sub(" ", what)).split()).strip(" ,.")
    what = re.sub(r"^(?:to|that|at|on)\s+|\s+(?:that|this|at|on)$", "", what, flags=re.I)
    event = _event_what(story, lang)
    if not what or what in _PLACEHOLDER or what in WAKE:
        return event or said
    if lang == "en":
        what = _named_for_pronoun(what, story)
        if event and _SETTING_OFF.match(what):
            return f"{what} for {event}"  # 'leave' told after 'Bridge club at Ann's today'
        return f"{event}, {what}" if purpose and event else what
    if len(what.split()) == 1 and what.endswith("기") and event:
        return f"{event} {what}"  # '세 시 반에 데려다주라고': whom, from the story
    return what


_UNNAMED = ("알림", "your reminder")
"""The task of a request that names none."""


def _told_before(turn: Turn, clause: str, story: str, planned: Planned) -> tuple[Planned, str]:
    """A request that names no task read with what was told before it: the task it tells
    ('광주 사는 언니한테 전화해야 하는데, 일곱 시에 알려 줘', 'I need to call the pharmacy,
    remind me at 4'), and a habit told with it, which the request then follows ('I water the
    orchid every other day. Remind me, starting today at ten'); (the plan, the text its rule
    is read from)."""
    told_habit = find_repeat(story, turn.lang)
    habit = find_repeat(clause, turn.lang) is None and told_habit
    told = _without(story, told_habit[1]) if told_habit else story
    task = told_as_task(told, turn.lang, habit=bool(told_habit))
    if not task:
        return planned, clause
    return replace(planned, what=task), story if habit else clause


_SETTING_OFF = re.compile(
    r"^(?:leave|go|head\s+(?:out|off|over)|set\s+off|get\s+going|get\s+ready|start\s+out)$", re.I
)
"""A task that is only setting off: said for the event told with it."""


def _led(turn: Turn, clause: str, planned: Planned) -> Planned:
    """'세 시 회의 십 분 전에 알려 줘', 'remind me 15 minutes before my 4pm call': the time said
    less the lead, when both are in the request."""
    lead = find_lead(clause, turn.lang)
    if lead is None or not planned.when:
        return planned
    if not any(f.kind == "clock" for f in find_time_phrases(clause, turn.lang)):
        return planned
    due = datetime.fromisoformat(planned.when) - lead[0]
    if due <= turn.now:
        return planned
    what = " ".join(_without_lead(planned.what, turn.lang).split()).strip(" ,.")
    what = re.sub(r"^(?:to|my|the)\s+", "", what, flags=re.I) or planned.what
    return replace(planned, when=_iso(due), what=what)


def _at_hour(day: date, hour: int, now: datetime) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=now.tzinfo)


def _without_lead(what: str, lang: str) -> str:
    lead = find_lead(what, lang)
    return (
        what
        if lead is None
        else normalize_text(what)[: lead[1][0]] + normalize_text(what)[lead[1][1] :]
    )


_KO_TOLD_END = re.compile(
    r"\s*(?:이\s?)?(?:있어요|있어|있대요|있대|있습니다|있다|잡혔어요|잡혔어|했어요|했어|해요|이래요|이래"
    r"|래요|래|대요|대|이에요|예요|이야|야|이다|거든요|거든|이고|고|가야\s?하|가야\s?해|가야\s?돼)$"
)
_EN_TOLD_CUT = re.compile(r"\s*(?:,|;|\band\s+i\b|\bbut\b|\bso\b).*$", re.I)


def _event_what(story: str, lang: str) -> str:
    """The event told in the story, as a task: the sentence part with its time, without it
    ('치과 예약이 금요일 세 시야' -> '치과 예약', 'the plumber comes Monday at 8' -> 'the plumber
    comes')."""
    text = normalize_text(story)
    found = find_time_phrases(text, lang)
    if not found:
        return ""
    at = found[0].start
    pieces = re.split(r"(?<![DM]r\.)(?<=[.!?])\s+|(?<=[가-힣])(?:니까|는데|은데|인데)\s+", text)
    position = 0
    for piece in pieces:
        start = text.find(piece, position)
        position = start + len(piece)
        if start <= at < position:
            break
    else:
        piece, start = text, 0
    habit = find_repeat(text, lang)
    said = [(f.start, f.end) for f in found] + (habit[1] if habit else [])
    spans = [(a - start, b - start) for a, b in said if start <= a < position]
    kept, cursor = [], 0
    for a, b in sorted(spans):
        kept.append(piece[cursor:a] if a > cursor else " ")
        cursor = max(cursor, b)
    kept.append(piece[cursor:])
    what = " ".join(" ".join(kept).split()).strip(" ,.!?~")
    if lang == "ko":
        going = re.search(r"(?:^|\s)가야\s?(?:하|해|돼|되)", what)  # '합창 연습 가야 해': the event
        needed = "" if going else told_as_task(what, lang)  # '책 반납해야 되거든' -> '책 반납하기'
        what = needed or _KO_TOLD_END.sub("", what).strip()
        words = what.split()
        if words:
            words[-1] = (
                re.sub(r"(?<=[가-힣])(?:이|가|은|는|을|를|에|에서)$", "", words[-1]) or words[-1]
            )
        return " ".join(words)
    what = told_as_task(_EN_TOLD_CUT.sub("", what), lang) or _EN_TOLD_CUT.sub("", what)
    what = re.sub(
        r"^(?:i'?ve\s+got|i\s+have|i\s+got|we'?ve\s+got|we\s+have|there'?s)\s+",
        "",
        what,
        flags=re.I,
    )
    return re.sub(
        r"(?:\s+(?:at|on|in|by|to|for|from|is|are|was|will\s+be))+$", "", what, flags=re.I
    ).strip()


_EN_PRONOUN = re.compile(r"\b(?:him|her|them|he|she|they)\b(?='s|'ll|\b)", re.I)
# fmt: skip (at its end): a word list read as a table, several words a line.
_EN_NOT_A_NAME = {
    "i", "the", "my", "a", "an", "and", "but", "so", "ok", "okay", "remind", "actually", "also",
    "please", "dad", "mom", "it", "this", "that", "he", "she", "they", "we", "you", "his", "her",
    "on", "in", "at", "for", "from", "by", "next", "last", "after", "before", "when", "if", "then",
    "today", "tomorrow", "tonight", "there", "our", "your", "their", "hey", "well", "oh", "yes",
    "no", "wait", "sorry", "just", "can", "could", "will", "would", "don't", "let", "set",
}  # fmt: skip


def _named_for_pronoun(what: str, story: str) -> str:
    """'pick her up' told after 'Nora lands Sunday at 6' -> 'pick Nora up': the first name the
    story tells stands for the task's pronoun."""
    if not _EN_PRONOUN.search(what):
        return what
    names = [w for w in re.findall(r"\b[A-Z][a-z]+\b", story) if w.lower() not in _EN_NOT_A_NAME]
    months = {m.lower() for m in calendar.month_name if m} | {d.lower() for d in calendar.day_name}
    names = [w for w in names if w.lower() not in months]
    if not names:
        return what
    return _EN_PRONOUN.sub(names[0], what, count=1)


def _recurring(turn: Turn, clause: str, planned: Planned) -> list[Planned]:
    """The reminder with the recurrence the clause asks for: 매일, weekdays, every Monday,
    every 2 hours; "아침저녁으로" / "twice a day" is two daily reminders, morning and evening."""
    found = find_repeat(clause, turn.lang)
    if found is None:
        return [planned]
    repeat = found[0]
    if repeat.every == "week" and repeat.also is not None:
        return _two_weekdays(turn, planned, repeat)
    if repeat.twice:
        daily = Repeat("day").to_body()
        return [
            replace(planned, when=_iso(_next_at(turn.now, h)), said_today=False, repeat=daily)
            for h in TWICE_A_DAY
        ]
    due = datetime.fromisoformat(planned.when) if planned.when else None
    if due is None and repeat.step is not None:
        due = turn.now.replace(second=0, microsecond=0) + repeat.step
        if repeat.every == "hours" and _ON_THE_HOUR.search(clause):  # '…on the hour', '정각마다'
            due = turn.now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if due is None and repeat.every in ("week", "weekend", "month"):
        due = _next_at(turn.now, DAY_DEFAULT_HOUR)
    if due is None:  # 'every day' without a time: asked for, and the rule kept with the question
        return [replace(planned, repeat=repeat.to_body())]
    return [_with_rule(planned, repeat, due)]


_ON_THE_HOUR = re.compile(r"\bon\s+the\s+hour\b|\btop\s+of\s+(?:the|every)\s+hour\b|정각", re.I)
"""'every hour on the hour', '한 시간마다 정각에': from the next full hour, not an hour from now."""


def _two_weekdays(turn: Turn, planned: Planned, repeat: Repeat) -> list[Planned]:
    """'매주 화요일하고 목요일', 'Tuesdays and Thursdays': one weekly reminder per day, each
    at the time said (or the default hour), from its next occurrence."""
    said = datetime.fromisoformat(planned.when) if planned.when else None
    hour, minute = (said.hour, said.minute) if said else (DAY_DEFAULT_HOUR, 0)
    start = turn.now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if start <= turn.now:
        start += timedelta(days=1)
    out = []
    for day in (repeat.weekday, repeat.also):
        weekly = Repeat("week", day)
        out.append(
            replace(
                planned, when=_iso(weekly.first(start)), said_today=False, repeat=weekly.to_body()
            )
        )
    return out


def _with_rule(planned: Planned, repeat: Repeat, due: datetime) -> Planned:
    due = repeat.first(due)
    if repeat.every == "week" and repeat.weekday is None:
        repeat = Repeat("week", due.weekday())
    if repeat.every == "month" and not repeat.monthday:
        repeat = Repeat("month", monthday=due.day)
    return replace(planned, when=_iso(due), said_today=False, repeat=repeat.to_body())


def _next_at(now: datetime, hour: int) -> datetime:
    """The next time the clock shows hour:00 (today's, or tomorrow's once it has passed)."""
    today = now.replace(hour=hour, minute=0, second=0, microsecond=0)
    return today if today > now else today + timedelta(days=1)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


_MORNING_TASK = re.compile(
    r"혈당|공복|출근|등교|기상|아침\s?약|아침\s?밥|조깅|산책|"
    r"\bblood\s+sugar\b|\bfasting\b|\b(?:leave|head|get\s+ready)\s+for\s+(?:work|school)\b"
    r"|\bcommute\b|\bbreakfast\b|\bmorning\s+(?:pills?|meds?|walk|run)\b|\bwake\b",
    re.I,
)
"""Tasks of the morning: a bare hour said with them is the morning's ('평일 일곱 시 반에 출근')."""
_EVENING_TASK = re.compile(
    r"저녁|밤|퇴근|자기\s?전|잠|잘\s?준비|취침|dinner|supper|evening|night|\bbed(?:time)?\b"
    r"|\bsleep\b",
    re.I,
)
_WORKDAY_MORNING_HOURS = range(5, 9)
"""A bare hour a weekday routine means in the morning ('평일 여섯 시 반', 'weekdays at 7')."""
_HABIT_MORNING_HOURS = (10, 11)
"""A bare hour any habit means in the morning ('weekends at ten', '매일 열한 시에'): ten or
eleven at night is not a habit's time unless the evening is said; a one-off 'at ten' said in
the evening is still tonight's (the soonest)."""


def _in_the_morning(clause: str, lang: str, repeat: Repeat | None) -> bool:
    """Whether a bare hour (no am/pm, no part of day) in this request is a morning hour: the
    task is a morning one, or a weekday routine at five to eight with nothing of the evening."""
    found = find_time_phrases(clause, lang)
    clocks = [f.value for f in found if f.kind == "clock" and isinstance(f.value, Clock)]
    if not clocks or clocks[0].meridiem is not None or any(f.kind == "part" for f in found):
        return False
    hour = clocks[0].hour
    if not 4 <= hour <= 11:
        return False
    if _MORNING_TASK.search(clause):
        return True
    if repeat is not None and repeat.step is None and hour in _HABIT_MORNING_HOURS:
        return not _EVENING_TASK.search(clause)
    weekdays = repeat is not None and repeat.every == "weekday"
    return weekdays and hour in _WORKDAY_MORNING_HOURS and not _EVENING_TASK.search(clause)


def _planned(turn: Turn, clause: str, slots: dict[str, str]) -> Planned:
    wake = bool(_WAKE_ME.search(clause))
    when = slots.get("when", "")
    found = find_repeat(clause, turn.lang)
    if wake or (when and _in_the_morning(clause, turn.lang, found[0] if found else None)):
        due = resolve_when(clause, turn.lang, turn.now, morning=True)
        when = due.isoformat(timespec="minutes") if due else when
    what = slots.get("what") or ("알림" if turn.lang == "ko" else "your reminder")
    what = _KO_LEAD.sub("", what) or what  # '그러면 매일 …': the task without the link word
    if wake:
        what = _wake_task(what, turn.lang) or WAKE[0 if turn.lang == "ko" else 1]
    elif _SAME_TASK.search(clause) and _only_fillers(what):
        last = last_set(turn.store)  # 'and at 9 too, same thing': the task of the last one set
        if last is not None:
            what = str(last[1]["what"])
            if not found and not any(f.kind == "day" for f in find_time_phrases(clause, turn.lang)):
                rule = Repeat.from_body(last[1].get("repeat"))  # '저녁 여섯 시에도 똑같이'
                if rule is not None and when:
                    return _with_rule(Planned(when, what), rule, datetime.fromisoformat(when))
    today = bool(re.search(r"오늘(?!부터)|(?<!from )\btoday\b|\btonight\b", clause, re.I))
    if _DAY_BEFORE.search(clause) and what not in WAKE:
        before = _day_before(turn, clause, when)
        if before is not None:
            what = re.sub(r"^to\s+", "", _DAY_BEFORE.sub(" ", what).strip(" ,"), flags=re.I)
            return Planned(before.isoformat(timespec="minutes"), " ".join(what.split()), False)
    return Planned(when, what, today)


_KO_WAKE_GOAL = re.compile(r"(?:하게|가게|오게|보게)$")


def _wake_task(what: str, lang: str) -> str:
    """What a wake-up call is for, when said: '등산 가게 깨워 줘' -> '등산 가기', 'wake me at 6 to
    catch the train' -> 'catch the train'; '' for a wake-up call alone, and for words that still
    hold the request itself ('깨워 줘 더는 못 버티겠어': what follows a request is not its aim)."""
    if what in WAKE or what in ("알림", "your reminder") or _WAKE_ME.search(what):
        return ""
    if lang == "ko":
        return re.sub(r"게$", "기", what) if _KO_WAKE_GOAL.search(what) else what
    return re.sub(r"^(?:up\s+)?(?:to|so\s+i\s+can)\s+", "", what, flags=re.I)


_SAME_TASK = re.compile(
    r"\bsame\s+(?:thing|one|reminder)\b|\b(?:too|as\s+well|also)\b|^\s*(?:and|also|plus)\b"
    r"|(?:똑같이|같은\s?거|같은\s?걸로|그것도|그거도|이것도)|^\s*(?:그리고|또)\s",
    re.I,
)
"""A request for the task just set, at another time ('and at 9 too', '저녁 여섯 시에도 똑같이')."""
_FILLER_WORDS = re.compile(
    r"(?i)\b(?:and|also|too|as|well|same|thing|one|reminder|please|the|that|it|plus)\b"
    r"|똑같이|같은|거|걸로|그것도|그거도|이것도|그리고|또|도|알림|your reminder|[.,!?~]"
)


def _only_fillers(what: str) -> bool:
    return not _FILLER_WORDS.sub(" ", what).strip()


_DAY_BEFORE = re.compile(
    r"\b(?:the|a)\s+day\s+before\b|\bthe\s+night\s+before\b|전날|하루\s?전(?:날|에)?", re.I
)
"""'the day before Mom's birthday', '13일 전날': a reminder a day ahead of a date."""
_HAS_DATE = re.compile(
    r"\d+\s?일|\d+\s?월|요일|내일|모레|글피|\b(?:tomorrow|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|january|february|march|april|may|june|july|august|september|october"
    r"|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b|\b\d{1,2}(?:st|nd|rd|th)\b",
    re.I,
)


def _day_before(turn: Turn, clause: str, when: str) -> datetime | None:
    """The moment a day before the date the clause names (said outright, or a birthday the
    person told), at the hour said or the day's default hour; None when no date is named."""
    from earpiece.companion.memory import about, mentions

    said = datetime.fromisoformat(when) if when else None
    day: datetime | None = None
    if said is not None and _HAS_DATE.search(_DAY_BEFORE.sub(" ", clause)):
        day = said
    else:
        rel, attr = mentions(clause)
        if attr == "birthday":
            for _, body in turn.store.rows("facts"):
                if about(body) == (rel or "me", "birthday"):
                    value = str(body.get("detail") or body.get("value") or "")
                    lang = "ko" if re.search(r"[가-힣]", value) else "en"
                    day = resolve_when(value, lang, turn.now) or day
    if day is None:
        return None
    hour, minute = (said.hour, said.minute) if said is not None else (DAY_DEFAULT_HOUR, 0)
    due = day.replace(hour=hour, minute=minute) - timedelta(days=1)
    return due if due > turn.now else None


_NEWS_OF_A_CHANGE = re.compile(
    r"말고|밀렸|미뤄졌|당겨졌|바뀌었|바뀌었|변경됐|옮겨졌|늦춰졌"
    r"|\b(?:moved|pushed|changed|delayed|rescheduled|bumped)\b|\binstead\b",
    re.I,
)


def moved_by_news(turn: Turn) -> tuple[str, dict, datetime, datetime] | None:
    """'병원에서 열 시 말고 열한 시로 오래요. 그러면 아홉 시 반에 알려 줘요', 'the meeting got
    moved to 4, so remind me at 3:30 instead': the event of the last reminder changed and the
    request names no task and no day of its own, so that reminder moves on its day."""
    text = turn.u.text
    if not _NEWS_OF_A_CHANGE.search(text):
        return None
    clauses = request_clauses(text, turn.lang)
    last = last_set(turn.store)
    if len(clauses) != 1 or last is None:
        return None
    clause = clauses[0]
    if any(f.kind in ("day", "offset") for f in find_time_phrases(clause, turn.lang)):
        return None
    slots = extract_slots("set_reminder", clause, turn.lang, turn.now)
    what = _ANAPHORA.sub(" ", _without_lead(slots.get("what", ""), turn.lang))
    what = re.sub(r"(?i)\b(?:instead|so|then)\b|[.,!?~]", " ", what).strip()
    if what and what not in _PLACEHOLDER:
        return None
    key, row, due = last
    told = new_part(told_around(text, turn.lang), turn.lang)
    told_at = on_day(told, turn.lang, due.date(), turn.now) or _bare_near(told, due)
    lead = find_lead(clause, turn.lang)
    new: datetime | None = on_day(clause, turn.lang, due.date(), turn.now, before=told_at)
    if lead is not None and told_at is not None:
        new = told_at - lead[0]
    if new is None or new <= turn.now or new == due:
        return None
    return key, row, due, new


def _bare_near(text: str, due: datetime) -> datetime | None:
    """'it got pushed to 6': the hour said with no 'at', on the reminder's day, in the half of
    the day nearest the reminder."""
    clock = _bare_clock(text)
    if clock is None:
        return None
    hours = [clock.hour % 12, clock.hour % 12 + 12] if clock.meridiem is None else [clock.hour]
    if clock.meridiem in ("am", "pm"):
        hours = [clock.hour % 12 + (12 if clock.meridiem == "pm" else 0)]
    options = [due.replace(hour=h % 24, minute=clock.minute) for h in hours]
    return min(options, key=lambda t: abs((t - due).total_seconds()))


def set_reminder(turn: Turn, planned: list[Planned] | None = None) -> list[str]:
    """Set what was asked; ask when a time is missing or 'today at 6' has already passed."""
    if planned is None and (moved := moved_by_news(turn)) is not None:
        return change_reminder(turn, moved)
    planned = planned if planned is not None else plan(turn)
    if len(planned) == 1 and not planned[0].when:
        turn.pending = {"kind": "reminder_time", "what": planned[0].what}
        if planned[0].repeat:
            turn.pending["repeat"] = planned[0].repeat
        return [turn.say("reminder_need_time")]
    planned = [p for p in planned if p.when]
    past = [
        p
        for p in planned
        if p.said_today and datetime.fromisoformat(p.when).date() > turn.now.date()
    ]
    if past:
        due = datetime.fromisoformat(past[0].when)
        turn.pending = {
            "kind": "confirm",
            "action": "reminders",
            "plan": [asdict(Planned(p.when, p.what)) for p in planned],
        }
        return [
            turn.say(
                "reminder_past_today",
                time=timefmt.clock(due, turn.lang),
                when=timefmt.clock(due, turn.lang),
            )
        ]
    said = [_put(turn, p) for p in planned]
    if len(said) == 1:
        due, what, repeat = said[0]
        if repeat is not None and what not in WAKE:
            rule = spoken_rule(repeat, due, turn.now, turn.lang)
            if turn.lang == "ko" and repeat.step is None:
                rule += "에"
            return [turn.say("reminder_set_repeat", rule=rule, what=what)]
        spoken_when = (
            timefmt.when(due, turn.now, turn.lang)
            if repeat is None
            else spoken_rule(repeat, due, turn.now, turn.lang)
        )
        if what in WAKE:
            return [turn.say("reminder_set_wake", when=spoken_when)]
        return [turn.say("reminder_set", when=spoken_when, what=what)]
    items = ", ".join(
        describe({"what": w, "repeat": r and r.to_body()}, d, turn.now, turn.lang)
        for d, w, r in sorted(said, key=lambda s: s[0])
    )
    return [turn.say("reminders_set_many", count=count(len(said), turn.lang), items=items)]


def _put(turn: Turn, p: Planned) -> tuple[datetime, str, Repeat | None]:
    due = datetime.fromisoformat(p.when)
    body: dict[str, object] = {
        "due_at": due.isoformat(timespec="minutes"),
        "what": p.what,
        "lang": turn.lang,
        "status": "pending",
        "created_at": turn.at,
        "turn": turn.turn_key,
    }
    repeat = Repeat.from_body(p.repeat)
    if repeat is not None:
        body["repeat"] = repeat.to_body()
    turn.put("reminders", new_key("reminder"), body)
    return due, p.what, repeat


def confirm_question(turn: Turn, planned: list[Planned]) -> list[str]:
    """'30분 뒤에 물 주기 알림 맞출까?': the yes/no question before setting, for unsure speech."""
    if any(not p.when for p in planned):
        return []
    lines = []
    for p in planned:
        due, repeat = datetime.fromisoformat(p.when), Repeat.from_body(p.repeat)
        when = (
            timefmt.when(due, turn.now, turn.lang)
            if repeat is None
            else spoken_rule(repeat, due, turn.now, turn.lang)
        )
        key = "confirm_wake" if p.what in WAKE else "confirm_reminder"
        lines.append(turn.say(key, when=when, what=p.what))
    return lines


def answer_time(turn: Turn, question: dict) -> list[str]:
    """The person answers 'when should I remind you?'."""
    planned = answered(turn, question)
    if planned is None:
        return [turn.say("reminder_bad_time")]
    return set_reminder(turn, [planned])


_BARE_NUMBER = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[.!?~]*\s*$")
_ANSWER_FILLER = re.compile(
    r"(?i)^(?:at|around|about|by|on|in|the|please|ok(?:ay)?|um+|uh+|maybe|i|guess|then|let'?s|say"
    r"|o'?clock|음+|어+|그럼|에|쯤|정도|으로|로|요|해|줘|줘요|주세요|해줘|해요|알려|알려줘|부탁해"
    r"|부탁해요|할게|하자|좋아|그때|한)$"
)


_MAKE_IT = re.compile(
    r"(?i)\bmake\s+(?:it|that)\s+(?=\d|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve)"
)


def _as_answer(text: str) -> str:
    """'make it 8' said as the answer reads as 'at 8'."""
    return _MAKE_IT.sub("at ", normalize_text(text))


_QUICK_LEAD = re.compile(
    r"(?i)^(?:(?:no|nope|nah|actually|sorry|wait|oops|i\s+mean|i\s+meant|make\s+that|아니|아니야|아니요"
    r"|아뇨|아냐|잠깐|아\s?참|참|아차|미안|정정)[\s,.!~]+)+"
)
_QUICK_TAIL = re.compile(
    r"(?i)[\s,.!~]*(?:is\s+better|would\s+be\s+better|instead|then|please|야|이야|요|이요|로|으로"
    r"|로\s?해\s?줘|으로\s?해\s?줘|가\s?좋겠어|이\s?좋겠어|로\s?하자|으로\s?하자)?[\s.!~]*$"
)


def is_quick_correction(turn: Turn) -> bool:
    """'아니 열한 시', 'no, 11', 'actually 11 is better', said right after a reminder was set:
    a word taking back, then a time and little else."""
    text = normalize_text(turn.u.text).strip()
    lead = _QUICK_LEAD.match(text)
    if not lead:
        return False
    rest = _QUICK_TAIL.sub("", text[lead.end() :])
    return bool(rest.strip()) and _only_a_time(rest, turn.lang)


def correction_text(said: str, lang: str) -> str:
    """A correction as the time it names: 'no, 11' reads as 'make it 11', '아니 열한 시야' as
    '열한 시'; any other line as it is."""
    text = normalize_text(said).strip()
    lead = _QUICK_LEAD.match(text)
    if not lead:
        return said
    rest = _QUICK_TAIL.sub("", text[lead.end() :])
    bare = _BARE_NUMBER.match(rest)
    if bare:
        minute = bare[2] or "00"
        return f"{bare[1]}시 {int(minute)}분" if lang == "ko" else f"make it {bare[1]}:{minute}"
    return rest


def is_time_answer(turn: Turn) -> bool:
    """Whether a line answers 'what time?': a time said, with little else ('아침 여덟 시',
    'at 8am', '8'). 'my sister is visiting on Sunday' is not: it is met as itself."""
    return _only_a_time(turn.u.text, turn.lang)


def _only_a_time(said: str, lang: str) -> bool:
    text = _as_answer(said)
    if _BARE_NUMBER.match(text):
        return True
    found = find_time_phrases(text, lang)
    if not found:
        return False
    spans = [(f.start, f.end) for f in found]
    repeat = find_repeat(text, lang)
    spans += repeat[1] if repeat else []
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start] if start > position else " ")
        position = max(position, end)
    kept.append(text[position:])
    words = [
        w for w in re.split(r"[\s,.!?~]+", " ".join(kept)) if w and not _ANSWER_FILLER.match(w)
    ]
    return len(words) <= 1


def answered(turn: Turn, question: dict) -> Planned | None:
    """The reminder the answer to 'what time?' sets, with the rule asked before (매일...)."""
    wake = question.get("what") in WAKE
    text = _as_answer(turn.u.text)
    bare = _BARE_NUMBER.match(text)
    if bare:
        text = (
            f"{bare[1]}시 {bare[2]}분"
            if turn.lang == "ko" and bare[2]
            else (f"{bare[1]}시" if turn.lang == "ko" else f"at {bare[0].strip()}")
        )
    due = resolve_when(text, turn.lang, turn.now, morning=wake)
    if due is None:
        return None
    planned = Planned(_iso(due), question.get("what", ""))
    found = find_repeat(text, turn.lang)
    repeat = Repeat.from_body(question.get("repeat")) or (found[0] if found else None)
    return _with_rule(planned, repeat, due) if repeat is not None else planned


def list_reminders(turn: Turn) -> list[str]:
    """Every reminder still to come, and those missed lately, said honestly as missed."""
    upcoming = pending(turn.store)
    missed = recently_missed(turn.store, turn.now)
    parts = []
    if upcoming:
        items = ", ".join(describe(r, due, turn.now, turn.lang) for _, r, due in upcoming)
        parts.append(turn.say("reminders_list", count=count(len(upcoming), turn.lang), items=items))
    elif not missed:
        return [turn.say("reminders_none")]
    if missed:
        items = ", ".join(f"{w} ({timefmt.when(at, turn.now, turn.lang)})" for w, at in missed)
        key = "reminders_missed_list" if upcoming else "reminders_none_but_missed"
        parts.append(turn.say(key, count=count(len(missed), turn.lang), items=items))
    return parts


TOLD_JUST_NOW = timedelta(minutes=10)
"""With no turn before, reminders told this recently are what 'what did you say?' asks for."""


def said_again(turn: Turn, last_turn_at: str | None) -> str:
    """'뭐라고?' after reminders were told since the last turn: each again with its date and
    time ('깨우기 (1월 12일 화요일 오전 4시 30분)'), the date said outright, not 'today'; ''
    when none was told since."""
    since = _moment(last_turn_at) or turn.now - TOLD_JUST_NOW
    told = []
    for _, row in turn.store.rows("reminders"):
        fired = _moment(row.get("fired_at"))
        if fired is None or not since < fired <= turn.now:
            continue
        due = _moment(row.get("missed_at") if row.get("repeat") else row.get("due_at"))
        told.append((str(row.get("what", "")), min(due or fired, fired)))
    if not told:
        return ""
    items = ", ".join(
        f"{what} ({timefmt.date(at, turn.lang)} {timefmt.clock(at, turn.lang)})"
        for what, at in sorted(told, key=lambda t: t[1])
    )
    return turn.say("reminder_said_again", items=items)


def recently_missed(store: Store, now: datetime) -> list[tuple[str, datetime]]:
    """(what, when it was due) of reminders missed while off and told as missed within
    MISSED_LISTED of now; a recurring one by its last missed time."""
    found = []
    for _, row in store.rows("reminders", "status IN ('missed', 'pending')"):
        missed = row.get("missed_at") if row.get("status") == "pending" else row.get("due_at")
        told, at = _moment(row.get("fired_at")), _moment(missed)
        if told is not None and at is not None and now - MISSED_LISTED <= told <= now:
            found.append((str(row.get("what", "")), at))
    return sorted(found, key=lambda r: r[1])


def _moment(said: object) -> datetime | None:
    try:
        return datetime.fromisoformat(said) if isinstance(said, str) else None
    except ValueError:
        return None


# --- corrections and cancelling


def last_set(store: Store) -> tuple[str, dict, datetime] | None:
    """The reminder set most recently that has not fired yet."""
    upcoming = pending(store)
    return max(upcoming, key=lambda r: r[1].get("created_at", "")) if upcoming else None


_KO_NOT_AFTER = re.compile(r"^\s{0,2}(?:말고|(?:이|가)?\s?아니(?:라|고))")
_EN_NOT_BEFORE = re.compile(
    r"(?i)(?:\bnot|\binstead\s+of|\brather\s+than)\s{1,3}(?:at\s{1,3}|on\s{1,3})?$"
)


def new_part(text: str, lang: str) -> str:
    """A correction without the time it takes back: '열 시 말고 열한 시로' -> '열한 시로',
    'not 10, make it 11' -> ', make it 11'."""
    text = normalize_text(text)
    if lang == "ko" and "말고" in text:
        return text[text.rindex("말고") + 2 :]
    spans = [
        (f.start, f.end)
        for f in find_time_phrases(text, lang)
        if _EN_NOT_BEFORE.search(text[: f.start]) or _KO_NOT_AFTER.match(text[f.end :])
    ]
    bare = re.compile(
        r"(?i)\bnot\s{1,3}(?:at\s{1,3})?(?:\d{1,2}(?::\d{2})?|" + EN_CLOCK_HOUR + r")"
        r"(?:\s?[ap]\.?m\.?)?\b"
    )
    spans += [m.span() for m in bare.finditer(text)]
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start] if start > position else " ")
        position = max(position, end)
    kept.append(text[position:])
    return " ".join(kept)


_NEXT_WEEK_ALONE = re.compile(r"다음\s?주|담주|\bnext\s+week\b", re.I)
_WEEKDAY_NAMED = re.compile(
    r"[월화수목금토일]요일|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I
)


def moved_time(turn: Turn, due: datetime) -> datetime | None:
    """The new time a correction names, on the reminder's day and in its half of the day;
    a new day alone ('move it to Friday', '모레로') keeps the reminder's time of day."""
    shift = find_shift(turn.u.text, turn.lang)
    if shift is not None:  # '한 시간 미뤄 줘', 'push it back an hour': from the time it was set
        shifted = due + shift
        return shifted if shifted > turn.now else None
    led = _led_move(turn, due)
    if led is not None:
        return led
    text = _as_answer(new_part(correction_text(_timed_change(turn), turn.lang), turn.lang))
    found = find_time_phrases(text, turn.lang)
    kinds = {f.kind for f in found}
    if found and found[0].kind == "offset":  # 'make it in an hour'; not the reason after a time
        return resolve_when(text, turn.lang, turn.now)
    kinds.discard("offset")  # 'make it 7:30, they fill up in like 4 minutes'
    if "day" in kinds and _NEXT_WEEK_ALONE.search(text) and not _WEEKDAY_NAMED.search(text):
        later = due + timedelta(weeks=1)  # '다음 주로 미뤄 줘': the same day a week on
        if kinds & {"clock", "part"}:
            at = resolve_when(text, turn.lang, turn.now)
            later = later.replace(hour=at.hour, minute=at.minute) if at else later
        return later if later > turn.now else None
    if "day" in kinds:
        moved = resolve_when(text, turn.lang, turn.now)
        if moved is None or kinds & {"clock", "part"}:
            return moved
        moved = moved.replace(hour=due.hour, minute=due.minute)
        return moved if moved > turn.now else None
    clocks = [f.value for f in found if f.kind == "clock" and isinstance(f.value, Clock)]
    clock = clocks[0] if clocks else _bare_clock(text)
    if clock is None:  # 'Make that 11. <a reason>': the hour is said right after 'make that'
        clock = _bare_clock(_change_sentence(normalize_text(turn.u.text)))
    if clock is None:
        return None
    hours = [clock.hour % 24]
    if clock.meridiem is None and 1 <= clock.hour <= 12:
        hours = [clock.hour % 12, clock.hour % 12 + 12]
    elif clock.meridiem == "pm":
        hours = [clock.hour % 12 + 12]
    elif clock.meridiem == "am":
        hours = [clock.hour % 12]
    options = [
        due.replace(hour=h, minute=clock.minute) + timedelta(days=d)
        for h in hours
        for d in (-1, 0, 1)
    ]
    options = [t for t in options if t > turn.now] or options
    best = min(options, key=lambda t: abs((t - due).total_seconds()))
    while best <= turn.now:
        best += timedelta(days=1)
    return best


def _timed_change(turn: Turn) -> str:
    """The sentence asking for the change when it says a time itself ('…lands at nine now. Can
    you move the airport reminder to seven?'), else the whole line."""
    whole = normalize_text(turn.u.text)
    asked = _change_sentence(whole)
    said = any(f.kind in ("clock", "day", "part") for f in find_time_phrases(asked, turn.lang))
    if asked != whole and (said or _bare_clock(asked) is not None):
        return asked
    return turn.u.text


def _led_move(turn: Turn, due: datetime) -> datetime | None:
    """'회의가 다섯 시로 밀렸어. 알림도 다섯 시 십 분 전으로', 'pushed to 5, move it to 15 minutes
    before that': the event's new time less the lead, on the reminder's day, nearest to it."""
    text = normalize_text(turn.u.text)
    lead = find_lead(text, turn.lang)
    if lead is None:
        return None
    start, end = lead[1]
    clocks = [
        f
        for f in find_time_phrases(text, turn.lang)
        if f.kind == "clock" and (f.end <= start or f.start >= end)
    ]
    right_before = [f for f in clocks if f.end <= start and not text[f.end : start].strip()]
    said = right_before or clocks  # '세 시 십 분 전': its clock; '…before that': the last said
    rest = new_part(text[:start] + " " + text[end:], turn.lang)
    at = text[said[-1].start : said[-1].end] if said else rest
    event = _nearest(on_day(at, turn.lang, due.date(), turn.now), due) or _bare_near(rest, due)
    if event is None:
        return None
    moved = event - lead[0]
    return moved if moved > turn.now else None


def _nearest(at: datetime | None, due: datetime) -> datetime | None:
    """A time read on the reminder's day in the half of the day nearest the reminder."""
    if at is None:
        return None
    other = at + timedelta(hours=12) if at.hour < 12 else at - timedelta(hours=12)
    if at.date() != other.date():
        return at
    return min((at, other), key=lambda t: abs((t - due).total_seconds()))


_BARE = re.compile(
    r"\b(?:make\s+(?:it|that)|to|at|for|i\s+meant|i\s+mean|said|says)\s+"
    rf"(?P<h>\d{{1,2}}|{EN_CLOCK_HOUR})(?::(?P<m>\d{{2}}))?\b(?:\s*(?P<mer>[ap])\.?m\b)?",
    re.I,
)


def _bare_clock(text: str) -> Clock | None:
    """'make it 8': an hour said with no 'at' or 'o'clock' in a correction."""
    m = _BARE.search(text)
    if not m:
        return None
    said = m["h"].lower()
    hour = parse_english_number(said)
    if hour is None:
        return None
    meridiem = {"a": "am", "p": "pm"}.get((m["mer"] or "").lower())
    if not 0 <= hour <= 23:
        return None
    return Clock(hour, int(m["m"] or 0), meridiem)


def change_target(
    turn: Turn, last_key: str | None = None
) -> tuple[str, dict, datetime, datetime] | None:
    """(key, row, old due, new due) of the correction asked, or None.

    The reminder corrected is the last one this conversation set or moved (`last_key`), else
    the last one created.
    """
    last = _to_change(turn, last_key)
    if last is None:
        return None
    key, row, due = last
    new = moved_time(turn, due)
    return (key, row, due, new) if new else None


def _to_change(turn: Turn, last_key: str | None) -> tuple[str, dict, datetime] | None:
    """The reminder a change means: the one its words name, else the last one this
    conversation set or moved (`last_key`), else the last one created."""
    row = turn.store.get("reminders", last_key) if last_key else None
    named = _named(turn)
    if len(named) == 1:
        return named[0]
    if last_key and row and row.get("status") == "pending":
        return (str(last_key), row, datetime.fromisoformat(row["due_at"]))
    return last_set(turn.store)


def change_rule(turn: Turn, rule: Repeat, last_key: str | None = None) -> list[str]:
    """'평일에만 울리게 바꿔 줘', 'make it every other day': the reminder meant recurs by the new
    rule at its time of day (or the time said with it); it is changed, never cancelled."""
    target = _to_change(turn, last_key)
    if target is None:
        return [turn.say("reminder_change_none")]
    key, row, due = target
    said_time = any(f.kind == "clock" for f in find_time_phrases(turn.u.text, turn.lang))
    start = (moved_time(turn, due) if said_time else None) or due
    step = rule.interval if rule.every != "days" else None
    if step is not None:  # 'make it every two hours': from now on
        start = turn.now + step
    while start <= turn.now:
        start += timedelta(days=1)
    if rule.every == "week" and rule.weekday is None:
        rule = Repeat("week", start.weekday())
    if rule.every == "month" and not rule.monthday:
        rule = Repeat("month", monthday=start.day)
    new = rule.first(start)
    body = {**row, "due_at": _iso(new), "repeat": rule.to_body(), "changed_at": turn.at}
    turn.put("reminders", key, body)
    turn.refs.append(key)
    when = spoken_rule(rule, new, turn.now, turn.lang)
    return [turn.say("reminder_changed", what=row["what"], when=when)]


_CHANGE_WORDS = {
    "move",
    "change",
    "push",
    "switch",
    "reschedule",
    "shift",
    "make",
    "it",
    "that",
    "my",
    "the",
    "to",
    "not",
    "reminder",
    "alarm",
    "one",
    "please",
    "instead",
    "can",
    "you",
    "could",
    "at",
    "on",
    "from",
    "and",
    "actually",
    "no",
    "wait",
    "sorry",
    "i",
    "mean",
    "meant",
    "알림",
    "알람",
    "아니",
    "말고",
    "옮겨",
    "옮겨줘",
    "바꿔",
    "바꿔줘",
    "변경",
    "변경해",
    "미뤄",
    "당겨",
    "줘",
    "해",
    "해줘",
    "좀",
    "그",
    "거",
    "그거",
    "시간",
    "로",
    "으로",
    "내",
    "제",
}


_CHANGE_ASKED = re.compile(
    r"\b(?:move|change|push|switch|reschedule|shift|make\s+(?:it|that)|not)\b|말고|바꿔|옮겨|미뤄|당겨",
    re.I,
)


def _change_sentence(text: str) -> str:
    """The sentence that asks for the change, or the whole line when none or all do."""
    sentences = [s for s in re.split(r"(?<![DM]r\.)(?<=[.!?])\s+", text) if s.strip()]
    asked = [s for s in sentences if _CHANGE_ASKED.search(s)]
    return " ".join(asked) if asked else text


_SENTENCE_END = re.compile(r"(?<![DM]r\.)(?<=[.!?])\s+")
_REMINDER_NOUN = re.compile(r"알림|알람|\breminders?\b|\balarms?\b", re.I)
"""A sentence that says 'reminder' names which one, though the change is asked in another."""


def _named(turn: Turn) -> list[tuple[str, dict, datetime]]:
    """Pending reminders a correction names by its words ('move my dentist reminder to 3'); the
    reason told in another sentence ('It's a long drive') names none."""
    whole = normalize_text(turn.u.text)
    text = _change_sentence(whole)
    naming = [s for s in _SENTENCE_END.split(whole) if _REMINDER_NOUN.search(s) and s not in text]
    text = " ".join([text, *naming])  # '주말엔 콩이 밥 알림 필요 없어. 평일에만 울리게 바꿔 줘'
    spans = [(f.start, f.end) for f in find_time_phrases(text, turn.lang)]
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start] if start > position else " ")
        position = max(position, end)
    kept.append(text[position:])
    said = {w for w in _words(" ".join(kept)) if w not in _CHANGE_WORDS and not w.isdigit()}
    if not said:
        return []
    scored = [(len(said & _words(r[1]["what"])), r) for r in pending(turn.store)]
    best = max((score for score, _ in scored), default=0)
    # '은행 가는 거': 은행 가기 shares two words, 세탁소 가기 only the verb
    return [r for score, r in scored if score and score == best]


def change_reminder(
    turn: Turn, target: tuple | None = None, last_key: str | None = None
) -> list[str]:
    """'make it 8' / '아니 8시로': move the last reminder; say so only when it moved."""
    target = target or change_target(turn, last_key)
    if target is None:
        return [turn.say("reminder_change_none")]
    key, row, _, new = target
    current = turn.store.get("reminders", key)
    if not current or current.get("status") != "pending":
        return [turn.say("reminder_change_none")]
    body = {**current, "due_at": new.isoformat(timespec="minutes"), "changed_at": turn.at}
    repeat = Repeat.from_body(current.get("repeat"))
    if repeat is not None and repeat.every == "week":
        repeat = Repeat("week", new.weekday())  # 'move it to Friday': every Friday from now on
        body["repeat"] = repeat.to_body()
    if repeat is not None and not repeat.fits(new):
        new = repeat.first(new)
        body["due_at"] = _iso(new)
    turn.put("reminders", key, body)
    turn.refs.append(key)
    when = (
        timefmt.when(new, turn.now, turn.lang)
        if repeat is None
        else spoken_rule(repeat, new, turn.now, turn.lang)
    )
    return [turn.say("reminder_changed", what=row["what"], when=when)]


def cancel_matches(turn: Turn) -> tuple[list[tuple[str, dict, datetime]], bool]:
    """Reminders the cancel request names (by words or by time), and whether it named any."""
    upcoming = pending(turn.store)
    what = turn.u.slots.get("what", "")
    said = cancel_sentence(turn.u.text)
    clocks = [f.value for f in find_time_phrases(said, turn.lang) if f.kind == "clock"]
    if clocks and isinstance(clocks[0], Clock):
        c = clocks[0]
        hit = [r for r in upcoming if r[2].hour % 12 == c.hour % 12 and r[2].minute == c.minute]
        return hit, True
    days = [f for f in find_time_phrases(said, turn.lang) if f.kind == "day"]
    said_day = resolve_when(said, turn.lang, turn.now) if days else None
    told = _words(turn.u.text.replace(said, " ") if said != turn.u.text else turn.u.text)
    if said_day is not None:  # '내일 알림 다 취소해', "cancel tomorrow's reminders"
        day_words = _words(_without(said, [(f.start, f.end) for f in days])) | told
        hit = [r for r in upcoming if r[2].date() == said_day.date()]
        if _weekday_alone(said):  # 'the Monday reminder': the one on Mondays, any week
            hit = [r for r in upcoming if r[2].weekday() == said_day.weekday()]
        named = [r for r in hit if day_words & _words(r[1]["what"])]
        return named or hit, True
    what = re.sub(r"\b(?:at|on|in)\b.*$|\bone\b", "", what).strip()
    if what:
        wanted = _words(what)
        scored = [(len(wanted & _words(r[1]["what"])), r) for r in upcoming]
        best = max((score for score, _ in scored), default=0)
        if best:  # '약 알림': 약 먹기 by its word, not 혈압약 먹기 by a piece of one
            return [r for score, r in scored if score == best], True
        hit = [r for r in upcoming if normalize(what) in normalize(r[1]["what"])]
        about = None if hit else _told_about(upcoming, told)  # 'That reminder can go.'
        if not hit and about is None:  # 'the piano reminder' for 'pick him up' asked with it
            about = _asked_about(turn.store, upcoming, wanted | told)
        return hit or ([about] if about else []), True
    about = _told_about(upcoming, told) or _asked_about(turn.store, upcoming, told)
    if about is not None:  # '관리비는 자동이체로 바꿨어요. 그 알림은 지워 주세요'
        return [about], True
    return upcoming, False


def _told_about(
    upcoming: list[tuple[str, dict, datetime]], told: set[str]
) -> tuple[str, dict, datetime] | None:
    """The one reminder the rest of a cancel request speaks of, when the request itself names
    none ('that reminder'): the one sharing the most words with it, if no other shares as many."""
    return _best_of([(r, _words(r[1]["what"])) for r in upcoming], told)


def _asked_about(
    store: Store, upcoming: list[tuple[str, dict, datetime]], wanted: set[str]
) -> tuple[str, dict, datetime] | None:
    """The one reminder whose request spoke of what a cancel names though its task does not
    ('My grandson has piano on Tuesdays. Remind me … to pick him up', then 'cancel the piano
    reminder'): read from the turn that set it (blanked if it was forgotten)."""
    asked = []
    for row in upcoming:
        said = store.get("turns", str(row[1].get("turn", ""))) or {}
        text = "" if said.get("forgotten") else str(said.get("text", ""))
        asked.append((row, _words(text)))
    return _best_of(asked, wanted)


def _best_of(
    asked: list[tuple[tuple[str, dict, datetime], set[str]]], wanted: set[str]
) -> tuple[str, dict, datetime] | None:
    """The one row whose words share the most with `wanted`, if no other shares as many."""
    scored = sorted(((len(wanted & words), row) for row, words in asked), key=lambda x: -x[0])
    if not scored or not scored[0][0] or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def _weekday_alone(said: str) -> bool:
    """'the Friday reminder', '금요일 알림': a weekday named with no week or date to it."""
    return bool(_WEEKDAY_NAMED.search(said)) and not re.search(
        r"\d|다음|이번|담주|\b(?:next|this|last|coming)\b", said, re.I
    )


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """normalize_text(text) with the spans blanked."""
    text = normalize_text(text)
    kept, position = [], 0
    for start, end in sorted(spans):
        kept.append(text[position:start] if start > position else " ")
        position = max(position, end)
    kept.append(text[position:])
    return " ".join(kept)


def _words(text: str) -> set[str]:
    return {_stem(w) for w in normalize(text).split() if w not in _NOT_A_TOPIC}


# fmt: skip (at its end): a word list read as a table, several words a line.
_NOT_A_TOPIC = {
    "the", "a", "an", "to", "my", "reminder", "one", "알림", "거", "것", "i", "it", "that", "this",
    "is", "are", "was", "so", "and", "of", "for", "in", "on", "at", "please", "me", "you", "we",
    "they", "no", "not", "more", "now", "이제", "그", "그거", "좀", "더", "다", "저", "제", "내",
    "remind", "every", "can", "could", "알려", "줘", "주세요", "알려줘", "매일", "매주", "라고",
}  # fmt: skip
"""Words that name no reminder (nor the request that set one): a topic is matched by the
others."""


def _stem(word: str) -> str:
    """'관리비는' -> 관리비, '스트레칭하기' -> 스트레칭, 'stretching' -> stretch, 'lessons' ->
    lesson: a word as a reminder's task and a request about it both say it."""
    word = re.sub(r"(?:을|를|이|가|은|는|하기|기)$", "", word) or word
    return re.sub(r"(?<=[a-z]{3})(?:ing|s)$", "", word)


def cancel_reminder(turn: Turn) -> list[str]:
    """Cancel the one reminder named; ask which when several fit, ask before cancelling all."""
    hits, named = cancel_matches(turn)
    if not hits:
        return [turn.say("reminder_cancel_none" if named else "reminders_none")]
    items = ", ".join(describe(r, due, turn.now, turn.lang) for _, r, due in hits)
    how_many = count(len(hits), turn.lang)
    said = cancel_sentence(turn.u.text)
    by_word = not any(f.kind == "day" for f in find_time_phrases(said, turn.lang))
    several = _ALL.search(said) or _PLURAL.search(said)
    if len(hits) > 1 and named and by_word and several:
        return cancel(
            turn, [k for k, _, _ in hits]
        )  # 'cancel both pill reminders', '약 알림 둘 다'
    if len(hits) > 1 and named:
        turn.pending = {"kind": "cancel_pick", "keys": [k for k, _, _ in hits]}
        return [turn.say("reminder_cancel_pick", count=how_many, items=items)]
    if len(hits) > 1:
        turn.pending = {"kind": "cancel_confirm", "keys": [k for k, _, _ in hits]}
        return [turn.say("reminder_cancel_which", count=how_many, items=items)]
    return cancel(turn, [hits[0][0]])


_ALL = re.compile(
    r"\b(?:all|both|every|everything|all of them)\b|(?:^|\s)(?:다|전부|모두|둘\s?다)(?:\s|$)", re.I
)


_PLURAL = re.compile(r"\b(?:reminders|alarms|ones)\b|(?:알림|알람)들", re.I)
"""A cancel that names several ('the pill reminders'): every one the words fit."""


def names(turn: Turn, keys: list[str]) -> str:
    """'call mom today at 5:00 PM, ...' for the reminders with these keys."""
    rows = [turn.store.get("reminders", k) for k in keys]
    return ", ".join(
        describe(r, datetime.fromisoformat(r["due_at"]), turn.now, turn.lang) for r in rows if r
    )


def pick(turn: Turn, keys: list[str]) -> list[str] | None:
    """The answer to 'which one should I cancel?': cancel it, or None when it named none."""
    picked = chosen(turn, keys)
    return cancel(turn, picked) if picked else None


def chosen(turn: Turn, keys: list[str]) -> list[str]:
    """Keys the answer to 'which one?' names: one of them, all of them, or none."""
    found = [(k, turn.store.get("reminders", k)) for k in keys]
    rows = [(k, r) for k, r in found if r and r.get("status") == "pending"]
    if _ALL.search(turn.u.text) or turn.u.intent == "affirm":
        return [k for k, _ in rows]
    said = _words(turn.u.text)
    named = [k for k, r in rows if said & _words(r["what"])]
    clocks = [f.value for f in find_time_phrases(turn.u.text, turn.lang) if f.kind == "clock"]
    if clocks and isinstance(clocks[0], Clock):
        c = clocks[0]
        named = [k for k, r in rows if datetime.fromisoformat(r["due_at"]).hour % 12 == c.hour % 12]
    return named if len(named) == 1 else []


def cancel(turn: Turn, keys: list[str]) -> list[str]:
    done = []
    for key in keys:
        row = turn.store.get("reminders", key)
        if row and row.get("status") == "pending":
            turn.put("reminders", key, {**row, "status": "cancelled", "cancelled_at": turn.at})
            done.append(row["what"])
    if not done:
        return [turn.say("reminder_cancel_none")]
    return [turn.say("reminder_cancelled", items=", ".join(done))]


# --- outside of turns


@dataclass(frozen=True)
class Announcement:
    """What to say about reminders that came due, and which ones it tells about."""

    text: str
    keys: tuple[str, ...]
    status: str
    """What they become once told: "done" (due now) or "missed" (due while off)."""


def due_now(store: Store, now: datetime, voices: dict[str, Voice]) -> list[Announcement]:
    """One announcement per reminder due now; nothing is marked until `mark_told`."""
    due = [(k, r) for k, r, at in pending(store) if at <= now]
    return [
        Announcement(voices[r.get("lang", "ko")].say("reminder_due", what=r["what"]), (k,), "done")
        for k, r in due
    ]


def missed_now(
    store: Store, now: datetime, voices: dict[str, Voice], lang: str
) -> list[Announcement]:
    """At start: one announcement for reminders that came due while the device was off."""
    missed = [(k, r, at) for k, r, at in pending(store) if at < now - MISSED_AFTER]
    if not missed:
        return []
    items = ", ".join(
        f"{r['what']} ({timefmt.when(_last_missed(r, at, now), at, lang)})" for _, r, at in missed
    )
    text = voices[lang].say("reminder_missed", count=count(len(missed), lang), items=items)
    return [Announcement(text, tuple(k for k, _, _ in missed), "missed")]


def told_body(row: dict, now: datetime, status: str) -> dict:
    """The row once it was told: a one-off becomes done (or missed); a recurring one stays
    pending at its next time after now, however many times it came due meanwhile, and keeps
    when it was last missed (`missed_at`) so that a list can say so."""
    stamp = now.isoformat(timespec="seconds")
    repeat = Repeat.from_body(row.get("repeat"))
    if repeat is None:
        return {**row, "status": status, "fired_at": stamp}
    due = datetime.fromisoformat(row["due_at"])
    body = {**row, "due_at": _iso(repeat.next_after(due, now)), "fired_at": stamp}
    if status == "missed":
        body["missed_at"] = _iso(_last_before(repeat, due, now))
    return body


def _last_missed(row: dict, due: datetime, now: datetime) -> datetime:
    """When a missed reminder was last due: a daily one off for three days, last night."""
    repeat = Repeat.from_body(row.get("repeat"))
    return due if repeat is None else _last_before(repeat, due, now)


def _last_before(repeat: Repeat, due: datetime, now: datetime) -> datetime:
    """The last occurrence at or before now, counting on from due (a bounded walk)."""
    last = due
    for _ in range(10_000):
        following = repeat.next_after(last, last)
        if following > now:
            break
        last = following
    return last


def mark_told(store: Store, told: Announcement, now: datetime) -> None:
    """Mark the reminders of an announcement that was said (those still pending)."""
    rows = [(k, store.get("reminders", k)) for k in told.keys]
    store.commit(
        Change("reminders.put", k, told_body(r, now, told.status))
        for k, r in rows
        if r and r.get("status") == "pending"
    )


def fire_due(store: Store, now: datetime, voices: dict[str, Voice]) -> list[str]:
    """Announcements for reminders now due; each is marked done in the same commit."""
    due = [(k, r) for k, r, at in pending(store) if at <= now]
    changes = [Change("reminders.put", k, told_body(r, now, "done")) for k, r in due]
    store.commit(changes)
    return [voices[r.get("lang", "ko")].say("reminder_due", what=r["what"]) for _, r in due]


def fire_missed(store: Store, now: datetime, voices: dict[str, Voice], lang: str) -> list[str]:
    """At start: one announcement for reminders that came due while the device was off."""
    missed = [(k, r, at) for k, r, at in pending(store) if at < now - MISSED_AFTER]
    if not missed:
        return []
    store.commit(Change("reminders.put", k, told_body(r, now, "missed")) for k, r, _ in missed)
    items = ", ".join(
        f"{r['what']} ({timefmt.when(_last_missed(r, at, now), now, lang)})" for _, r, at in missed
    )
    return [voices[lang].say("reminder_missed", count=count(len(missed), lang), items=items)]
