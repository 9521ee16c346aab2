"""Mood: every turn's feeling, replies that meet it, asking back, following up a hard day."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from earpiece.companion import facts
from earpiece.companion.context import MARKED, NEGATIVE, Turn
from earpiece.nlu import polarity
from earpiece.nlu.act import Act
from earpiece.nlu.model import Understanding
from earpiece.nlu.polarity import Polarity
from earpiece.store.database import Store

FOLLOW_UP_DAYS = 7
"""A marked feeling is followed up on the first talk of a new day, up to this many days later."""

ANSWERING = ("share_feeling", "unknown", "affirm", "thanks", "greet")
"""Intents that answer an open question; anything else is a new request."""


def sample(turn: Turn) -> None:
    """Store this turn's emotion and its confidence."""
    body = {
        "at": turn.at,
        "emotion": turn.u.emotion,
        "confidence": turn.u.emotion_confidence,
        "lang": turn.lang,
        "turn": turn.turn_key,
    }
    turn.put("mood", f"mood:{turn.turn_key.split(':', 1)[1]}", body)


_TO_ME = re.compile(r"\b(?:you|your|ya|u)\b|너|넌|니가|너랑|너를|너한테|당신|자네", re.I)
"""Words that aim a fond line at the companion ('I like talking with you')."""


def share_feeling(turn: Turn) -> list[str]:
    """Meet the feeling, then ask one short question back."""
    feeling = turn.feeling
    turn.pending = {"kind": "ask_back", "emotion": feeling}
    key = feeling
    if feeling == "affection" and not _TO_ME.search(turn.u.text):
        key = "affection_other"  # '손녀가 오늘 온다네': fond of someone, not of the companion
    return [turn.say(f"feeling_{key}"), turn.say(f"ask_back_{key}")]


def empathy(turn: Turn) -> list[str]:
    """A short line that meets a marked feeling inside another request."""
    return [turn.say(f"empathy_{turn.feeling}")] if turn.feeling != "neutral" else []


def answer(turn: Turn, question: dict) -> list[str] | None:
    """The person answers a question the companion asked; None when they asked something else."""
    intent = turn.u.intent
    if intent == "deny":
        return [turn.say("answer_declined")]
    if intent == "affirm" and len(turn.u.text.split()) <= 2 and not question.get("listened"):
        turn.pending = {**question, "listened": True}
        return [turn.say("answer_listening")]
    if intent not in ANSWERING or turn.u.act is Act.QUESTION or _ASKS_FIRST.match(turn.u.text):
        return None  # '…성함이 뭐였죠? 갑자기 생각이 안 나네요' asks, whatever the act model says
    if intent == "share_feeling" and turn.feeling != "neutral" and len(turn.u.text.split()) <= 3:
        return None  # "i feel lonely": a feeling of its own, met as one, not kept as a note
    if intent in ("thanks", "greet") and (
        turn.feeling == "neutral" or len(turn.u.text.split()) <= 2
    ):
        return None  # 'thanks', 'hi', '고마워요' are met as themselves: not 'glad it's better'
    if turn.feeling in ("joy", "affection"):
        if question["kind"] == "mood_followup":
            return [turn.say("answer_better")]  # 'a bit better, thanks'
        return None  # 'I passed my driving test!!!': good news is met as good news
    kept = worth_keeping(turn)
    if kept:
        facts.kept_answer(turn)
    if turn.feeling in NEGATIVE:  # met as the feeling it is; no 'glad you shared' after it
        return [turn.say(f"feeling_{turn.feeling}"), *([turn.say("answer_kept")] if kept else [])]
    if question["kind"] == "mood_followup" and intent != "share_feeling":
        return [turn.say("answer_better")]
    return [turn.say("answer_kept" if kept else "answer_heard")]


_ASKS_FIRST = re.compile(r"^[^.!?]{4,}\?")
"""A line whose first sentence is a question: no answer to the companion's question."""
_FILLER = re.compile(
    r"^(?:hi|hello|hey|ok|okay|yes|no|yeah|nah|fine|good|thanks|thank you|몰라|그냥|응|네|아니|"
    r"괜찮아|좋아|안녕|idk|nothing|not much)\b",
    re.I,
)


