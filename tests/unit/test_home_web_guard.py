"""The home page app called directly over ASGI (no server, no browser): the login's throttle
and lockout, bounded sessions, a forget the home could not store, and the home database's
files and errors (issue 24)."""

from __future__ import annotations

import asyncio
import http.cookies
import os
import re
import stat
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from earpiece.home_web import app as web_app
from earpiece.home_web import logins
from earpiece.home_web.options import WebOptions
from earpiece.home_web.passwords import Scrypt, hash_password
from earpiece.home_web.source import HomeSource
from earpiece.store.database import Change, Store
from earpiece.sync import protocol as p
from earpiece.sync.homedb import HomeDb, HomeDbError
from tests.conftest import earpiece_cmd

PASSWORD = "correct horse battery"


class Browser:
    """One client of the ASGI app: keeps its session cookie, sends forms with the CSRF token."""

    def __init__(self, app, host: str = "203.0.113.7") -> None:
        self.app, self.host, self.cookie = app, host, ""

    async def call(self, method: str, path: str, form: dict | None = None):
        body = urllib.parse.urlencode(form).encode() if form is not None else b""
        headers = [(b"host", b"127.0.0.1")]
        if self.cookie:
            headers.append((b"cookie", self.cookie.encode()))
        if form is not None:
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": (self.host, 50000),
            "server": ("127.0.0.1", 80),
        }
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        await self.app(scope, receive, send)
        head = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
        if "set-cookie" in head:
            [morsel] = http.cookies.SimpleCookie(head["set-cookie"]).values()
            self.cookie = f"{morsel.key}={morsel.value}"
        text = b"".join(m.get("body", b"") for m in sent[1:]).decode()
        return sent[0]["status"], head, text

    async def csrf(self, path: str = "/login") -> str:
        _, _, text = await self.call("GET", path)
        return re.search(r'name="csrf" value="([^"]+)"', text)[1]

    async def log_in(self, password: str = PASSWORD):
        return await self.call("POST", "/login", {"csrf": await self.csrf(), "password": password})


@pytest.fixture
def source(tmp_path: Path):
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
        ]
    )
    store.close()
    db = HomeDb(tmp_path / "home.sqlite3")
    msg = p.EventsMsg(v=1, user="ann", device="pocket", events=[p.wire(e) for e in events])
    db.store([msg], p.Counters())
    made = HomeSource(db, "ann")
    yield made
    made.close()
    db.close()


def _app(source: HomeSource, forget=None):
    options = WebOptions("ann", "ko", Scrypt.parse(hash_password(PASSWORD)))
    return web_app.build(source, options, forget=forget)


@pytest.fixture
def quick_waits(monkeypatch):
    monkeypatch.setattr(logins, "FIRST_WAIT_S", 0.05)
    monkeypatch.setattr(logins, "MAX_WAIT_S", 0.05)


def test_parallel_guesses_are_checked_one_at_a_time_then_locked_out(quick_waits, monkeypatch):
    monkeypatch.setattr(logins, "LOCK_AFTER", 5)
    guard = logins.LoginGuard()
    running, most, checked = 0, 0, 0

    async def wrong() -> bool:
        nonlocal running, most, checked
        running += 1
        checked += 1
        most = max(most, running)
        await asyncio.sleep(0.01)  # the scrypt
        running -= 1
        return False

    async def right() -> bool:
        return True

    async def main() -> tuple[list[bool | None], float, bool | None]:
        began = time.monotonic()
        verdicts = await asyncio.gather(*(guard.check("203.0.113.7", wrong) for _ in range(10)))
        took = time.monotonic() - began
        other = await guard.check("198.51.100.2", right)  # another client is not locked out
        return list(verdicts), took, other

    verdicts, took, other = asyncio.run(main())
    assert most == 1  # one scrypt at a time (32 MiB each), never ten
    assert verdicts == [False] * 5 + [None] * 5 and checked == 5  # locked: no more checks
    assert took >= 5 * 0.05  # each wrong try waited, one after another
    assert guard.locked_for("203.0.113.7") > logins.LOCK_S - 5 and other is True


