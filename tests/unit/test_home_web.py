"""The home page's parts without a server: password hashes, the [home] web checks, what the
pages show (mood days, reminders, memories), the SVG chart, and a forget's changes."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from earpiece.config import HomeSettings
from earpiece.home_web import chart, view
from earpiece.home_web.forget import NoSuchFact, changes_for
from earpiece.home_web.i18n import Words
from earpiece.home_web.passwords import PasswordHashError, Scrypt, hash_password, verify
from earpiece.home_web.serve import WebConfigError, options_from
from tests.conftest import earpiece_cmd


def test_a_password_hash_checks_the_password_and_is_salted():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$32768$8$1$")
    assert verify("correct horse battery", Scrypt.parse(stored))
    assert not verify("correct horse batterY", Scrypt.parse(stored))
    assert hash_password("correct horse battery") != stored


@pytest.mark.parametrize(
    "bad",
    ["", "hunter2", "scrypt$1000$8$1$c2FsdHNhbHQ=$a2V5", "bcrypt$12$x$y$z$w", "scrypt$a$b$c$d$e"],
)
def test_a_malformed_hash_is_refused_with_how_to_make_one(bad: str):
    with pytest.raises(PasswordHashError, match="earpiece home-password"):
        Scrypt.parse(bad)


def _home(**web: str) -> HomeSettings:
    return HomeSettings(broker="mqtts://localhost:8883", username="home", password="x", **web)


def test_web_options_on_localhost_need_only_the_user():
    options, port = options_from(_home(web_user="ann"), "127.0.0.1:8765", "home.toml")
    assert (options.user, options.host, port, options.password, options.tls) == (
        "ann",
        "127.0.0.1",
        8765,
        None,
        False,
    )


@pytest.mark.parametrize(
    ("settings", "address", "expected"),
    [
        ({}, "127.0.0.1:8765", "[home] web_user is not set"),
        ({"web_user": "ann"}, "8765", "not HOST:PORT"),
        ({"web_user": "ann"}, "0.0.0.0:8765", "without a login"),
        ({"web_user": "ann", "web_password_hash": "PASSWORD"}, "[::1]:8765", "web_password_hash"),
        ({"web_user": "ann", "web_tls_cert": "/nonexistent.crt"}, "127.0.0.1:1", "web_tls_cert"),
    ],
)
def test_unsafe_or_wrong_web_settings_are_named_with_the_file(settings, address, expected):
    with pytest.raises(WebConfigError) as info:
        options_from(_home(**settings), address, "/etc/earpiece-home/home.toml")
    assert expected in str(info.value) and "/etc/earpiece-home/home.toml" in str(info.value)


def test_lan_needs_https_too(tmp_path: Path):
    secret = hash_password("correct horse battery")
    with pytest.raises(WebConfigError, match="without HTTPS"):
        options_from(_home(web_user="ann", web_password_hash=secret), "192.168.1.20:8765", "h")
    cert, key = tmp_path / "server.crt", tmp_path / "server.key"
    cert.write_text("x")
    key.write_text("x")
    settings = _home(
        web_user="ann", web_password_hash=secret, web_tls_cert=str(cert), web_tls_key=str(key)
    )
    options, _ = options_from(settings, "0.0.0.0:8443", "h")
    assert options.tls and options.password is not None


def test_the_cli_refuses_to_serve_the_lan_without_a_login(tmp_path: Path, cli_env):
    config = tmp_path / "home.toml"
    config.write_text(
        '[home]\nbroker = "mqtts://localhost:8883"\nusername = "home"\npassword = "x"\n'
        'web = "0.0.0.0:8765"\nweb_user = "ann"\n',
        encoding="utf-8",
    )
    proc = subprocess.run(
        [*earpiece_cmd(), "home", "--config", str(config), "--db", str(tmp_path / "h.db")],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert "web_password_hash" in proc.stderr and str(config) in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "h.db").exists()


def test_home_password_prints_a_hash_for_the_config(cli_env):
    proc = subprocess.run(
        [*earpiece_cmd(), "home-password", "--stdin"],
        input="correct horse battery\n",
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("web_password_hash"))
    stored = line.split('"')[1]
    assert verify("correct horse battery", Scrypt.parse(stored))


DOC = {
    "mood": [
        {
            "at": "2026-11-20T09:00:00+09:00",
            "emotion": "sadness",
            "confidence": 0.9,
            "turn": "turn:1",
        },
        {"at": "2026-11-20T10:00:00+09:00", "emotion": "joy", "confidence": 0.3, "turn": "turn:2"},
        {"at": "2026-11-20T11:00:00+09:00", "emotion": "neutral", "confidence": 1.0, "turn": "t"},
        {
            "at": "2026-11-23T23:59:00+09:00",
            "emotion": "anger",
            "confidence": 0.8,
            "turn": "turn:3",
        },
    ],
    "turns": [
        {
            "key": "turn:1",
            "at": "2026-11-20T09:00:00+09:00",
            "text": "<b>오늘</b> 슬퍼",
            "refs": ["fact:a"],
        },
        {"key": "turn:3", "at": "2026-11-23T23:59:00+09:00", "text": "화가 나", "refs": []},
    ],
    "facts": [
        {
            "key": "fact:a",
            "text": "엄마는 장미를 좋아해",
            "kind": "person",
            "value": "엄마",
            "at": "2026-11-20T09:00:00+09:00",
            "turn": "turn:1",
        },
        {
            "key": "fact:b",
            "text": "my sister loves jazz",
            "kind": "person",
            "value": "sister",
            "at": "2026-11-21T09:00:00+09:00",
            "turn": "turn:x",
        },
        {"key": "fact:c", "text": "I hate rain", "kind": "dislike", "value": "", "at": ""},
    ],
    "reminders": [
        {"key": "r:1", "what": "a", "due_at": "2026-11-20T07:00+09:00", "status": "pending"},
        {"key": "r:2", "what": "b", "due_at": "2026-12-20T07:00+09:00", "status": "pending"},
        {"key": "r:3", "what": "c", "due_at": "2026-11-19T07:00+09:00", "status": "missed"},
        {"key": "r:4", "what": "d", "due_at": "2026-11-18T07:00+09:00", "status": "done"},
        {"key": "r:5", "what": "e", "due_at": "2026-11-18T07:00+09:00", "status": "cancelled"},
    ],
}


def test_mood_days_run_from_the_first_to_the_last_day_with_the_marked_moments():
    days = view.mood_days(DOC)
    assert [d.day for d in days] == [date(2026, 11, 20 + n) for n in range(4)]
    assert [d.total for d in days] == [3, 0, 0, 1]
    assert days[0].counts == (("neutral", 1), ("joy", 1), ("sadness", 1))
    # only a clear, non-neutral feeling is a marked moment; the text is the turn's
    assert [(m.emotion, m.text) for m in days[0].moments] == [("sadness", "<b>오늘</b> 슬퍼")]
    far = {"mood": [{**DOC["mood"][0], "at": "2026-11-01T09:00:00+09:00"}, DOC["mood"][3]]}
    assert [d.day for d in view.mood_days(far, weeks=1)] == [
        date(2026, 11, 17 + n) for n in range(7)
    ]
    assert view.mood_days({"mood": []}) == []


def test_the_chart_has_a_group_per_day_and_a_bar_per_emotion_and_escapes_text():
    days = view.mood_days(DOC)
    t = Words("ko")
    markup = chart.svg(days, t.emotion, t.day, lambda d: [m.text for m in d.moments], "기분")
    root = ET.fromstring(markup)
    ns = {"s": "http://www.w3.org/2000/svg"}
    groups = root.findall("s:g[@class='day']", ns)
    assert [g.get("data-day") for g in groups] == [d.day.isoformat() for d in days]
    bars = [
        (g.get("data-day"), b.get("data-emotion"), b.get("data-count"))
        for g in groups
        for b in g.findall("s:rect[@class='bar']", ns)
    ]
    assert bars == [
        ("2026-11-20", "neutral", "1"),
        ("2026-11-20", "joy", "1"),
        ("2026-11-20", "sadness", "1"),
        ("2026-11-23", "anger", "1"),
    ]
    assert "<b>" not in markup and "&lt;b&gt;오늘" in markup
    assert "11월 20일 금요일" in groups[0].find("s:title", ns).text
    assert [e for e, _ in chart.legend(days)] == ["neutral", "joy", "sadness", "anger"]


def test_reminders_are_upcoming_missed_done_or_cancelled():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    got = {s.value: [r.key for r in items] for s, items in view.reminders(DOC, now).items()}
    assert got == {
        "upcoming": ["r:2"],
        "missed": ["r:1", "r:3"],
        "done": ["r:4"],
        "cancelled": ["r:5"],
    }


def test_a_recurring_reminder_shows_its_rule_and_its_next_time():
    rows = [
        {"key": "r:d", "what": "약", "due_at": "2026-12-07T08:00+09:00",
         "repeat": {"every": "day"}},
        {"key": "r:w", "what": "gym", "due_at": "2026-12-08T18:30+09:00",
         "repeat": {"every": "week", "weekday": 1}},
        {"key": "r:x", "what": "odd", "due_at": "2026-12-09T09:00+09:00",
         "repeat": {"every": "fortnight"}},
    ]  # fmt: skip
    now = datetime(2026, 12, 1, tzinfo=UTC)
    items = {
        r.key: r for r in view.reminders({"reminders": rows}, now)[view.ReminderState.UPCOMING]
    }
    ko, en = Words("ko"), Words("en")
    daily = ko.due(items["r:d"].due, items["r:d"].repeat)
    assert daily.startswith("매일 ") and "다음" in daily and ko.moment(items["r:d"].due) in daily
    weekly = en.due(items["r:w"].due, items["r:w"].repeat)
    assert weekly.startswith("every Tuesday at ") and "next" in weekly
    # a rule this version does not know (another version's, a damaged sync) is shown as a one-off
    assert en.due(items["r:x"].due, items["r:x"].repeat) == en.moment(items["r:x"].due)
    assert ko.due(None, {"every": "day"}) == ko("never")


def test_memories_are_grouped_by_person_then_topic_with_their_turn():
    groups = view.memories(DOC)
    assert [(g.group.value, g.person) for g in groups] == [
        ("person", "sister"),
        ("person", "엄마"),
        ("dislike", ""),
    ]
    rose = groups[1].facts[0]
    assert rose.turn_text == "<b>오늘</b> 슬퍼" and rose.at == datetime.fromisoformat(
        "2026-11-20T09:00:00+09:00"
    )
    assert groups[0].facts[0].turn_text == ""  # its turn is not kept


def test_forgetting_a_fact_deletes_it_and_blanks_the_turns_that_said_it():
    changes = changes_for(DOC, "fact:a")
    assert [(c.type, c.key) for c in changes] == [
        ("facts.delete", "fact:a"),
        ("turns.put", "turn:1"),
    ]
    assert changes[1].body["text"] == "" and changes[1].body["forgotten"] is True
    assert "key" not in changes[1].body
    with pytest.raises(NoSuchFact):
        changes_for(DOC, "fact:someone-elses")


def test_words_in_both_languages():
    assert Words("en")("letters_count", n=1) == "1 letter"
    assert Words("en")("letters_count", n=2) == "2 letters"
    assert Words("ko")("letters_count", n=1) == "편지 1통"
    assert Words("xx").lang == "ko"
    assert Words("en").day(date(2999, 1, 1)).endswith(", 2999")


def test_a_forget_from_the_page_is_sealed_and_stored_in_order_at_home(tmp_path: Path):
    """End-to-end encrypted user: the page reads with the key, and its own forget events reach
    the home's database as ciphertext, each once; replaying them forgets the fact."""
    import json

    from earpiece.home_web.forget import forget_fact
    from earpiece.home_web.source import WEB_DEVICE, HomeSource
    from earpiece.store.database import Change, Store
    from earpiece.sync import protocol as p
    from earpiece.sync.crypto import Sealer, new_key
    from earpiece.sync.home import Home
    from earpiece.sync.homedb import export_user
    from earpiece.sync.localbroker import free_port

    key_file = tmp_path / "ann.key"
    key_file.write_text(new_key())
    sealer = Sealer.from_file(key_file, "ann")
    store = Store.open(tmp_path / "pocket")
    events = store.commit(
        [
            Change(
                "facts.put",
                "fact:a",
                {
                    "text": "엄마는 장미를 좋아해",
                    "kind": "person",
                    "value": "엄마",
                    "at": "2026-11-20T09:00:00+09:00",
                    "turn": "turn:1",
                },
            ),
            Change(
                "turns.put",
                "turn:1",
                {
                    "at": "2026-11-20T09:00:00+09:00",
                    "refs": ["fact:a"],
                    "text": "엄마는 장미를 좋아해 기억해 줘",
                    "reply": "응",
                    "slots": {},
                },
            ),
            Change(
                "facts.put",
                "fact:b",
                {
                    "text": "I hate rain",
                    "kind": "dislike",
                    "value": "",
                    "at": "2026-11-20T09:01:00+09:00",
                    "turn": "turn:2",
                },
            ),
        ]
    )
    store.close()
    settings = HomeSettings(
        broker=f"mqtt://127.0.0.1:{free_port()}", username="home", password="x"
    )  # fmt: skip  (no broker: nothing needs one here)
    home = Home(tmp_path / "home.sqlite3", settings).start()
    try:
        sealed = [p.wire(e, sealer.seal(e)) for e in events]
        home.db.store([p.EventsMsg(v=1, user="ann", device="pocket", events=sealed)], p.Counters())
        source = HomeSource(home.db, "ann", key_file)
        assert {f["key"] for f in source.document()["facts"]} == {"fact:a", "fact:b"}
        assert forget_fact(home, source, "fact:a")
        doc = export_user(home.db, "ann", key_file)
        assert [f["key"] for f in doc["facts"]] == ["fact:b"]
        [turn] = doc["turns"]
        assert turn["text"] == "" and turn["forgotten"] is True
        mine = [e for e in home.db.events("ann") if e.device_id == WEB_DEVICE]
        assert [(e.seq, e.type) for e in mine] == [(1, "facts.delete"), (2, "turns.put")]
        assert all(set(e.body) == {"e2e"} for e in mine)  # ciphertext only
        assert "장미" not in json.dumps([e.body for e in home.db.events("ann")], ensure_ascii=False)
        assert all(e.hlc > events[-1].hlc for e in mine)  # newer than anything it deletes
        with pytest.raises(NoSuchFact):
            forget_fact(home, source, "fact:a")  # already gone
        source.close()
    finally:
        home.stop()
