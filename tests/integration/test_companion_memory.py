"""Memory as people talk: facts told inside a story or a feeling are kept, a question or a
passing remark is not; forgetting by a name that is not a relation removes that fact only,
from turns too; recall by relation, by name and by meaning, and honestly when nothing fits."""

from __future__ import annotations

from earpiece.companion.outcome import Outcome
from tests.integration.test_companion_week import at, everything, texts


def test_facts_told_inside_a_story_or_a_feeling_are_kept(make_companion):
    companion = make_companion(clock=at(7, 20))
    told = (
        "울 강아지 뭉치가 요즘 밥을 잘 안 먹어서 걱정이야",
        "나 요즘 필라테스 다니는데 진짜 재밌어",
        "집사람은 재작년에 먼저 갔어요. 이름이 영숙이었지요",
        "Jake is my running buddy, we do 5k on Saturdays",
        "My late husband Harold loved fishing",
        "Mr. Patel from next door brings my groceries on Thursdays",
        "ugh my 할머니 is back in the hospital, she's at Asan Medical Center",
    )
    for line in told:
        reply = companion.respond(line)
        assert reply.outcome is Outcome.ACTED and reply.intent == "remember_fact", line
    assert len(texts(companion)) == len(told)


def test_a_question_a_wish_or_a_passing_remark_is_not_kept(make_companion):
    companion = make_companion(clock=at(7, 20))
    for line in (
        "엄마한테 전화해야 되나?",
        "I went to the store earlier",
        "아까 엄마랑 통화했어",
        "고양이 키우고 싶다",
        "The mailman was late again",
        "had ramen for lunch",
    ):
        companion.respond(line)
    assert texts(companion) == []


def test_remember_with_more_after_it_is_understood(make_companion):
    companion = make_companion(clock=at(7, 20))
    for line, value in (
        ("can you remember this: Ethan's dentist is Dr. Yoon on Tuesday the 15th, ok?", "Yoon"),
        ("기억해 줘. 내 차 번호 12가 3456이야. 자꾸 까먹어", "3456"),
        ("이것 좀 기억해 주세요, 보일러 기사 번호가 010-4455-6677이에요. 꼭요", "010-4455-6677"),
    ):
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
        assert any(value in t for t in texts(companion)), line


def test_forget_by_a_name_removes_that_fact_only_and_its_turns(make_companion):
    clock = at(7, 19)
    companion = make_companion(clock=clock)
    companion.respond("my name is Dan")
    companion.respond("Jake is my running buddy, we do 5k on Saturdays")
    companion.respond("my daughter Chloe starts first grade Monday")
    asked = companion.respond("forget Jake")
    assert asked.outcome is Outcome.CONFIRMING
    assert "Jake" in asked.text and "Chloe" not in asked.text and "Dan" not in asked.text
    companion.respond("yes")
    assert "jake" not in everything(companion).lower()
    left = " ".join(texts(companion))
    assert "Chloe" in left and "Dan" in left


def test_korean_forget_by_a_name_and_dont_keep_that(make_companion):
    companion = make_companion(clock=at(7, 20))
    companion.respond("남동생 이름이 준호인데 걔 이번에 취업했어")
    companion.respond("민수는 내 전 남친이야. 진짜 나쁜 놈이었어")
    asked = companion.respond("민수 얘기는 잊어줘")
    assert asked.outcome is Outcome.CONFIRMING and "준호" not in asked.text
    companion.respond("응")
    assert "민수" not in everything(companion)
    companion.respond("나 고수 못 먹어")
    asked = companion.respond("아 그건 저장하지 마")
    assert asked.outcome is Outcome.CONFIRMING and "고수" in asked.text
    companion.respond("응")
    assert texts(companion) == ["남동생 이름이 준호인데 걔 이번에 취업했어"]


