"""Slots come out of Korean and English utterances per intent, and garbage gives nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from earpiece.nlu.labels import INTENTS
from earpiece.nlu.slots import extract_slots, resolve_when, told_as_task

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 11, 27, 14, 10, tzinfo=SEOUL)  # a Friday afternoon
SLOT_INTENTS = (
    "set_reminder",
    "cancel_reminder",
    "remember_fact",
    "recall_fact",
    "forget_fact",
    "write_letter",
    "read_letter",
)

SET_REMINDER = [
    # (lang, text, when, what); None means the slot is absent
    # issue 20: a particle after a space is not the start of the next word; repeats are no task
    ("ko", "내일 은행 가라고 알려줘", "2026-11-28T09:00+09:00", "은행 가기"),
    ("ko", "모레 도서관 가라고 알려줘", "2026-11-29T09:00+09:00", "도서관 가기"),
    ("ko", "세시에약먹으라고알려줘", "2026-11-27T15:00+09:00", "약먹기"),
    ("ko", "매일 여덟 시에 약 먹으라고 알려줘", "2026-11-27T20:00+09:00", "약 먹기"),
    ("ko", "혈압약 먹는 거 잊어버리지 않게 알려 주게", None, "혈압약 먹기"),
    ("en", "remind me to take my pills every day at 8", "2026-11-27T20:00+09:00", "take my pills"),
    ("ko", "내일 아침 7시에 빨래 꺼내라고 알려줘", "2026-11-28T07:00+09:00", "빨래 꺼내기"),
    ("ko", "내일 아침 일곱 시에 빨래 꺼내라고 알려줘", "2026-11-28T07:00+09:00", "빨래 꺼내기"),
    ("ko", "빨래 꺼내기 알림 30분 뒤에 맞춰줘", "2026-11-27T14:40+09:00", "빨래 꺼내기"),
    ("ko", "삼십 분 뒤에 빨래 꺼내라고 말해 줘", "2026-11-27T14:40+09:00", "빨래 꺼내기"),
    ("ko", "내일 아침 7시에 깨워줘", "2026-11-28T07:00+09:00", "깨우기"),
    ("ko", "나 내일 아침 일곱 시에 깨워 줘", "2026-11-28T07:00+09:00", "깨우기"),
    ("ko", "저녁 여섯 시에 약 먹으라고 알려 주세요", "2026-11-27T18:00+09:00", "약 먹기"),
    (
        "ko",
        "금요일 오후 다섯 시에 엄마한테 전화하라고 말해줘",
        "2026-11-27T17:00+09:00",
        "엄마한테 전화하기",
    ),
    (
        "ko",
        "한 시간 반 뒤에 빨래 꺼내는 거 잊지 않게 알려줘",
        "2026-11-27T15:40+09:00",
        "빨래 꺼내기",
    ),
    ("ko", "모레 오후 두 시 병원 예약 알림 설정해 줘", "2026-11-29T14:00+09:00", "병원 예약"),
    ("ko", "30분 뒤에 알려줘", "2026-11-27T14:40+09:00", None),
    ("ko", "회의 있다고 알려줘", None, "회의 있다"),
    ("en", "remind me to call mom at five", "2026-11-27T17:00+09:00", "call mom"),
    ("en", "remind me to call mom at 5 pm", "2026-11-27T17:00+09:00", "call mom"),
    ("en", "wake me up at 7", "2026-11-27T19:00+09:00", "wake up"),
    ("en", "wake me up tomorrow at seven a m", "2026-11-28T07:00+09:00", "wake up"),
    (
        "en",
        "Can you remind me in 20 minutes to check the oven?",
        "2026-11-27T14:30+09:00",
        "check the oven",
    ),
    ("en", "set a reminder for 5 pm to take my pills", "2026-11-27T17:00+09:00", "take my pills"),
    (
        "en",
        "in half an hour remind me to call Jisoo please",
        "2026-11-27T14:40+09:00",
        "call Jisoo",
    ),
    (
        "en",
        "remind me tomorrow morning at 7 that the plumber is coming",
        "2026-11-28T07:00+09:00",
        "the plumber is coming",
    ),
    (
        "en",
        "remind me on march 5th at 2 pm about the dentist",
        "2027-03-05T14:00+09:00",
        "the dentist",
    ),
    ("en", "set an alarm for 6 am", "2026-11-28T06:00+09:00", None),
    ("en", "remind me to water the plants", None, "water the plants"),
]


@pytest.mark.parametrize(("lang", "text", "when", "what"), SET_REMINDER)
def test_set_reminder(lang: str, text: str, when: str | None, what: str | None) -> None:
    expected = {key: value for key, value in (("when", when), ("what", what)) if value}
    assert extract_slots("set_reminder", text, lang, NOW) == expected


def test_reminder_when_agrees_with_resolve_when() -> None:
    text = "다음 주 월요일 아침 8시에 분리수거 하라고 알려줘"
    slots = extract_slots("set_reminder", text, "ko", NOW)
    assert slots["when"] == resolve_when(text, "ko", NOW).isoformat(timespec="minutes")
    assert datetime.fromisoformat(slots["when"]) == datetime(2026, 11, 30, 8, tzinfo=SEOUL)
    assert slots["what"] == "분리수거 하기"


CANCEL_REMINDER = [
    ("ko", "빨래 알림 취소해", "빨래"),
    ("ko", "빨래 알림 취소해 줘", "빨래"),
    ("ko", "빨래 꺼내라는 알림 지워줘", "빨래 꺼내기"),
    ("ko", "알림 취소해", None),
    ("ko", "그 알람 좀 꺼줘", None),
    ("ko", "알림 다 지워줘", None),
    ("en", "cancel the dentist reminder", "dentist"),
    ("en", "please delete the reminder to call mom", "call mom"),
    ("en", "can you remove my reminder about the meeting", "meeting"),
    ("en", "cancel my alarm", None),
    ("en", "cancel that", None),
]


@pytest.mark.parametrize(("lang", "text", "what"), CANCEL_REMINDER)
def test_cancel_reminder(lang: str, text: str, what: str | None) -> None:
    assert extract_slots("cancel_reminder", text, lang, NOW) == ({"what": what} if what else {})


REMEMBER_FACT = [
    ("en", "remember that I love jazz", "I love jazz"),
    ("en", "Please remember that my sister's name is Jiwoo.", "my sister's name is Jiwoo"),
    ("en", "I love jazz, remember that.", "I love jazz"),
    ("en", "don't forget I'm allergic to peanuts", "I'm allergic to peanuts"),
    ("en", "my birthday is march 5th", "my birthday is march 5th"),
    ("ko", "기억해 줘 나 재즈 좋아해", "나 재즈 좋아해"),
    ("ko", "내 생일은 3월 5일이야", "내 생일은 3월 5일이야"),
    ("ko", "나 재즈 좋아한다고 기억해줘", "나 재즈 좋아한다"),
    ("ko", "내 생일은 3월 5일이라고 기억해 둬", "내 생일은 3월 5일"),
    ("ko", "이거 기억해 줘: 우리 강아지 이름은 콩이야", "우리 강아지 이름은 콩이야"),
    ("ko", "내 이름은 지수라고 꼭 기억해", "내 이름은 지수"),
]


@pytest.mark.parametrize(("lang", "text", "fact"), REMEMBER_FACT)
def test_remember_fact(lang: str, text: str, fact: str) -> None:
    assert extract_slots("remember_fact", text, lang, NOW) == {"fact": fact}


TOPICS = [
    ("recall_fact", "en", "what's my sister's name", "sister"),
    ("recall_fact", "en", "when is my birthday?", "birthday"),
    ("recall_fact", "en", "what did I tell you about my job", "job"),
    ("recall_fact", "en", "what's my favorite color", "favorite color"),
    ("recall_fact", "en", "what do you know about me", None),
    ("recall_fact", "en", "what do you remember", None),
    ("forget_fact", "en", "forget what I said about work", "work"),
    ("forget_fact", "en", "forget my address", "address"),
    ("forget_fact", "en", "forget everything", None),
    ("forget_fact", "en", "forget that", None),
    ("recall_fact", "ko", "내 생일 언제라고 했지", "생일"),
    ("recall_fact", "ko", "우리 엄마 이름이 뭐였지?", "엄마"),
    ("recall_fact", "ko", "내 동생 생일이 언제였지", "동생 생일"),
    ("recall_fact", "ko", "내가 뭘 좋아한다고 했지?", None),
    ("recall_fact", "ko", "나에 대해 뭐 알아?", None),
    ("forget_fact", "ko", "회사 얘기 잊어줘", "회사"),
    ("forget_fact", "ko", "회사에 대해서 말한 거 지워 줘", "회사"),
    ("forget_fact", "ko", "내 주소 잊어버려", "주소"),
    ("forget_fact", "ko", "그거 잊어줘", None),
    ("forget_fact", "ko", "아까 말한 거 잊어줘", None),
]


@pytest.mark.parametrize(("intent", "lang", "text", "topic"), TOPICS)
def test_topic(intent: str, lang: str, text: str, topic: str | None) -> None:
    assert extract_slots(intent, text, lang, NOW) == ({"topic": topic} if topic else {})


RECIPIENTS = [
    ("write_letter", "ko", "엄마한테 편지 쓰고 싶어", "엄마"),
    ("write_letter", "ko", "지수에게 편지 쓸래", "지수"),
    ("write_letter", "ko", "할머니께 편지 쓰고 싶어요", "할머니"),
    ("write_letter", "ko", "선생님께 감사 편지 쓰자", "선생님"),
    ("write_letter", "ko", "편지 쓰고 싶어", None),
    ("read_letter", "ko", "아빠한테 쓴 편지 읽어줘", "아빠"),
    ("read_letter", "ko", "지수 편지 읽어 줘", "지수"),
    ("read_letter", "ko", "아까 쓴 편지 읽어줘", None),
    ("read_letter", "ko", "나한테 편지 읽어줘", None),
    ("write_letter", "en", "help me write a letter to Catherine", "Catherine"),
    ("write_letter", "en", "I want to write to my grandma", "grandma"),
    ("write_letter", "en", "write my mom a letter", "mom"),
    ("write_letter", "en", "let's write a letter to Aunt Mary about the wedding", "Aunt Mary"),
    ("write_letter", "en", "I want to write a letter", None),
    ("read_letter", "en", "read the letter to my dad", "dad"),
    ("read_letter", "en", "read grandma's letter", "grandma"),
    ("read_letter", "en", "read me the letter", None),
    ("read_letter", "en", "read it to me again", None),
]


@pytest.mark.parametrize(("intent", "lang", "text", "recipient"), RECIPIENTS)
def test_recipient(intent: str, lang: str, text: str, recipient: str | None) -> None:
    assert extract_slots(intent, text, lang, NOW) == ({"recipient": recipient} if recipient else {})


@pytest.mark.parametrize("intent", [i for i in INTENTS if i not in SLOT_INTENTS])
@pytest.mark.parametrize(
    ("lang", "text"), [("ko", "내일 아침 7시에 엄마한테 편지 써줘"), ("en", "remind me at 5 pm")]
)
def test_other_intents_have_no_slots(intent: str, lang: str, text: str) -> None:
    assert extract_slots(intent, text, lang, NOW) == {}


@pytest.mark.parametrize("intent", SLOT_INTENTS)
def test_unknown_language_or_intent_gives_nothing(intent: str) -> None:
    assert extract_slots(intent, "remind me at 5 pm to write to Catherine", "fr", NOW) == {}
    assert extract_slots("no_such_intent", "remind me at 5 pm", "en", NOW) == {}


GARBAGE = [
    "",
    "   ",
    "...?!",
    "😀😀😀 🕖 ⏰",
    "\x00\x01\x02\x1b[31m\x7f\u200b\ufeff",
    "ㅋㅋㅋ ☃ Ωμέγα ١٢٣ العربية 漢字 かな",
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("intent", SLOT_INTENTS)
@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_gives_no_slots(text: str, intent: str, lang: str) -> None:
    slots = extract_slots(intent, text, lang, NOW)
    assert "when" not in slots
    assert all(isinstance(value, str) and value.strip() for value in slots.values())
    if not any(ch.isalpha() for ch in text):
        assert slots == {}


HUNDRED_KB = 100_000
LARGE_TEXTS = [
    "a" * HUNDRED_KB,
    "가" * HUNDRED_KB,
    "," * HUNDRED_KB,
    "to " * (HUNDRED_KB // 3),
    "my " * (HUNDRED_KB // 3),
    "about " * (HUNDRED_KB // 6),
    "한테" * (HUNDRED_KB // 2),
    "좀" * HUNDRED_KB,
    "기억해 " * (HUNDRED_KB // 4),
    "remind me " * (HUNDRED_KB // 10),
    "x's " * (HUNDRED_KB // 4),
    "일곱시삼십분" * (HUNDRED_KB // 6),
    "".join(chr(0x20 + (i * 7919) % 0x3000) for i in range(HUNDRED_KB)),
]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("intent", SLOT_INTENTS)
@pytest.mark.parametrize("text", LARGE_TEXTS, ids=range(len(LARGE_TEXTS)))
def test_100_kb_returns_plain_strings(text: str, intent: str, lang: str) -> None:
    slots = extract_slots(intent, text, lang, NOW)
    assert isinstance(slots, dict)
    assert all(isinstance(key, str) and isinstance(value, str) for key, value in slots.items())


@pytest.mark.parametrize("text", [None, 42, b"remind me at 5"])
def test_non_text_gives_no_slots(text: object) -> None:
    assert extract_slots("set_reminder", text, "en", NOW) == {}  # type: ignore[arg-type]


def test_values_are_plain_strings_without_edge_punctuation() -> None:
    slots = extract_slots("set_reminder", "  Remind me to call mom at five!!  ", "en", NOW)
    assert slots == {"when": "2026-11-27T17:00+09:00", "what": "call mom"}


@pytest.mark.parametrize(
    ("told", "lang", "habit", "task"),
    [
        ("부산 사는 삼촌한테 안부 전화해야 하는데,", "ko", False,
         "부산 사는 삼촌한테 안부 전화하기"),
        ("내일 도서관에 책 반납해야 되거든", "ko", False, "내일 도서관에 책 반납하기"),
        ("약국 들러야 하니까", "ko", False, "약국 들르기"),
        ("세탁소에서 양복 찾으려고 하는데", "ko", False, "세탁소에서 양복 찾기"),
        ("고양이 밥 챙겨야 해서", "ko", False, "고양이 밥 챙기기"),
        ("화분에 물 줘요.", "ko", True, "화분에 물 주기"),
        ("화분에 물 줘요.", "ko", False, ""),  # a plain statement is a task only as a habit
        ("오늘 좀 피곤하다", "ko", True, ""),
        ("I need to call the pharmacy before it closes,", "en", False,
         "call the pharmacy before it closes"),
        ("We've got to pick up the cake.", "en", False, "pick up the cake"),
        ("I feed the sourdough starter.", "en", True, "feed the sourdough starter"),
        ("I feed the sourdough starter.", "en", False, ""),
        ("I think it went well.", "en", True, ""),
        ("I walked the dog.", "en", True, ""),  # a past event, no habit
        ("Gotta return the library books", "en", False, "return the library books"),
        ("엄마 약 타러 가야 돼서 그러는데", "ko", False, "엄마 약 타러 가기"),
        ("이모한테 문자 보내야겠다.", "ko", False, "이모한테 문자 보내기"),
        ("I'll call the landlord,", "en", False, "call the landlord"),
        ("I'm going to water the tomatoes.", "en", False, "water the tomatoes"),
        ("I'll be fine.", "en", False, ""),
    ],
)  # fmt: skip
def test_a_task_told_before_a_request_is_read_as_the_task(told, lang, habit, task):
    assert told_as_task(told, lang, habit=habit) == task


@pytest.mark.parametrize(
    ("text", "lang", "what"),
    [
        ("Could you remind me, starting tomorrow at nine?", "en", None),
        ("Remind me at 4:15 to head out, and make that every Tuesday.", "en", "head out"),
        ("From now on, remind me at 9 to lock the back door", "en", "lock the back door"),
        ("앞으로 주말엔 아침 여덟 시에 깨워 줘", "ko", "깨우기"),
    ],
)  # fmt: skip
def test_words_about_when_a_reminder_starts_are_no_part_of_its_task(text, lang, what):
    assert extract_slots("set_reminder", text, lang, NOW).get("what") == what
