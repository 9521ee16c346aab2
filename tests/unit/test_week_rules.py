"""Issue 20 rule by rule: fact shapes, remember and forget wording, feelings, language, wordings."""

from __future__ import annotations

import random
import tomllib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from earpiece.companion import mood
from earpiece.companion.memory import analyse, mentions, same_person
from earpiece.companion.policy import _without_repeats
from earpiece.companion.replies import REPLIES_DIR, Voice, keys
from earpiece.companion.route import in_reply_language, named_to_forget, told_to_remember
from earpiece.nlu.act import Act
from earpiece.nlu.lang import written_in
from earpiece.nlu.model import Understanding

SEOUL = ZoneInfo("Asia/Seoul")


def heard(
    text: str, lang: str = "en", emotion: str = "neutral", conf: float = 0.9
) -> Understanding:
    return Understanding(text, lang, "unknown", 0.9, emotion, conf, {}, Act.STATEMENT)


@pytest.mark.parametrize(
    ("text", "lang", "person", "attribute", "value"),
    [
        ("우리 고양이 이름은 나비야", "ko", "cat", "name", "나비"),
        ("전남친 이름은 민호였어", "ko", "ex", "name", "민호"),
        ("집사람 이름은 순자였어요", "ko", "wife", "name", "순자"),
        ("저는 혈압약을 아침마다 먹습니다", "ko", "me", "health", "혈압약"),
        ("엄마는 세브란스 병원에 입원해 계셔", "ko", "mother", "place", "세브란스 병원"),
        ("my roommate is Dae-hyun", "en", "roommate", "name", "Dae-hyun"),
        ("fyi I'm allergic to latex", "en", "me", "allergy", "latex"),
        ("my mom is at Severance hospital", "en", "mother", "place", "Severance hospital"),
        ("I work at St. Mary's hospital", "en", "me", "work", "St. Mary's hospital"),
        ("my son lives in Busan", "en", "son", "place", "Busan"),
        ("my sister Jenny is visiting next week", "en", "sister", "name", "Jenny"),
    ],
)
def test_a_fact_told_plainly_has_its_shape(text, lang, person, attribute, value):
    fact = analyse(text, lang)
    assert (fact.person, fact.attribute, fact.value) == (person, attribute, value)


@pytest.mark.parametrize("text", ["my 누나 called this morning", "great, another flat tire",
                                  "오늘 날씨 좀 춥네", "어제 병원에 다녀왔어요"])  # fmt: skip
def test_a_passing_remark_has_no_fact_shape(text):
    fact = analyse(text, written_in(text))
    assert not (fact.person and fact.attribute and fact.value)


def test_relations_answer_for_each_other_by_family():
    assert mentions("내 동생 생일이 언제더라?") == ("sibling", "birthday")
    assert same_person("sibling", "sister") and same_person("child", "son")
    assert not same_person("child", "wife") and not same_person("son", "wife")
    assert mentions("which hospital is my mom at") == ("mother", "place")
    assert mentions("할머니한테")[0] == mentions("grandma")[0] == "grandmother"


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("remember that box 3 holds item 3", "box 3 holds item 3"),
        ("Remember: box 17 holds the tax papers", "box 17 holds the tax papers"),
        ("could you remember that my locker is 42", "my locker is 42"),
        ("the spare key is under the pot, remember that", "the spare key is under the pot"),
        ("기억해 줘 3번 상자에 겨울옷 있어", "3번 상자에 겨울옷 있어"),
        ("3번 상자에 겨울옷 있다고 기억해 줘", "3번 상자에 겨울옷 있다고"),
        ("비밀번호는 1234라고 꼭 기억해 둬", "비밀번호는 1234"),
    ],
)
def test_remember_is_understood_whatever_follows(text, fact):
    assert told_to_remember(text) == fact


@pytest.mark.parametrize(
    "text", ["remember to call mom at 5", "do you remember my name?", "내 생일 기억해?"]
)
def test_a_reminder_or_a_question_is_not_a_remember(text):
    assert told_to_remember(text) is None


def test_forget_names_the_thing_and_not_a_reminder():
    assert named_to_forget("forget my roommate's name") == "my roommate's name"
    assert named_to_forget("전남친 이름은 잊어줘") == "전남친 이름"
    assert named_to_forget("forget the 3pm reminder") is None
    assert named_to_forget("forget that") is None  # the last thing kept (route: _DONT_KEEP)