def worth_keeping(turn: Turn) -> bool:
    """An answer is kept only when it tells a fact in a usual shape (a name, a place, a plan)."""
    words = turn.u.text.split()
    if turn.u.intent in ("greet", "thanks", "affirm") or turn.u.act is not Act.STATEMENT:
        return False
    filler = bool(_FILLER.match(turn.u.text.strip())) and len(words) < 5
    if len(words) < 2 or filler:
        return False
    fact = facts.analyse(turn.u.text, turn.lang)  # a passing remark is not a fact
    return bool(fact.person and fact.attribute and fact.value)


def day_to_follow_up(store: Store, last_turn_at: str | None, now: datetime) -> str | None:
    """The marked negative feeling of the last day talked, when this is today's first turn."""
    if not last_turn_at:
        return None
    last = datetime.fromisoformat(last_turn_at)
    if last.date() >= now.date() or (now.date() - last.date()).days > FOLLOW_UP_DAYS:
        return None
    counts: dict[str, float] = {}
    for _, row in store.rows("mood", "at >= ? AND at < ?", _day_bounds(last.date())):
        if row["emotion"] in NEGATIVE and row["confidence"] >= MARKED:
            counts[row["emotion"]] = counts.get(row["emotion"], 0.0) + row["confidence"]
    return max(counts, key=lambda e: counts[e]) if counts else None


def _day_bounds(day: date) -> tuple[str, str]:
    return day.isoformat(), date.fromordinal(day.toordinal() + 1).isoformat()


# --- the feeling of a whole line, the right way round

