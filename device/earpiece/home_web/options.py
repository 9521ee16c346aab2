"""How the home page is served: for whom, in which language, with which login and TLS."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from earpiece.home_web.passwords import Scrypt


@dataclass(frozen=True)
class WebOptions:
    """How the page is served: for whom, in which language, with which login and TLS."""

    user: str
    lang: str = "ko"
    password: Scrypt | None = None
    tls: bool = False
    host: str = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