def test_recall_by_relation_name_and_meaning_and_honestly(make_companion):
    clock = at(7, 9)
    companion = make_companion(clock=clock)
    for line in (
        "아들 이름은 민재예요. 대전에 살아요",
        "집사람은 재작년에 먼저 갔어요. 이름이 영숙이었지요",
        "손녀 하은이가 다음 주에 놀러 온대요",
        "큰딸은 미국에 살아요. 이름은 수정이고요",
    ):
        companion.respond(line)
    clock.advance(hours=24)
    asked = {
        "제 자식 이름이 뭐였지요?": ("민재", "영숙"),
        "우리 집사람 이름 기억하세요?": ("영숙", "민재"),
        "손녀 이름이 뭐였더라": ("하은", "영숙"),
        "제 딸은 어디 산다고 했지요?": ("미국", "대전"),
        "아들은 어디 산다고 했지요?": ("대전", "미국"),
    }
    for question, (right, wrong) in asked.items():
        reply = companion.respond(question)
        assert right in reply.text and wrong not in reply.text, (question, reply.text)
    reply = companion.respond("제 생일은 언제라고 했죠?")
    assert "못 들" in reply.text or "몰라" in reply.text


def test_recall_across_languages_and_by_a_name(make_companion):
    clock = at(7, 19)
    companion = make_companion(clock=clock)
    for line in (
        "ugh my 할머니 is back in the hospital, she's at Asan Medical Center",
        "I work nights at the Costco warehouse",
        "my 동생 Amy lives in Busan",
        "my daughter Chloe starts first grade Monday, I'm kinda nervous",
    ):
        companion.respond(line)
    clock.advance(hours=12)
    asked = {
        "which hospital is grandma at?": ("Asan", "Costco"),
        "where do I work?": ("Costco", "Asan"),
        "what's my younger sister's name": ("Amy", "Chloe"),
        "when does Chloe start school": ("Monday", "Costco"),
    }
    for question, (right, wrong) in asked.items():
        reply = companion.respond(question)
        assert right in reply.text and wrong not in reply.text, (question, reply.text)
    reply = companion.respond("what's my son's name")
    assert "Chloe" not in reply.text and ("haven't" in reply.text or "don't know" in reply.text)
    reply = companion.respond("where did I say the spare key is")
    assert "Asan" not in reply.text and "Costco" not in reply.text  # not a list of everything


def test_information_told_plainly_is_kept_and_asked_back(make_companion):
    companion = make_companion(clock=at(7, 20))
    companion.respond("my name is Sam")
    companion.respond("our wifi password is bluefish22")
    companion.respond("보일러 필터는 3개월마다 갈아야 된다고 기억해 줘 알았지?")
    assert any("3개월" in t for t in texts(companion))
    assert "bluefish22" in companion.respond("what's the wifi password").text
    reply = companion.respond("who is Tom")
    assert "Sam" not in reply.text  # never their own name for someone else's
    companion.respond("우리 딸 지은이가 다음 달에 출산해요")
    asked = companion.respond("지은이 얘기는 지워 주세요")
    assert asked.outcome is Outcome.CONFIRMING and "지은" in asked.text
    companion.respond("네")
    assert "지은" not in everything(companion) and len(texts(companion)) == 3


def test_recall_by_what_else_a_fact_says_about_them(make_companion):
    companion = make_companion(clock=at(9, 8))
    for line in (
        "아 맞다 나 복숭아 알러지 있음",
        "우리 언니 다음 달에 결혼해서 요즘 정신없어 ㅠㅠ",
        "남편이 작년에 허리 수술을 해서요, 제가 많이 돌봐요",
        "둘째 아들 이름은 상우인데 부산에서 일해요",
        "I'm lactose intolerant so no milk for me lol",
    ):
        companion.respond(line)
    asked = {
        "내가 못 먹는 과일 있었나?": "복숭아",
        "언니 언제 결혼한다고 했지?": "결혼",
        "우리 남편 어디 수술했다고 했죠?": "허리",
        "제 아들 이름이 뭐였죠?": "상우",
        "아들 어디서 일한다고 했죠?": "부산",
        "can I have a latte?": "lactose",
    }
    for question, right in asked.items():
        assert right in companion.respond(question).text, question