_POSITIVE = re.compile(
    r"\bfinally\b|\breliev(?:ed|ing)\b|\bthank\s+god\b|\bphew\b|\bya+y+\b|\bwoo+(?:hoo+)?\b"
    r"|\bgood\s+news\b|\bpassed\s+(?:my|the|all|it|both)\b|\bgot\s+(?:the|a|my)\s+(?:job|offer|place)\b"
    r"|\b(?:moved|got|came|is|was|are|she'?s|he'?s)\s+out\s+of\s+(?:the\s+)?(?:icu|hospital|surgery)\b"
    r"|\bdischarged\b|\bcan'?t\s+wait\b|\bso\s+happy\b|\bexcited\b|\bproud\b|\bover\s+the\s+moon\b"
    r"|\b(?:feeling|feel|much|a\s+lot|bit)\s+better\b|\bbetter\s+(?:now|today)\b"
    r"|\b(?:is|are|'s|was|came\s+back)\s+(?:fine|okay|ok|normal|good|clear|negative)\s+now\b"
    r"|\bnot\s+(?:bad|too\s+bad)\b|\bhaving\s+a\s+baby\b|\bgot\s+engaged\b|\bgetting\s+married\b"
    r"|\bwent\s+(?:well|great|fine)\b|\bcame\s+home\b.*!|\b(?:is|are)\s+here\b.*!"
    r"|\b(?:was|were|got)\s+born\b|\b(?:we|i)\s+(?:won|did\s+it|made\s+it)\b|\bday\s+off\b"
    r"|\boff\s+the\s+ventilator\b|\bsaved\s+(?:him|her|them)\b|쉬는\s?날|휴가다|(?:중환자실|병원|수술실)에서\s?(?:나왔|나오|퇴원)"
    r"|드디어|다행|합격|퇴원|살았다|기뻐|기쁘|신나|신난|행복|최고야|야호|좋아졌|붙었|해냈|나아졌|괜찮아졌"
    r"|반가웠|반갑|뿌듯|잘\s?됐다|잘\s?끝났|맛있었|재밌었|재미있었|즐거웠|좋았어|좋았다|좋았네"
    r"|\bhad\s+(?:a\s+)?(?:great|lovely|wonderful|fun|amazing)\b|\bso\s+much\s+fun\b|\bdelicious\b"
    r"|\bmerry\s+(?:christmas|xmas)\b|\bhappy\s+(?:new\s+year|holidays|thanksgiving|easter|hanukkah"
    r"|chuseok|lunar\s+new\s+year)\b|메리\s?크리스마스|새해\s?복|즐거운\s?(?:성탄|명절|설|추석|연휴)"
    r"|(?<!안)(?<!안\s)(?:좀|조금|훨씬|한결|많이|이제)\s?(?:낫[다네아]|나아[요졌]?|나았)",
    re.I,
)
"""Holiday greetings are glad; 'better' said in Korean (좀 낫다, 한결 나아요) is relief, not the
ache it was better than ('안 낫네' is not)."""
_WORN_OR_DREAMT = re.compile(
    r"(?:허리|어깨|팔|다리|무릎|손목|발목|등|목|발)(?:이|가)?\s?(?:끊어|빠지|빠질|나가|나갈|부러지"
    r"|떨어져\s?나가|내려앉)\S*\s?줄\s?알았|녹초|파김치|\bdead\s+on\s+my\s+feet\b"
    r"|\brunning\s+on\s+(?:fumes|empty)\b|\bwiped\s+out\b|\bknackered\b|\bshattered\b"
    r"|\bnightmares?\b|악몽|꿈자리\S*\s?(?:사나|뒤숭숭|안\s?좋)",
    re.I,
)
"""Exhaustion idioms ('손목이 끊어지는 줄 알았다', 'running on fumes') and bad dreams."""
_NEGATIVE = re.compile(
    r"\bbrutal\b|\bawful\b|\bterrible\b|\bhorrible\b|\brough\b|\bmiserable\b|\bworst\b"
    r"|\bexhaust(?:ing|ed)\b|\bugh+\b|\bflat\s+tire\b|\bbroke\s+down\b|\bfailed\b|\blost\s+my\b"
    r"|\bsucks?\b|\bpassed\s+away\b|\bdied\b|\bcrying\b|\bdepress\w*\b|\blonely\b|\bscared\b"
    r"|최악|힘들|지쳤|지친|우울|외로|속상|짜증|망했|서러|슬퍼|슬프|돌아가셨|떨어졌|아파|무서|울었|울고"
    r"|서운|섭섭|쓸쓸|허전|괴로|괴롭|막막|답답해|불안|걱정돼|걱정이야|걱정이에요|걱정돼요"
    r"|싸웠|싸워서|싸움|기분이?\s?(?:별로|나빠|안\s?좋|꿀꿀|엉망)|화나|화가\s?나|열받|눈물"
    r"|\bcried\b|\bcrying\b|\bsad\b|\bupset\b|\bworried\b|\bstressed\b|\blow\b(?!\s+(?:blood|battery|fat|sugar|price|tide))"
    r"|\bpassed\s+(?:at|in\s+(?:his|her|their)\s+sleep|this\s+morning|last\s+night|peacefully)\b"
    r"|\b(?:he|she|they|dad|mom|mum|grandpa|grandma)(?:'s|\s+is|\s+was)\s+gone\s*(?:[.!,;]|$)"
    r"|\b(?:yell(?:ed|ing)?|scream(?:ed|ing)?|shout(?:ed|ing)?|swore|cursed)\s+at\s+(?:me|us|my)\b"
    r"|소리(?:를)?\s?(?:지르|질러|질렀)|욕(?:을)?\s?(?:하더|했|들었|먹었)|숨을?\s?거두"
    r"|" + _WORN_OR_DREAMT.pattern,
    re.I,
)
"""A death said plainly ('passed at 4', 'she's gone.') and being yelled at are bad news without
a feeling word."""
_SARCASM = re.compile(
    r"\blove\s+that\s+for\s+me\b|\bjust\s+(?:great|perfect|wonderful|fantastic)\b.{0,3}$"
    r"|^(?:oh\s+)?(?:just\s+)?(?:great|perfect|wonderful|fantastic|awesome|lovely|brilliant|nice"
    r"|super|cool|yay|yippee|hooray|woo+hoo+)[\s,.!…]+(?:(?:just\s+)?another|just\s+what|more|now|and\s+now|exactly\s+what"
    r"|of\s+course|as\s+if|.{0,40}\b(?:again|late|broke|broken|flat|cancel+ed|stuck|lost|delayed"
    r"|rain(?:ing)?|dead|crashed)\b)|\bjust\s+what\s+i\s+(?:needed|wanted)\b|\bjust\s+my\s+luck\b"
    r"|\b(?:again|late|broke|broken|rain\w*|cancel+ed|stuck|lost|delayed)\b.{0,30}[,.…]\s*(?:just\s+)?"
    r"(?:perfect|great|wonderful|lovely|fantastic|brilliant|awesome)[.!]*$"
    r"|퍽이나|잘\s?됐네\s?참|참\s?잘\s?됐네|참\s?잘\s?됐다|아주\s?잘\s?됐네"
    r"|(?:잘\s?됐|좋|좋네|최고|신나|신난|멋지|대박|굉장하)[다네군야요]*[\s,.!~…]+(?:[가-힣]+\s)?"
    r"(?:또|또다시|이번에도|오늘도|내일도)\s?(?:[가-힣]+\s)?"
    r"(?:야근|밤샘|당직|잔업|특근|연장|근무|출근|비\s?(?:온|와|오)|고장|취소|지각|연착|늦|망|혼나"
    r"|잔소리|시험|과제|숙제|설거지|더블|이중)",
    re.I,
)
_PRAISE_WORD = re.compile(
    r"(?:just|oh|so|really|how|simply|absolutely|very|just\s+)?\s*(?:great|perfect|super|cool"
    r"|wonderful|lovely|brilliant|fantastic|marvell?ous|awesome|excellent|splendid|terrific"
    r"|amazing|grand|fabulous|superb|nice|yay|hooray|wow)"
    r"|(?:와|오|아주|참|정말|진짜)?\s*(?:최고|완벽|대박|훌륭|대단|멋지|굉장|좋|잘\s?됐)"
    r"[가-힣]{0,3}",
    re.I,
)
_CLIPPED = re.compile(r"(?<=[.!?…])\s+")
_PRAISE_AFTERWARD = re.compile(
    r"(?:잘\s?됐|잘\s?했|잘\s?한|잘\s?하|잘났)(?:다|네|군|구나)\s?(?:아주|참)\s*(?=[.!?~…]|$)"
)
"""Korean irony: 'well done' with its intensifier put after it ('잘한다 아주', '잘났다 참')."""


