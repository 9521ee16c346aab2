"""Serving the page beside the running home service: checks the [home] web keys, runs uvicorn."""

from __future__ import annotations

import uuid
from pathlib import Path

from earpiece.config import HomeSettings
from earpiece.home_web.options import WebOptions, is_loopback
from earpiece.home_web.passwords import PasswordHashError, Scrypt
from earpiece.sync.home import Home


class WebConfigError(Exception):
    """The [home] web keys do not make a page that can be served safely; says what to set."""


def parse_address(text: str, where: str) -> tuple[str, int]:
    """HOST:PORT (or [v6]:PORT) -> (host, port)."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise WebConfigError(f"{where}: {text!r} is not HOST:PORT, e.g. 127.0.0.1:8765")
    return host, int(port)


def check_installed() -> None:
    """WebConfigError when a package of the `home` extra is missing."""
    import importlib.util

    for module in ("starlette", "jinja2", "uvicorn", "multipart", "itsdangerous"):
        if importlib.util.find_spec(module) is None:
            raise WebConfigError(
                f"the home page needs the Python package {module!r}: "
                "pip install 'earpiece[home]' (make installs it)"
            )


def options_from(settings: HomeSettings, address: str, source: str) -> tuple[WebOptions, int]:
    """The page's options, or WebConfigError naming the key and the config file."""
    check_installed()
    host, port = parse_address(address, f"{source}: [home] web (or --web)")
    if not settings.web_user:
        raise WebConfigError(
            f"{source}: [home] web_user is not set; name the one user whose page this is, "
            'e.g. web_user = "alice"'
        )
    password = None
    if settings.web_password_hash:
        try:
            password = Scrypt.parse(settings.web_password_hash)
        except PasswordHashError as exc:
            raise WebConfigError(f"{source}: [home] web_password_hash: {exc}") from None
    tls = bool(settings.web_tls_cert or settings.web_tls_key)
    if tls:
        for key in ("web_tls_cert", "web_tls_key"):
            value = getattr(settings, key)
            if not value or not Path(value).expanduser().is_file():
                raise WebConfigError(
                    f"{source}: [home] {key} {value!r}: no such file; HTTPS needs both "
                    "web_tls_cert and web_tls_key (the broker's server.crt and server.key do)"
                )
    if not is_loopback(host) and (password is None or not tls):
        raise WebConfigError(
            f"{source}: the page would be served on {host}, beyond this machine, without "
            + ("a login" if password is None else "HTTPS")
            + "; set [home] web_password_hash (earpiece home-password) and web_tls_cert and "
            "web_tls_key, or serve on 127.0.0.1"
        )
    if settings.web_e2e_key_file and not Path(settings.web_e2e_key_file).expanduser().is_file():
        raise WebConfigError(
            f"{source}: [home] web_e2e_key_file {settings.web_e2e_key_file}: no such file"
        )
    return WebOptions(settings.web_user, settings.web_lang, password, tls, host), port


def serve(home: Home, settings: HomeSettings, options: WebOptions, port: int) -> None:
    """Run the page until SIGINT or SIGTERM (uvicorn handles both), then return."""
    import uvicorn

    from earpiece.home_web.app import build
    from earpiece.home_web.forget import forget_fact
    from earpiece.home_web.source import HomeSource, PresenceWatch

    key = Path(settings.web_e2e_key_file).expanduser() if settings.web_e2e_key_file else None
    source = HomeSource(home.db, options.user, key)
    watch = PresenceWatch(settings, source, f"earpiece-home-web-{uuid.uuid4().hex[:8]}").start()
    app = build(source, options, forget=lambda k: forget_fact(home, source, k))
    config = uvicorn.Config(
        app,
        host=options.host,
        port=port,
        log_level="warning",
        lifespan="off",
        ssl_certfile=settings.web_tls_cert or None,
        ssl_keyfile=settings.web_tls_key or None,
        server_header=False,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        watch.stop()
        source.close()