def test_a_locked_out_client_is_told_so_in_its_language(source, quick_waits, monkeypatch):
    monkeypatch.setattr(logins, "LOCK_AFTER", 2)
    browser = Browser(_app(source))

    async def main():
        for _ in range(2):
            status, _, _ = await browser.log_in("wrong password")
            assert status == 401
        return await browser.log_in()  # even the right password waits out the lockout

    status, _, text = asyncio.run(main())
    assert status == 429 and "틀린 비밀번호가 너무 많아서 잠시 막았어요. 15분 뒤에" in text


def test_logged_in_sessions_are_kept_up_to_a_bound(source, monkeypatch):
    monkeypatch.setattr(web_app, "SESSIONS_KEPT", 2)
    app = _app(source)
    people = [Browser(app, f"203.0.113.{n}") for n in range(3)]

    async def main() -> list[int]:
        for person in people:
            assert (await person.log_in())[0] == 303
        return [(await person.call("GET", "/memories"))[0] for person in people]

    assert asyncio.run(main()) == [303, 200, 200]  # the oldest session ended


def test_a_forget_the_home_could_not_store_says_so_in_the_pages_language(source):
    browser = Browser(_app(source, forget=lambda _key: False))

    async def main():
        await browser.log_in()
        token = await browser.csrf("/memories")
        form = {"csrf": token, "key": "fact:a", "confirm": "yes"}
        return await browser.call("POST", "/memories/forget", form)

    status, _, text = asyncio.run(main())
    assert status == 503 and "집의 데이터베이스가 바빠서 지우지 못했어요" in text
    assert "the home service" not in text


def test_a_forget_without_the_confirmation_only_asks(source):
    asked: list[str] = []
    browser = Browser(_app(source, forget=lambda key: asked.append(key) or True))

    async def main():
        await browser.log_in()
        token = await browser.csrf("/memories")
        return await browser.call("POST", "/memories/forget", {"csrf": token, "key": "fact:a"})

    status, _, text = asyncio.run(main())
    assert status == 200 and asked == []
    assert "이 기억을 모든 기기에서 지울까요?" in text and "엄마는 장미를 좋아해" in text


# --- the home database's files


def test_the_home_database_and_its_wal_and_shm_are_private(tmp_path: Path):
    old = os.umask(0o022)
    try:
        db = HomeDb(tmp_path / "home.sqlite3")
        db.store([], p.Counters())
        files = {f.name: stat.S_IMODE(f.stat().st_mode) for f in tmp_path.iterdir()}
        db.close()
    finally:
        os.umask(old)
    assert set(files) >= {"home.sqlite3", "home.sqlite3-wal", "home.sqlite3-shm"}
    assert files == dict.fromkeys(files, 0o600), files


def test_a_folder_a_missing_folder_or_a_corrupt_file_is_a_clear_error(tmp_path: Path):
    with pytest.raises(HomeDbError, match="is a folder"):
        HomeDb(tmp_path)
    with pytest.raises(HomeDbError, match="does not exist"):
        HomeDb(tmp_path / "typo" / "home.sqlite3")
    assert not (tmp_path / "typo").exists()  # nothing made for a mistyped path
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 200)
    with pytest.raises(HomeDbError, match="not a usable SQLite database"):
        HomeDb(junk)
    assert junk.read_bytes().startswith(b"not a database")  # left as it was


@pytest.mark.parametrize("kind", ["folder", "typo", "corrupt"])
def test_the_home_command_says_what_is_wrong_with_db(kind: str, tmp_path: Path, cli_env):
    db = {
        "folder": tmp_path,
        "typo": tmp_path / "typo" / "home.sqlite3",
        "corrupt": tmp_path / "junk.sqlite3",
    }[kind]
    if kind == "corrupt":
        db.write_bytes(b"\x00junk" * 1000)
    proc = subprocess.run(
        [*earpiece_cmd(), "home", "--db", str(db), "--export-user", "ann"],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert str(db) in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "typo").exists()
