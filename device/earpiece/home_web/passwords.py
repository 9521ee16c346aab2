"""Password hashes for the home page's login: scrypt from hashlib, checked in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

PREFIX = "scrypt"
N, R, P = 2**15, 8, 1
"""scrypt cost: 32 MiB of memory and ~0.1 s per check on a Raspberry Pi 4 class CPU."""
MAXMEM = 64 * 1024 * 1024


class PasswordHashError(ValueError):
    """A stored hash is not in the form `earpiece home-password` writes."""


@dataclass(frozen=True)
class Scrypt:
    """A parsed hash: cost parameters, salt and the derived key."""

    n: int
    r: int
    p: int
    salt: bytes
    key: bytes

    def __str__(self) -> str:
        salt, key = (base64.b64encode(x).decode() for x in (self.salt, self.key))
        return f"{PREFIX}${self.n}${self.r}${self.p}${salt}${key}"

    @classmethod
    def parse(cls, text: str) -> Scrypt:
        parts = text.strip().split("$")
        try:
            if len(parts) != 6 or parts[0] != PREFIX:
                raise ValueError
            n, r, p = (int(x) for x in parts[1:4])
            salt, key = (base64.b64decode(x, validate=True) for x in parts[4:6])
            if n < 2 or n & (n - 1) or r < 1 or p < 1 or len(salt) < 8 or len(key) < 16:
                raise ValueError
        except ValueError:
            raise PasswordHashError(
                "not a password hash of the form scrypt$N$r$p$salt$key; "
                "make one with: earpiece home-password"
            ) from None
        return cls(n, r, p, salt, key)


def _derive(password: str, salt: bytes, n: int, r: int, p: int, size: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=MAXMEM, dklen=size)


def hash_password(password: str) -> str:
    """A new salted scrypt hash of `password`, as one line of text for the config."""
    salt = os.urandom(16)
    return str(Scrypt(N, R, P, salt, _derive(password, salt, N, R, P, 32)))


def verify(password: str, stored: Scrypt) -> bool:
    """Whether `password` matches the stored hash."""
    got = _derive(password, stored.salt, stored.n, stored.r, stored.p, len(stored.key))
    return hmac.compare_digest(got, stored.key)