@pytest.mark.parametrize(
    ("text", "model", "polarity"),
    [
        ("MOM GOT MOVED OUT OF THE ICU!!!", "sadness", "positive"),
        ("FINALLY finished my exams", "neutral", "positive"),
        ("드디어 합격했어!!!", "anxiety", "positive"),
        ("great, another flat tire", "joy", "negative"),
        ("oh great, the bus is late again", "neutral", "negative"),
        ("brutal shift tonight", "joy", "negative"),
        ("할머니 생신은 10월 3일이야", "sadness", "neutral"),
    ],
)
def test_a_feeling_is_read_from_the_whole_line(text, model, polarity):
    lang = written_in(text)
    read = mood.read_feeling(heard(text, lang, model, 0.9))
    got = (
        "positive" if read.emotion in ("joy", "affection")
        else "negative" if read.emotion in mood.NEGATIVE and read.emotion_confidence >= 0.5
        else "neutral"
    )  # fmt: skip
    assert got == polarity


def test_the_language_of_the_line_not_of_a_borrowed_word():
    assert in_reply_language(heard("my 누나 called this morning", "ko")).lang == "en"
    assert in_reply_language(heard("meeting 너무 stressful 했어", "en")).lang == "ko"
    assert in_reply_language(heard("오늘 gym 갔어", "en")).lang == "ko"


def test_follow_up_by_hours_lived_whatever_the_date():
    low = {"emotion": "loneliness", "at": "2026-12-02T01:00:00+09:00"}
    state = {"low": low, "last_turn_at": "2026-12-02T01:05:00+09:00"}
    assert mood.to_follow_up(state, datetime(2026, 12, 2, 9, 30, tzinfo=SEOUL)) == low
    assert mood.to_follow_up(state, datetime(2026, 12, 2, 2, 0, tzinfo=SEOUL)) is None
    assert mood.when_words(low["at"], datetime(2026, 12, 2, 9, 30, tzinfo=SEOUL), "en") == (
        "last night"
    )
    evening = "2026-12-01T15:00:00+09:00"
    assert mood.when_words(evening, datetime(2026, 12, 2, 9, 0, tzinfo=SEOUL), "ko") == "어제"


def test_every_reply_key_has_several_wordings():
    for lang in ("en", "ko"):
        table = tomllib.loads((REPLIES_DIR / f"{lang}.toml").read_text(encoding="utf-8"))
        single = [k for k in keys(lang) for f, v in table[k].items() if len(v) < 2]
        assert single == [], f"{lang}: {single}"


def test_a_wording_comes_back_only_after_the_others():
    from earpiece.companion.replies import variants

    voice = Voice("en", rng=random.Random(3))
    n = len(variants("en", "fact_saved"))
    said = [voice.say("fact_saved") for _ in range(n)]
    assert len(set(said)) == n


def test_no_sentence_twice_in_one_reply():
    assert _without_repeats(["I'm here. How are you?", "I'm here. Tell me."]) == (
        "I'm here. How are you? Tell me."
    )


@pytest.mark.parametrize(
    ("text", "person", "value"),
    [
        ("my best friend is called Sam", "friend", "Sam"),
        ("my late wife was called Ruth", "wife", "Ruth"),
        ("my older sister is Mina", "sister", "Mina"),
    ],
)
def test_a_word_before_the_relation_does_not_hide_it(text, person, value):
    fact = analyse(text, "en")
    assert (fact.person, fact.attribute, fact.value) == (person, "name", value)


def test_someone_calling_is_not_their_name():
    assert analyse("my sister called me earlier", "en").attribute == ""
    assert analyse("약 먹었어요", "ko").attribute == ""  # taken today, not a standing fact


@pytest.mark.parametrize(
    ("text", "model", "conf", "polarity"),
    [
        ("엄마 중환자실에서 나왔어!!!", "sadness", 0.95, "positive"),
        ("손자가 전화했어요. 너무 반가웠어요", "anger", 0.57, "positive"),
        ("it's raining again, perfect", "neutral", 1.0, "negative"),
        ("We're having a baby!", "joy", 0.39, "positive"),
        ("Mom's out of surgery. Great!", "joy", 0.9, "positive"),
        ("아 진짜 잘됐다, 또 야근이래", "joy", 0.9, "negative"),
        ("좋네, 오늘도 당직이야", "joy", 0.8, "negative"),
        ("좋다, 또 만나자", "joy", 0.9, "positive"),
        ("오늘 점심 진짜 맛있었어", "neutral", 0.9, "positive"),
        ("we had so much fun at the beach", "neutral", 0.9, "positive"),
        ("딸이 오늘 전화를 안 받네요. 서운해요", "neutral", 0.9, "negative"),
        ("내일 수술이라 너무 불안해", "neutral", 0.9, "negative"),
        ("wow, love that for me, my car got towed", "affection", 0.9, "negative"),
        ("yay, more paperwork", "joy", 0.9, "negative"),
        ("와 신난다 또 주말 출근이래", "joy", 0.9, "negative"),
        ("친구랑 싸워서 기분이 별로야", "affection", 0.9, "negative"),
        ("yay, I passed", "joy", 0.9, "positive"),
        ("THE BABY IS HERE!!! 7 POUNDS!!!", "neutral", 0.9, "positive"),
        ("my shift got cancelled so I get the day off", "tiredness", 0.8, "positive"),
    ],
)
def test_more_feelings_from_the_whole_line(text, model, conf, polarity):
    lang = written_in(text)
    read = mood.read_feeling(heard(text, lang, model, conf))
    marked = read.emotion_confidence >= 0.5
    got = (
        "positive" if marked and read.emotion in ("joy", "affection")
        else "negative" if marked and read.emotion in mood.NEGATIVE
        else "neutral"
    )  # fmt: skip
    assert got == polarity


