"""The page's words in Korean and English, and dates and times as each language writes them."""

from __future__ import annotations

from datetime import date, datetime

from earpiece.companion import timefmt
from earpiece.companion.reminders import spoken_rule
from earpiece.nlu.timeparse import Repeat

LANGS = ("ko", "en")

WORDS: dict[str, dict[str, str]] = {
    "title": {"ko": "나의 컴패니언", "en": "My companion"},
    "overview": {"ko": "한눈에", "en": "Overview"},
    "mood": {"ko": "기분", "en": "Mood"},
    "memories": {"ko": "기억", "en": "Memories"},
    "letters": {"ko": "편지", "en": "Letters"},
    "reminders": {"ko": "알림", "en": "Reminders"},
    "devices": {"ko": "기기", "en": "Devices"},
    "other_lang": {"ko": "English", "en": "한국어"},
    "next": {"ko": "다음", "en": "next"},
    "login": {"ko": "로그인", "en": "Log in"},
    "logout": {"ko": "로그아웃", "en": "Log out"},
    "password": {"ko": "비밀번호", "en": "Password"},
    "wrong_password": {"ko": "비밀번호가 맞지 않아요.", "en": "That password is not right."},
    "locked_out": {
        "ko": "틀린 비밀번호가 너무 많아서 잠시 막았어요. {n}분 뒤에 다시 해 보세요.",
        "en": "Too many wrong passwords: logging in is blocked for {n} minutes.",
        "en1": "Too many wrong passwords: logging in is blocked for 1 minute.",
    },
    "bad_csrf": {
        "ko": "이 요청은 이 페이지에서 온 것이 아니라서 거절했어요. "
        "페이지를 새로 고쳐 다시 해 보세요.",
        "en": "Refused: this request did not come from this page. Reload the page and try again.",
    },
    "nothing_yet": {"ko": "아직 없어요.", "en": "Nothing yet."},
    "mood_title": {"ko": "날마다의 기분", "en": "Feelings day by day"},
    "mood_days": {"ko": "{n}일", "en": "{n} days"},
    "moments": {"ko": "그날의 순간", "en": "Marked moments"},
    "facts_count": {"ko": "기억 {n}개", "en": "{n} memories", "en1": "1 memory"},
    "letters_count": {"ko": "편지 {n}통", "en": "{n} letters", "en1": "1 letter"},
    "upcoming_count": {
        "ko": "다가오는 알림 {n}개",
        "en": "{n} upcoming reminders",
        "en1": "1 upcoming reminder",
    },
    "devices_count": {"ko": "기기 {n}대", "en": "{n} devices", "en1": "1 device"},
    "said_at": {"ko": "말한 때", "en": "Said"},
    "from_turn": {"ko": "그때 한 말", "en": "From the turn"},
    "turn_forgotten": {"ko": "(지운 대화)", "en": "(a forgotten turn)"},
    "forget": {"ko": "잊기", "en": "Forget"},
    "forget_ask": {"ko": "이 기억을 모든 기기에서 지울까요?", "en": "Forget this on every device?"},
    "forget_yes": {"ko": "네, 지워 주세요", "en": "Yes, forget it"},
    "forget_no": {"ko": "아니요, 그대로 둘게요", "en": "No, keep it"},
    "forget_not_stored": {
        "ko": "집의 데이터베이스가 바빠서 지우지 못했어요. 아무것도 바뀌지 않았어요. "
        "잠시 뒤에 다시 해 보세요.",
        "en": "Not forgotten: the home's database was busy, so nothing changed. "
        "Try again in a moment.",
    },
    "forgotten": {
        "ko": "지웠어요. 기기들이 다음 동기화 때 잊어요.",
        "en": "Forgotten. Your devices forget it at their next sync.",
    },
    "no_such_fact": {"ko": "그런 기억은 없어요.", "en": "There is no such memory."},
    "group_name": {"ko": "이름", "en": "Name"},
    "group_birthday": {"ko": "생일", "en": "Birthday"},
    "group_person": {"ko": "사람: {who}", "en": "About: {who}"},
    "group_like": {"ko": "좋아하는 것", "en": "Likes"},
    "group_dislike": {"ko": "싫어하는 것", "en": "Dislikes"},
    "group_note": {"ko": "나눈 이야기", "en": "Notes from talks"},
    "group_fact": {"ko": "그 밖의 기억", "en": "Other things"},
    "to": {"ko": "{who}에게", "en": "To {who}"},
    "draft": {"ko": "쓰는 중", "en": "Draft"},
    "download": {"ko": "텍스트로 받기", "en": "Download as text"},
    "read": {"ko": "읽기", "en": "Read"},
    "upcoming": {"ko": "다가오는 알림", "en": "Upcoming"},
    "missed": {"ko": "놓친 알림", "en": "Missed"},
    "done": {"ko": "끝난 알림", "en": "Done"},
    "cancelled": {"ko": "취소한 알림", "en": "Cancelled"},
    "device": {"ko": "기기", "en": "Device"},
    "last_seen": {"ko": "마지막 접속", "en": "Last seen"},
    "online": {"ko": "연결됨", "en": "online"},
    "offline": {"ko": "연결 끊김", "en": "offline"},
    "never": {"ko": "모름", "en": "unknown"},
    "last_event": {"ko": "마지막 기록", "en": "Last change"},
    "at_home": {"ko": "집에 저장된 기록", "en": "Changes kept at home"},
    "waiting": {"ko": "순서 기다리는 기록", "en": "Waiting for earlier ones"},
    "battery": {"ko": "배터리", "en": "Battery"},
    "times_in": {"ko": "시각은 {zone} 기준이에요.", "en": "Times are in {zone}."},
    "not_reported": {"ko": "알리지 않음", "en": "not reported"},
    "home_web": {"ko": "이 페이지", "en": "this page"},
    "e2e_locked": {
        "ko": "기록이 종단간 암호화되어 있어요. "
        "홈 설정 [home] web_e2e_key_file에 키를 넣어 주세요.",
        "en": "The records are end-to-end encrypted: "
        "set [home] web_e2e_key_file in the home config.",
    },
    "empty_user": {
        "ko": "아직 이 사람의 기록이 집에 없어요. 기기에서 동기화하면 보여요.",
        "en": "Nothing of this person has reached home yet; it shows after a device syncs.",
    },
}

