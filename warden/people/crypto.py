"""Encryption at rest for personal data, and blind indexes for exact lookups.

Values (names, email addresses, phone numbers, other contact addresses) are encrypted with
AES-256-GCM under the first key of ``settings.WARDEN_FIELD_ENCRYPTION_KEYS``; every key in
the list can decrypt, so a new key is put first and the old ones stay until
``warden people_rekey`` has re-encrypted every row (docs/decisions/0005-pii-encryption.md
says why AES-GCM rather than Fernet).

A stored value reads ``<key id>$<base64url(nonce || ciphertext || tag)>``: the key id is
the first 8 hex digits of the SHA-256 of the key, so the right key is found without trying
them all. The field name is bound to the ciphertext as associated data, so a value copied
into another column does not decrypt.

A blind index is an HMAC-SHA256 of the normalised value (lower-cased email, E.164 phone)
under a separate key, cut to 32 hex digits: equal values give equal indexes, and nothing
can be read back from one without the key.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12
KEY_BYTES = 32
BLIND_INDEX_CHARS = 32
SEPARATOR = "$"


class KeyConfigError(ValueError):
    """A configured key is not 32 bytes of urlsafe base64."""


class DecryptionError(ValueError):
    """A stored value cannot be decrypted: unknown key, or the value was changed.

    The message never contains the value.
    """


def new_key() -> str:
    """A fresh key in the configured format (urlsafe base64 of 32 random bytes)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def parse_key(text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError) as exc:
        raise KeyConfigError("an encryption key is not urlsafe base64") from exc
    if len(raw) != KEY_BYTES:
        raise KeyConfigError(f"an encryption key must decode to {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


@dataclass(frozen=True)
class Keyring:
    """The current key (first) and every key that may still decrypt."""

    current_id: str
    ciphers: dict[str, AESGCM]

    @classmethod
    def from_texts(cls, texts: Sequence[str]) -> Keyring:
        keys = [parse_key(text) for text in texts if text.strip()]
        if not keys:
            raise KeyConfigError("no encryption key is configured")
        return cls(key_id(keys[0]), {key_id(key): AESGCM(key) for key in keys})

    def encrypt(self, plaintext: str, *, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self.ciphers[self.current_id].encrypt(nonce, plaintext.encode(), purpose.encode())
        return self.current_id + SEPARATOR + base64.urlsafe_b64encode(nonce + sealed).decode()

    def decrypt(self, token: str, *, purpose: str) -> str:
        kid, _, body = token.partition(SEPARATOR)
        cipher = self.ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(f"no configured key has the id {kid[:8]!r}")
        try:
            raw = base64.urlsafe_b64decode(body.encode())
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode()).decode()
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise DecryptionError("a stored value does not decrypt: it was changed") from exc

    def is_current(self, token: str) -> bool:
        return token.startswith(self.current_id + SEPARATOR)


@functools.lru_cache(maxsize=4)
def _keyring(texts: tuple[str, ...]) -> Keyring:
    return Keyring.from_texts(texts)


def keyring() -> Keyring:
    return _keyring(tuple(settings.WARDEN_FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str, *, purpose: str) -> str:
    return keyring().encrypt(plaintext, purpose=purpose)


def decrypt(token: str, *, purpose: str) -> str:
    return keyring().decrypt(token, purpose=purpose)


@functools.lru_cache(maxsize=4)
def _blind_key(text: str) -> bytes:
    return hashlib.sha256(b"warden.people.blind-index\x00" + text.encode()).digest()


def blind_index(normalised: str) -> str:
    """The lookup key of an already normalised value (see ``warden.people.contacts``)."""
    key = _blind_key(settings.WARDEN_BLIND_INDEX_KEY)
    digest = hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
    return digest[:BLIND_INDEX_CHARS]