def test_a_weak_feeling_on_an_account_of_the_day_is_not_taken():
    assert (
        mood.read_feeling(heard("아까 엄마랑 통화했어", "ko", "sadness", 0.55)).emotion == "neutral"
    )
    assert mood.read_feeling(heard("아까 울었어", "ko", "sadness", 0.55)).emotion == "sadness"


def test_asking_a_fact_back_is_not_a_reminder_but_a_reminder_on_a_day_is():
    from earpiece.companion.route import _asks_a_fact_back

    assert _asks_a_fact_back("아빠 번호 알려 줘", "set_reminder", Act.REQUEST)
    assert _asks_a_fact_back("내가 싫어하는 거 뭐였지?", "set_reminder", Act.QUESTION)
    assert not _asks_a_fact_back("엄마 생일에 알려 줘", "set_reminder", Act.REQUEST)
    assert not _asks_a_fact_back("내일 아침 8시에 약 먹으라고 알려 줘", "set_reminder", Act.REQUEST)


@pytest.mark.parametrize(
    "text",
    [
        "what did you say",
        "sorry, what was that?",
        "뭐라고?",
        "뭐라고요?",
        "뭐?",
        "다시 한 번 말해 줘",
        "잘 안 들려요",
        "come again?",
    ],
)
def test_asking_to_hear_it_again(text):
    from earpiece.companion.route import _REPEAT

    assert _REPEAT.match(text)


def _polarity(read: Understanding) -> str:
    marked = read.emotion_confidence >= 0.5
    if marked and read.emotion in ("joy", "affection"):
        return "positive"
    return "negative" if marked and read.emotion in mood.NEGATIVE else "neutral"


@pytest.mark.parametrize(
    ("text", "model", "conf", "polarity"),
    [
        ("my grandmother passed peacefully on tuesday", "joy", 0.8, "negative"),
        ("Uncle Ray passed at two in the afternoon.", "neutral", 0.9, "negative"),
        ("Grandpa's gone. The nurse just called.", "joy", 0.9, "negative"),
        ("he's gone to the shop for milk", "neutral", 0.9, "neutral"),
        ("a man in line shouted at me because the card machine was slow", "joy", 0.6, "negative"),
        ("손님이 나한테 막 소리를 질렀어", "neutral", 0.9, "negative"),
        ("Happy new year from all of us!", "neutral", 0.9, "positive"),
        ("즐거운 성탄 보내요", "neutral", 0.9, "positive"),
        ("자고 나니 한결 낫네", "neutral", 0.9, "positive"),
        ("약을 먹어도 좀 안 낫네", "neutral", 0.9, "neutral"),
    ],
)
def test_news_said_plainly_carries_its_feeling(text, model, conf, polarity):
    lang = written_in(text)
    assert _polarity(mood.read_feeling(heard(text, lang, model, conf))) == polarity


@pytest.mark.parametrize(
    ("text", "intent", "model", "polarity"),
    [
        ("ugh which day of the month is it", "ask_date", "sadness", "neutral"),
        ("아이고 지금 몇 시니 졸려 죽겠네", "ask_time", "tiredness", "neutral"),
        ("what time is it, I can't stop crying", "ask_time", "sadness", "negative"),
        ("ugh my back is killing me", "share_feeling", "sadness", "negative"),
    ],
)
def test_a_sigh_in_a_question_to_the_clock_is_not_a_feeling(text, intent, model, polarity):
    lang = written_in(text)
    u = Understanding(text, lang, intent, 0.9, model, 0.8, {}, Act.QUESTION)
    assert _polarity(mood.read_feeling(u)) == polarity


@pytest.mark.parametrize(
    ("text", "conf", "polarity"),
    [
        ("GOT A 94 ON THE CHEM FINAL!!! was sure I failed it", 0.95, "positive"),
        ("THE SCAN CAME BACK CLEAN!!! I was so scared all week", 0.92, "positive"),
        ("failed again, just awful", 0.95, "negative"),
        ("I failed!! again!!", 0.6, "negative"),
    ],
)
def test_a_sure_glad_shout_keeps_its_feeling_over_one_bad_word(text, conf, polarity):
    assert _polarity(mood.read_feeling(heard(text, "en", "joy", conf))) == polarity