def praise_not_meant(text: str) -> bool:
    """Sarcasm's shape beyond set phrases: a run of clipped praise sentences ('Lovely.
    Marvellous.') after something else was said, or three of them alone; Korean irony."""
    if _PRAISE_AFTERWARD.search(text):
        return True
    sentences = [s.strip(" .!?…~") for s in _CLIPPED.split(text.strip()) if s.strip(" .!?…~")]
    run, longest, before = 0, 0, False
    for i, sentence in enumerate(sentences):
        praise = len(sentence.split()) <= 2 and bool(_PRAISE_WORD.fullmatch(sentence))
        run = run + 1 if praise else 0
        if run == 1:
            before = i > 0
        longest = max(longest, run)
        if run >= 3 or (run >= 2 and before):
            return True
    return False


_TIRED_WORDS = re.compile(
    r"shift|tired|exhaust|long\s+day|no\s+sleep|on\s+my\s+feet|fumes|wiped|knackered|shattered"
    r"|피곤|지쳤|지친|야간|밤샘|녹초|파김치|(?:끊어|빠지|빠질|나가|나갈|부러지|내려앉)\S*\s?줄\s?알았",
    re.I,
)


_ANGRY_WORDS = re.compile(
    r"\b(?:yell|scream|shout|swore|cursed)|소리\s?(?:를\s?)?(?:지르|질러|질렀)|욕(?:을|하더|했|들었|먹었)",
    re.I,
)
_ANXIOUS_WORDS = re.compile(
    r"불안|걱정|무서|악몽|꿈자리|\bscared\b|\bworried\b|\bnervous\b|\bnightmares?\b", re.I
)
_LONELY_WORDS = re.compile(r"외로|쓸쓸|허전|\blonely\b", re.I)

_SIGH = re.compile(
    r"\bu+gh+\b|\bo+h\s+no\b|(?<![가-힣])(?:아이[고구]|에휴|하+아+|으+)(?![가-힣])", re.I
)
CLOCK_QUESTIONS = ("ask_time", "ask_date")
"""A question to the clock or the calendar: a sigh or a tired word in it is not the person's
feeling ('ugh what day is it', '몇 시야 졸려'); words that say one plainly still count."""

