"""Signed answer links: "I am safe", "I need help", "I have left", one click, no sign-in.

The token carries only the delivery id, signed with a timestamp; it expires after
``ANSWER_LINK_DAYS``. A link opens a page with one button (see ``views.answer``): mail
scanners that fetch every link must not answer for the person.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "warden.alerting.answer"
ANSWERS = ("safe", "needs_help", "left")


def answer_token(delivery_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(signing.b62_encode(delivery_id))


def delivery_for_token(token: str) -> int:
    """The delivery id in a valid, unexpired token; raises ``signing.BadSignature`` (or its
    subclass ``SignatureExpired``) otherwise."""
    max_age = settings.WARDEN_ANSWER_LINK_DAYS * 86400
    value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    return signing.b62_decode(value)


def answer_url(token: str, answer: str | None = None) -> str:
    if answer is None:
        return settings.SITE_URL + reverse("answer", kwargs={"token": token})
    return settings.SITE_URL + reverse("answer_choice", kwargs={"token": token, "answer": answer})