EMOTION_WORDS = {
    "neutral": {"ko": "평온", "en": "calm"},
    "joy": {"ko": "기쁨", "en": "joy"},
    "sadness": {"ko": "슬픔", "en": "sadness"},
    "loneliness": {"ko": "외로움", "en": "loneliness"},
    "anger": {"ko": "화남", "en": "anger"},
    "anxiety": {"ko": "불안", "en": "anxiety"},
    "tiredness": {"ko": "피곤함", "en": "tiredness"},
    "affection": {"ko": "애정", "en": "affection"},
}


class Words:
    """The page's words in one language: `t("key", n=3)`, dates, times, emotion names."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGS else LANGS[0]

    def __call__(self, key: str, **values: object) -> str:
        forms = WORDS[key]
        if values.get("n") == 1 and f"{self.lang}1" in forms:  # English singular
            return forms[f"{self.lang}1"]
        return forms[self.lang].format(**values)

    def emotion(self, name: str) -> str:
        return EMOTION_WORDS.get(name, {}).get(self.lang, name)

    def day(self, day: date | datetime) -> str:
        moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
        text = timefmt.date(moment, self.lang)
        if moment.year == date.today().year:
            return text
        return f"{moment.year}년 {text}" if self.lang == "ko" else f"{text}, {moment.year}"

    def moment(self, at: datetime | None) -> str:
        if at is None:
            return self("never")
        return f"{self.day(at)} {timefmt.clock(at, self.lang)}"

    def due(self, at: datetime | None, repeat: object = None) -> str:
        """When a reminder is due: its moment, and for a recurring one its rule first
        ("매일 오전 8:00 · 다음 12월 7일 ..."; a rule this version does not know is a one-off)."""
        rule = Repeat.from_body(repeat)
        if rule is None or at is None:
            return self.moment(at)
        said = spoken_rule(rule, at, datetime.now(at.tzinfo), self.lang)
        return f"{said} · {self('next')} {self.moment(at)}"
