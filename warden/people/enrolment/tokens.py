"""Short-lived bearer tokens for the registration API.

Signed (``TimestampSigner``, its own salt) and carrying only an id: the person's, or, for
someone who has not enrolled yet, their used sign-in link's. They expire after
``WARDEN_API_TOKEN_MINUTES``; the person's deletion ends them at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.utils import timezone

from warden.people.enrolment import conf
from warden.people.enrolment.links import SignIn, link_for_enrolment
from warden.people.enrolment.session import Citizen
from warden.people.models import Person

SALT = "warden.people.api-token"


@dataclass(frozen=True)
class Bearer:
    token: str
    expires_at: datetime


def bearer_issue(signed: SignIn) -> Bearer:
    payload = {"p": signed.person.pk} if signed.person else {"k": signed.link.pk}
    token = signing.TimestampSigner(salt=SALT).sign_object(payload)
    return Bearer(token, timezone.now() + timedelta(minutes=conf.api_token_minutes()))


def bearer_resolve(token: str) -> Citizen | None:
    """The citizen of a valid, unexpired token, or None."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=conf.api_token_minutes() * 60
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    if isinstance(payload.get("p"), int):
        person = Person.objects.filter(pk=payload["p"]).first()
        return Citizen(person, None) if person is not None else None
    link = link_for_enrolment(payload["k"]) if isinstance(payload.get("k"), int) else None
    if link is None:
        return None
    return Citizen(link.person, None) if link.person is not None else Citizen(None, link)