SURE = 0.9
"""At or above this confidence, a glad reading of a line in capitals or with '!!' is kept over a
bad word inside it."""
WEAK = 0.7
"""Below this confidence, a feeling the words of a plain account of the day do not carry is
not taken as the person's."""


def read_feeling(u: Understanding) -> Understanding:
    """The understanding with its feeling read from the whole line: the model's emotion unless
    the words say plainly otherwise (sarcasm, 'finally', relief, good news in capitals and '!!!',
    'brutal', 'flat tire'); the model reads words one by one and misses these."""
    text = u.text
    letters = [c for c in text if c.isalpha() and c.isascii()]
    shouting = len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    marks = "!!" in text or shouting
    good, bad = bool(_POSITIVE.search(text)), bool(_NEGATIVE.search(text))
    model_good = u.emotion in ("joy", "affection") and u.emotion_confidence >= MARKED
    model_bad = u.emotion in NEGATIVE and u.emotion_confidence >= MARKED
    if _SARCASM.search(text) or praise_not_meant(text):
        return replace(u, emotion="anger", emotion_confidence=0.8)
    if u.intent in CLOCK_QUESTIONS and not good and not _NEGATIVE.search(_SIGH.sub(" ", text)):
        return replace(u, emotion="neutral", emotion_confidence=0.6)
    leans_glad = u.emotion in ("joy", "affection") and u.emotion_confidence >= 0.3
    if not bad and "!" in text and leans_glad and not model_good:
        return replace(u, emotion_confidence=0.6)  # "We're having a baby!": glad, '!' says so
    if good and not bad:
        if model_good:
            return u
        return replace(u, emotion="joy", emotion_confidence=0.9 if marks else 0.8)
    if not good and not bad and (model_good or model_bad) and u.emotion_confidence < WEAK:
        from earpiece.companion.route import told_today

        if told_today(text):  # '아까 엄마랑 통화했어' read as sad at 0.55: an event, no feeling
            return replace(u, emotion="neutral", emotion_confidence=0.6)
    if not good and not bad and (model_good or model_bad) and _plain_fact(text, u.lang):
        return replace(u, emotion="neutral", emotion_confidence=0.6)  # '할머니 생신은 10월 3일'
    if model_good and u.emotion_confidence >= SURE and marks:
        return u  # 'PASSED!!! thought I failed': a sure glad shout outweighs one bad word in it
    if bad and not good and not model_bad and not (model_good and _hedged(text)):
        return replace(u, emotion=_negative_kind(text), emotion_confidence=0.8)
    return u


_TURN = re.compile(r"\b(?:but|though|yet|still)\b|(?:인데|는데|지만|어도|아도|해도)", re.I)


def _hedged(text: str) -> bool:
    """A hard word, then a turn ('worn out, but happy', '녹초인데 기분은 좋다'): the feeling is
    the one after it, which the emotion head read glad."""
    hard = _NEGATIVE.search(text)
    turn = _TURN.search(text, hard.end()) if hard else None
    return turn is not None and not _NEGATIVE.search(text, turn.end())


def _negative_kind(text: str) -> str:
    """Which hard feeling a line's words name, sadness when none."""
    # fmt: skip (at its end): one emotion a line, read as a table.
    kind = (
        "tiredness" if _TIRED_WORDS.search(text)
        else "anger" if _ANGRY_WORDS.search(text)
        else "anxiety" if _ANXIOUS_WORDS.search(text)
        else "loneliness" if _LONELY_WORDS.search(text)
        else "sadness"
    )  # fmt: skip
    return kind


def polarity_of(emotion: str, confidence: float) -> str:
    """positive, negative or neutral: a feeling counts only when marked."""
    if confidence < MARKED:
        return "neutral"
    return (
        "positive"
        if emotion in ("joy", "affection")
        else ("negative" if emotion in NEGATIVE else "neutral")
    )


TALK = ("share_feeling", "unknown")
"""Intents whose feeling the polarity model may turn: talk about one's day. On a fact told or a
request the feeling read decides the route (a fact said with a feeling read as one's mood is
not kept: route.refine), and a greeting's glad reading would end a follow-up."""


