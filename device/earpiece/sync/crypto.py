"""Optional end-to-end encryption of event bodies with AES-256-GCM, bound to each event."""

from __future__ import annotations

import base64
import binascii
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from earpiece.store.database import Event
from earpiece.sync.bodies import REDACTED

FIELD = "e2e"


class E2eError(Exception):
    """The key file is missing or malformed, or a body cannot be decrypted."""


def new_key() -> str:
    """A fresh key as the base64 text a key file holds."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


class Sealer:
    """Encrypts and decrypts event bodies for one user; the broker and home see ciphertext only.

    The additional data binds a body to its user, device, seq, clock, type and key, so a
    ciphertext moved to another event fails to open.
    """

    def __init__(self, key: bytes, user: str) -> None:
        self._aead = AESGCM(key)
        self._user = user

    @classmethod
    def from_file(cls, path: Path, user: str, setting: str = "[sync] e2e_key_file") -> Sealer:
        try:
            text = path.expanduser().read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise E2eError(f"{setting} {path}: cannot read the key ({exc})") from None
        try:
            key = base64.b64decode(text, validate=True)
        except binascii.Error:
            key = b""
        if len(key) != 32:
            raise E2eError(
                f"{setting} {path}: the key must be 32 bytes in base64 (44 characters); "
                "make one with: earpiece sync keygen > FILE"
            )
        return cls(key, user)

    def _aad(self, event: Event) -> bytes:
        return (
            f"earpiece/v1|{self._user}|{event.device_id}|{event.seq}|{event.hlc}|"
            f"{event.type}|{event.key}".encode()
        )

    def seal(self, event: Event) -> dict:
        nonce = os.urandom(12)
        plain = json.dumps(event.body, ensure_ascii=False, sort_keys=True).encode()
        sealed = self._aead.encrypt(nonce, plain, self._aad(event))
        return {FIELD: base64.b64encode(nonce + sealed).decode()}

    def open(self, event: Event) -> dict:
        """The plaintext body; E2eError for plaintext, tampered or foreign ciphertext."""
        if event.body == REDACTED:  # the home blanked it: nothing to decrypt
            return dict(REDACTED)
        blob = event.body.get(FIELD) if len(event.body) == 1 else None
        if not isinstance(blob, str):
            raise E2eError(f"{event.device_id}:{event.seq}: a plaintext body under e2e")
        try:
            raw = base64.b64decode(blob, validate=True)
            plain = self._aead.decrypt(raw[:12], raw[12:], self._aad(event))
            body = json.loads(plain)
        except (binascii.Error, InvalidTag, ValueError) as exc:
            raise E2eError(f"{event.device_id}:{event.seq}: cannot decrypt ({exc!r})") from None
        if not isinstance(body, dict):
            raise E2eError(f"{event.device_id}:{event.seq}: the body is not an object")
        return body