def test_recall_by_words_a_fact_shares_and_food_by_every_word(make_companion):
    companion = make_companion(clock=at(11, 8))
    companion.respond("been a widower six years now, my Linda passed in the spring")
    companion.respond("my neighbor Gus plays cards with me on Tuesdays")
    companion.respond("i have a peanut allergy btw")
    assert "Linda" in companion.respond("what was my wife's name").text
    assert "Gus" in companion.respond("who do I play cards with").text
    assert "peanut" in companion.respond("can I eat pad thai with peanuts?").text
    reply = companion.respond("where did I leave my glasses")
    assert "Gus" not in reply.text and "Linda" not in reply.text


def test_forget_a_thing_about_a_named_person_offers_only_that_thing(make_companion):
    companion = make_companion(clock=at(7, 21))
    companion.respond("손주 민준이를 제가 키우고 있어요")
    companion.respond("민준이는 땅콩 알레르기가 있어요")
    asked = companion.respond("민준이 자전거 얘기는 잊어 주세요")  # never told
    assert asked.outcome is not Outcome.CONFIRMING and "땅콩" not in asked.text
    companion.respond("네")
    assert any("땅콩" in t for t in texts(companion))
    companion.respond("Jake is my running buddy")
    companion.respond("Jake has a dog named Rex")
    assert "Jake has a dog named Rex" in texts(companion)
    asked = companion.respond("forget what I said about Jake's dog")
    assert asked.outcome is Outcome.CONFIRMING
    assert "Rex" in asked.text and "running" not in asked.text


def test_forget_by_a_title_alone_guesses_nothing(make_companion):
    companion = make_companion(clock=at(7, 22))
    companion.respond("my neighbour Priya waters my plants when I travel")
    asked = companion.respond("Forget the thing about Mr. Jang, he moved away")
    assert asked.outcome is not Outcome.CONFIRMING and "Priya" not in asked.text
    companion.respond("yes")
    assert any("Priya" in t for t in texts(companion))


def test_a_fact_told_in_unsure_words_is_asked_about_first(make_companion):
    from earpiece.companion.outcome import Certainty

    companion = make_companion(clock=at(7, 23))
    said = "Jake is my running buddy"
    reply = companion.respond(said, certainty=Certainty.UNSURE)
    assert reply.outcome is Outcome.CONFIRMING and texts(companion) == []
    companion.respond("yes")
    assert texts(companion) == [said]


def test_a_guess_or_hearsay_about_someone_not_theirs_is_not_kept(make_companion):
    companion = make_companion(clock=at(7, 20))
    for line in (
        "옆집 순자 할머니가 요즘 안 보이네요. 딸네 갔나 봐요.",
        "노인정 말순 씨가 요새 안 나와. 병원에 입원했다던데.",
        "교회 정희 권사님이 다리를 다치셨나 봐요.",
    ):
        companion.respond(line)
    assert texts(companion) == []
    for line in ("우리 딸 지은이가 서울로 이사 갈 것 같아", "손녀 하은이가 다음 달에 온대요"):
        reply = companion.respond(line)
        assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED, line
    assert len(texts(companion)) == 2


def test_a_last_word_after_a_sentence_about_someone_is_not_taken_for_a_name(make_companion):
    companion = make_companion(clock=at(7, 20))
    companion.respond("아빠가 선물 보고 웃었어. 사길 잘한 것 같아. 고마워.")
    assert not any("고마워" in str(b.get("detail", "")) for _, b in companion.store.rows("facts"))
    reply = companion.respond("막내아들은 광주 살아요. 도현이라고.")
    assert reply.intent == "remember_fact" and reply.outcome is Outcome.ACTED
    assert "도현" in companion.respond("막내아들 이름이 뭐였죠?").text