def with_polarity(
    felt: Understanding, head: Understanding
) -> tuple[Understanding, Polarity | None]:
    """The feeling `read_feeling` gave (`felt`), turned the way the polarity model reads the
    line (nlu/polarity.py) when it is confident of a feeling the reading lacks, or sure of one
    the reading has the other way round: positive is joy; negative is the emotion head's own
    hard feeling (`head`, before any rule) when it has one, else the one the words name, else
    sadness.
    Only for TALK; the model never takes a feeling away. Also the model's reading, for the
    reply's record."""
    if (
        felt.intent in CLOCK_QUESTIONS
        and polarity_of(felt.emotion, felt.emotion_confidence) == "neutral"
    ):
        return felt, None  # 'ugh what time is it': the clock, not the person's feeling
    reading = polarity.read(felt.text)
    if reading is None or not reading.confident or reading.label == "neutral":
        return felt, reading
    if felt.intent not in TALK:
        return felt, reading  # a fact told, a request: its feeling decides its route (route.py)
    now = polarity_of(felt.emotion, felt.emotion_confidence)
    if reading.label == now or (now != "neutral" and not reading.sure):
        return felt, reading  # the other way round only when the model is sure
    if now != "neutral" and said_plainly(felt.text):
        return felt, reading  # sarcasm, 'my back nearly snapped': the words say it
    if reading.label == "positive":
        return replace(felt, emotion="joy", emotion_confidence=reading.confidence), reading
    emotion = head.emotion if head.emotion in NEGATIVE else _negative_kind(felt.text)
    return replace(felt, emotion=emotion, emotion_confidence=reading.confidence), reading


def said_plainly(text: str) -> bool:
    """Whether the words of a line say which way its feeling is beyond a guess: sarcasm's shape,
    or an idiom of exhaustion or a bad dream with no glad word (read_feeling read the feeling
    from them; the model, which reads such idioms word by word, does not turn it). Other hard
    words ('failed', '눈물') are turned by a sure model: 'PASSED!!! thought I failed'."""
    if _SARCASM.search(text) or praise_not_meant(text):
        return True
    return bool(_WORN_OR_DREAMT.search(text)) and not _POSITIVE.search(text)


def _plain_fact(text: str, lang: str) -> bool:
    """A name, a birthday or a workplace told plainly: no feeling unless words say so (a parent in
    hospital may well worry: a place keeps the model's feeling)."""
    fact = facts.analyse(text, lang)
    return fact.attribute in ("name", "birthday", "phone", "work", "allergy") and bool(fact.value)


# --- following up a low by time lived, not by the calendar

FOLLOW_UP_GAP_HOURS = 4.0
"""Hours without a word after which the next turn asks how they are, after a low or a crisis."""
FOLLOW_UP_MAX_DAYS = 7
"""A low older than this many days is not followed up."""


NIGHT = (2, 6)
"""Hours (from, to) of the night: a gap between two turns that spans part of them had a sleep."""
FINE = 0.7
"""Least confidence of a glad reading for the person to have said they are fine now."""
_WELL_NOW = re.compile(
    r"\b(?:i'?m|i\s+am|feel(?:ing)?|felt)\s+(?:(?:so|much|a\s+lot|way)\s+)?(?:fine|good|great|better"
    r"|okay|ok|alright|all\s+right|rested|refreshed|fresh|like\s+new|brand\s+new|human\s+again)\b"
    r"|\bslept\s+(?:well|great|fine|like\s+a\s+(?:log|baby|rock)|(?:right\s+)?through)\b"
    r"|\bgood\s+night'?s\s+sleep\b|개운|푹\s?잤|잘\s?잤(?!\S*[?？])|괜찮아졌|나아졌|좋아졌|상쾌|거뜬"
    r"|살\s?것\s?같|기분\s?좋",
    re.I,
)
"""Words of being well now ('slept like a log', 'I feel human again', '개운하다', '푹 잤어')."""


