"""Signed answer links: "I am safe", "I need help", "I have left", one click, no sign-in.

The token names the delivery only: ``<id>-<hour>-<signature>``, the delivery id and the hour
it was signed in (hours since the epoch) in base 62, and 128 bits of HMAC-SHA256 over both
(URL-safe base64), keyed by a key derived from ``SECRET_KEY`` and this module's salt. It
expires ``ANSWER_LINK_DAYS`` after the start of that hour — up to an hour before the exact
moment, in exchange for one HMAC per delivery on the send path, a short token (SMS) and no
per-call key derivation. Keys in ``SECRET_KEY_FALLBACKS`` still verify, as with
``django.core.signing``; tokens of the earlier format (``TimestampSigner``, with ``:``) are
still accepted until they expire.

A link opens a page with one button (see ``views.answer``): mail scanners that fetch every
link must not answer for the person.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.encoding import force_bytes

SALT = "warden.alerting.answer"
ANSWERS = ("safe", "needs_help", "left")
HOUR = 3600
SIGNATURE_BYTES = 16
SIGNATURE_CHARS = 22  # unpadded base64 of 16 bytes
SEPARATOR = "-"


@functools.lru_cache(maxsize=8)
def _mac(secret: str | bytes) -> hmac.HMAC:
    """An HMAC-SHA256 keyed for answer tokens, copied for each token (the key is derived
    and padded once, not for every delivery)."""
    key = hashlib.sha256(f"{SALT}.token".encode() + force_bytes(secret)).digest()
    return hmac.new(key, digestmod=hashlib.sha256)


def _signature(secret: str | bytes, payload: str) -> str:
    mac = _mac(secret).copy()
    mac.update(payload.encode())
    return base64.urlsafe_b64encode(mac.digest()[:SIGNATURE_BYTES]).rstrip(b"=").decode()


class TokenSigner:
    """Signs tokens for many deliveries in a row: the hour's stamp is encoded once."""

    def __init__(self) -> None:
        self.secret = settings.SECRET_KEY
        self.hour = -1
        self.stamp = ""

    def sign(self, delivery_id: int) -> str:
        hour = int(time.time()) // HOUR
        if hour != self.hour:
            self.hour, self.stamp = hour, signing.b62_encode(hour)
        payload = f"{signing.b62_encode(delivery_id)}{SEPARATOR}{self.stamp}"
        return f"{payload}{SEPARATOR}{_signature(self.secret, payload)}"


def answer_token(delivery_id: int) -> str:
    return TokenSigner().sign(delivery_id)


def delivery_for_token(token: str) -> int:
    """The delivery id in a valid, unexpired token; raises ``signing.BadSignature`` (or its
    subclass ``SignatureExpired``) otherwise."""
    max_age = settings.WARDEN_ANSWER_LINK_DAYS * 86400
    if token.count(":") == 2:  # the earlier format
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
        return signing.b62_decode(value)
    # The signature has a fixed length and may itself contain "-" (URL-safe base64).
    payload, separator, signature = (
        token[: -SIGNATURE_CHARS - 1],
        token[-SIGNATURE_CHARS - 1 : -SIGNATURE_CHARS],
        token[-SIGNATURE_CHARS:],
    )
    ident, _, stamp = payload.partition(SEPARATOR)
    if (
        separator != SEPARATOR
        or not (ident and stamp and token.isascii())
        or not (ident + stamp).isalnum()
    ):
        raise signing.BadSignature("Malformed answer token")
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(hmac.compare_digest(signature, _signature(secret, payload)) for secret in secrets):
        raise signing.BadSignature("Answer token signature does not match")
    age = time.time() - signing.b62_decode(stamp) * HOUR
    if age > max_age:
        raise signing.SignatureExpired(f"Answer token age {age:.0f} > {max_age} seconds")
    return signing.b62_decode(ident)


def answer_url(token: str, answer: str | None = None) -> str:
    if answer is None:
        return settings.SITE_URL + reverse("answer", kwargs={"token": token})
    return settings.SITE_URL + reverse("answer_choice", kwargs={"token": token, "answer": answer})
