"""The home page's web app (Starlette + Jinja2): pages, login, sessions and CSRF checks."""

from __future__ import annotations

import hmac
import math
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from earpiece.home_web import chart, view
from earpiece.home_web.forget import NoSuchFact
from earpiece.home_web.i18n import LANGS, Words
from earpiece.home_web.logins import LoginGuard
from earpiece.home_web.options import WebOptions, is_loopback
from earpiece.home_web.passwords import verify
from earpiece.home_web.source import HomeSource, Unreadable

HERE = Path(__file__).parent
COOKIE = "earpiece_home"
SESSION_S = 12 * 3600
SESSIONS_KEPT = 64
"""Logged-in sessions kept at once; a login past that ends the oldest."""
HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class _Headers:
    """Adds the security headers to every response: nothing may load from anywhere else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *HEADERS]
            await send(message)

        await self.app(scope, receive, sending)


def build(source: HomeSource, options: WebOptions, forget=None) -> Starlette:
    """The app for one user's page; `forget(key) -> bool` logs a forget through the home."""
    live: dict[str, float] = {}
    """Logged-in sessions and when each ends (monotonic seconds); a signed cookie alone cannot
    be taken back, this can. Ended ones are dropped at each login; at most SESSIONS_KEPT."""
    guard = LoginGuard()
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
    )

    def words(request: Request) -> Words:
        return Words(request.session.get("lang", options.lang))

    def csrf(request: Request) -> str:
        token = request.session.get("csrf")
        if not token:
            token = request.session["csrf"] = secrets.token_urlsafe(32)
        return token

    def render(request: Request, name: str, status: int = 200, **values) -> HTMLResponse:
        t = words(request)
        html = env.get_template(name).render(
            t=t,
            lang=t.lang,
            csrf=csrf(request),
            path=request.url.path,
            login=options.password is not None,
            **values,
        )
        return HTMLResponse(html, status_code=status)

    def authed(request: Request) -> bool:
        if options.password is None:
            return True
        ends = live.get(request.session.get("auth", ""))
        return ends is not None and ends > time.monotonic()  # a logout stays ended

    async def checked_form(request: Request) -> dict | Response:
        """The posted form when its CSRF token is this session's; a 403 page when not."""
        form = dict(await request.form())
        sent = str(form.get("csrf", ""))
        token = request.session.get("csrf", "")
        if not token or not sent or not hmac.compare_digest(sent, token):
            return render(request, "error.html", 403, message=words(request)("bad_csrf"))
        return form

    def page(name: str, build_values):
        """A page that needs the login (if any) and the user's document."""

        async def endpoint(request: Request) -> Response:
            if not authed(request):
                return RedirectResponse("/login", 303)
            try:
                doc = await run_in_threadpool(source.document)
            except Unreadable as exc:
                return render(request, "error.html", 200, message=words(request)(exc.reason))
            values = await run_in_threadpool(build_values, request, doc, words(request))
            if isinstance(values, Response):
                return values
            return render(request, name, **values)

        return endpoint

    def overview(request: Request, doc: dict, t: Words) -> dict:
        days = view.mood_days(doc, weeks=1)
        reminders = view.reminders(doc, datetime.now(UTC))
        return {
            "facts": len(doc.get("facts", [])),
            "letters": sum(1 for x in view.letters(doc) if x.saved),
            "upcoming": reminders[view.ReminderState.UPCOMING][:3],
            "missed": len(reminders[view.ReminderState.MISSED]),
            "devices": source.devices(),
            "chart": _chart(days, t),
            "legend": chart.legend(days),
        }

    def mood(request: Request, doc: dict, t: Words) -> dict:
        try:
            weeks = min(52, max(1, int(request.query_params.get("weeks", "8"))))
        except ValueError:
            weeks = 8
        days = view.mood_days(doc, weeks)
        return {
            "days": days,
            "chart": _chart(days, t),
            "legend": chart.legend(days),
            "weeks": weeks,
        }

    def memories(request: Request, doc: dict, t: Words) -> dict:
        return {"groups": view.memories(doc), "notice": request.query_params.get("notice", "")}

    def letters(request: Request, doc: dict, t: Words) -> dict:
        return {"letters": view.letters(doc)}

    def letter(request: Request, doc: dict, t: Words) -> dict | Response:
        key = request.path_params["key"]
        found = [x for x in view.letters(doc) if x.key == key]
        if not found:
            return render(request, "error.html", 404, message=t("nothing_yet"))
        if request.url.path.endswith("/text"):
            text = found[0].as_text(t("to", who=found[0].recipient))
            name = f"letter-{found[0].recipient}-{key.split(':')[-1]}.txt"
            quoted = "".join(
                c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in name
            )
            return PlainTextResponse(
                text,
                headers={
                    "content-disposition": f'attachment; filename="{quoted}"; '
                    f"filename*=UTF-8''{_pct(name)}"
                },
            )
        return {"letter": found[0]}

    def reminders(request: Request, doc: dict, t: Words) -> dict:
        return {"sections": view.reminders(doc, datetime.now(UTC))}

    def devices(request: Request, doc: dict, t: Words) -> dict:
        return {"devices": source.devices(), "zone": view.local_zone()}

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    async def login(request: Request) -> Response:
        if options.password is None:
            return RedirectResponse("/", 303)
        if request.method == "GET":
            return render(request, "login.html")
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        stored, password = options.password, str(form.get("password", ""))
        client = request.client.host if request.client else ""
        good = await guard.check(client, lambda: run_in_threadpool(verify, password, stored))
        if good is None:
            minutes = math.ceil(guard.locked_for(client) / 60)
            return render(request, "login.html", 429, error=words(request)("locked_out", n=minutes))
        if not good:
            return render(request, "login.html", 401, error=words(request)("wrong_password"))
        lang = request.session.get("lang")
        request.session.clear()  # a new session after a login
        sid = secrets.token_urlsafe(24)
        now = time.monotonic()
        for ended in [s for s, ends in live.items() if ends <= now]:
            del live[ended]
        while len(live) >= SESSIONS_KEPT:
            del live[min(live, key=live.__getitem__)]
        live[sid] = now + SESSION_S
        request.session.update(auth=sid, csrf=secrets.token_urlsafe(32))
        if lang:
            request.session["lang"] = lang
        return RedirectResponse("/", 303)

    async def logout(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        live.pop(request.session.get("auth", ""), None)
        request.session.clear()
        return RedirectResponse("/login" if options.password else "/", 303)

    async def set_lang(request: Request) -> Response:
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        if form.get("lang") in LANGS:
            request.session["lang"] = form["lang"]
        back = str(form.get("back", "/"))
        return RedirectResponse(
            back if back.startswith("/") and not back.startswith("//") else "/", 303
        )

    async def forget_fact(request: Request) -> Response:
        if not authed(request):
            return RedirectResponse("/login", 303)
        form = await checked_form(request)
        if isinstance(form, Response):
            return form
        t = words(request)
        if forget is None:
            return render(request, "error.html", 503, message=t("nothing_yet"))
        key = str(form.get("key", ""))
        if form.get("confirm") != "yes":  # ask first, on the page (no script: any phone)
            try:
                doc = await run_in_threadpool(source.document)
            except Unreadable as exc:
                return render(request, "error.html", 200, message=t(exc.reason))
            facts = [f for f in doc.get("facts", []) if f.get("key") == key]
            if not facts:
                return render(request, "error.html", 404, message=t("no_such_fact"))
            return render(request, "forget.html", fact=facts[0])
        try:
            stored = await run_in_threadpool(forget, key)
        except NoSuchFact:
            return render(request, "error.html", 404, message=t("no_such_fact"))
        except Unreadable as exc:
            return render(request, "error.html", 200, message=t(exc.reason))
        if not stored:
            return render(request, "error.html", 503, message=t("forget_not_stored"))
        return RedirectResponse("/memories?notice=forgotten", 303)

    routes = [
        Route("/healthz", healthz),
        Route("/", page("overview.html", overview)),
        Route("/mood", page("mood.html", mood)),
        Route("/memories", page("memories.html", memories)),
        Route("/memories/forget", forget_fact, methods=["POST"]),
        Route("/letters", page("letters.html", letters)),
        Route("/letters/{key}", page("letter.html", letter)),
        Route("/letters/{key}/text", page("letter.html", letter)),
        Route("/reminders", page("reminders.html", reminders)),
        Route("/devices", page("devices.html", devices)),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang", set_lang, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    hosts = ["*"]
    if is_loopback(options.host):  # a name of this machine only: no DNS rebinding
        hosts = ["localhost", "127.0.0.1", "::1", "[::1]"]
    middleware = [
        Middleware(_Headers),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
        Middleware(
            SessionMiddleware,
            secret_key=secrets.token_urlsafe(32),
            session_cookie=COOKIE,
            max_age=SESSION_S,
            same_site="lax",  # a link from another site keeps the login; CSRF tokens guard
            # every change (and lax sends no cookie with another site's POST)
            https_only=options.tls,
        ),
    ]
    return Starlette(routes=routes, middleware=middleware)


def _pct(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _chart(days: list[view.MoodDay], t: Words) -> Markup:
    def moments(day: view.MoodDay) -> list[str]:
        return [
            f"· {m.at:%H:%M} {t.emotion(m.emotion)}: {m.text or t('turn_forgotten')}"
            for m in day.moments
        ]

    return Markup(chart.svg(days, t.emotion, t.day, moments, t("mood_title")))