def low_after(
    turn: Turn, previous: dict | None, followed: bool, answering: bool = False
) -> dict | None:
    """The low to follow up next time: this turn's crisis or marked negative feeling, else the
    one before unless it was just followed up or the person sounds glad now. A low told in the
    turn that asked after one, or in answer to that question (`answering`), was asked after
    already: it is kept (a glad line still ends it) but not asked about again."""
    if turn.danger:
        return {"emotion": "crisis", "at": turn.at}
    if turn.feeling in NEGATIVE and not turn.dictating:
        low = {"emotion": turn.feeling, "at": turn.at}
        return {**low, "asked": True} if followed or answering else low
    if followed or (turn.feeling in ("joy", "affection") and not turn.dictating):
        return None
    return previous


def slept_between(last: datetime, now: datetime) -> bool:
    """Whether a night lies between two moments: the gap covers part of NIGHT on some day."""
    day = last.date()
    while day <= now.date():
        start = datetime.combine(day, time(NIGHT[0]), last.tzinfo)
        if last < start + timedelta(hours=NIGHT[1] - NIGHT[0]) and now > start:
            return True
        day += timedelta(days=1)
    return False


def ask_after(low: str, turn: Turn, last_turn_at: str | None) -> bool:
    """Whether a low left (`low`: its emotion, or 'crisis') is asked after on this turn, given
    how the person sounds now: not when they say plainly they are well now, glad in words of it
    (they have said how they are; a crisis is asked after all the same; glad news is not that);
    on a hard feeling, only on the first line after a sleep (how the night went is not yet how
    they are: 'barely slept', a bad dream); a new low told hours later the same day is met as
    itself."""
    fine = turn.feeling == "joy" and turn.u.emotion_confidence >= FINE
    if fine and _WELL_NOW.search(turn.u.text):
        return low in ("crisis", "emergency")
    if turn.feeling not in NEGATIVE or low == "emergency":
        return True
    return last_turn_at is not None and slept_between(
        datetime.fromisoformat(last_turn_at), turn.now
    )


def with_follow_up(turn: Turn, parts: list[str], low: str, asked: str) -> list[str]:
    """The reply with the question after a low (`asked`): alone in place of 'I didn't
    understand' (a hard feeling met first); after one line that meets a hard feeling, in place
    of asking what it is about (one question a turn); after the reply, or before it when the
    reply asks a question of its own."""
    if turn.pending is None and (
        turn.u.intent in ("unknown", "affirm", "deny") or "unknown" in turn.said
    ):
        parts = empathy(turn) if turn.feeling in NEGATIVE else []
    if turn.pending and turn.pending.get("kind") == "ask_back" and turn.feeling in NEGATIVE:
        parts, turn.pending = parts[:1], None  # 'You sound worn out.' then 'how are you now?'
    if turn.pending is None:
        turn.pending = {"kind": "mood_followup", "emotion": low}
        return [*parts, asked]
    return [asked, *parts]


def to_follow_up(state: dict, now: datetime) -> dict | None:
    """The low to ask about now: one was left, not yet asked after, and several hours (a sleep)
    have passed."""
    low, last = state.get("low"), state.get("last_turn_at")
    if not low or not last or low.get("asked"):
        return None
    gap = (now - datetime.fromisoformat(last)).total_seconds() / 3600
    age = (now - datetime.fromisoformat(low["at"])).days
    if gap < FOLLOW_UP_GAP_HOURS or age > FOLLOW_UP_MAX_DAYS:
        return None
    return dict(low)


def when_words(at: str, now: datetime, lang: str) -> str:
    """When the low was, as said from now: 'earlier', 'last night', 'yesterday', 'the other day'."""
    then = datetime.fromisoformat(at)
    days = (now.date() - then.date()).days
    night = then.hour >= 20 or then.hour < 5
    if days == 0:
        key = "last_night" if then.hour < 5 and now.hour >= 5 else "earlier"
    elif days == 1:
        key = "last_night" if night else "yesterday"
    else:
        key = "other_day"
    words = {
        "earlier": ("earlier", "아까"),
        "last_night": ("last night", "어젯밤에"),
        "yesterday": ("yesterday", "어제"),
        "other_day": ("the other day", "며칠 전에"),
    }
    return words[key][1 if lang == "ko" else 0]
