"""The citizen session: who signed in with a magic link, kept apart from staff logins.

It lives in Django's session under its own keys (never ``django.contrib.auth``'s), with its
own expiry; the session id is rotated at sign-in and sign-out. Someone who signed in with
an address nobody registered holds the used link (``warden_enrolment_link``) until their
enrolment creates the person.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from warden.people.crypto import decrypt, encrypt
from warden.people.enrolment import conf
from warden.people.enrolment.links import SignIn, link_for_enrolment
from warden.people.models import Person, SignInLink

PERSON_KEY = "warden_person_id"
LINK_KEY = "warden_enrolment_link"
UNTIL_KEY = "warden_citizen_until"
DRAFT_KEY = "warden_enrolment_draft"
KEYS = (PERSON_KEY, LINK_KEY, UNTIL_KEY, DRAFT_KEY)
DRAFT_PURPOSE = "people.enrolment-draft"


@dataclass(frozen=True)
class Citizen:
    """The signed-in citizen: a registered person, or a new one with their used link."""

    person: Person | None
    link: SignInLink | None


def sign_in(request: HttpRequest, signed: SignIn) -> None:
    _clear(request)
    request.session.cycle_key()
    request.session[UNTIL_KEY] = time.time() + conf.session_minutes() * 60
    if signed.person is not None:
        request.session[PERSON_KEY] = signed.person.pk
    else:
        request.session[LINK_KEY] = signed.link.pk


def become(request: HttpRequest, person: Person) -> None:
    """After the enrolment: the session now holds the new person."""
    request.session.pop(LINK_KEY, None)
    request.session.pop(DRAFT_KEY, None)
    request.session[PERSON_KEY] = person.pk


def sign_out(request: HttpRequest) -> None:
    _clear(request)
    request.session.cycle_key()


def _clear(request: HttpRequest) -> None:
    for key in KEYS:
        request.session.pop(key, None)


def citizen(request: HttpRequest) -> Citizen | None:
    """The signed-in citizen, or None (never signed in, expired, or deleted)."""
    if float(request.session.get(UNTIL_KEY, 0)) < time.time():
        _clear(request)
        return None
    person_id = request.session.get(PERSON_KEY)
    if person_id is not None:
        person = Person.objects.filter(pk=person_id).first()
        return Citizen(person, None) if person is not None else None
    link = link_for_enrolment(request.session.get(LINK_KEY))
    if link is None:
        return None
    if link.person is not None:
        return Citizen(link.person, None)
    return Citizen(None, link)


def draft(request: HttpRequest) -> dict[str, Any]:
    """What the wizard collected so far: encrypted in the session, which the database holds."""
    token = request.session.get(DRAFT_KEY)
    if not token:
        return {}
    data = json.loads(decrypt(token, purpose=DRAFT_PURPOSE))
    return data if isinstance(data, dict) else {}


def draft_save(request: HttpRequest, data: dict[str, Any]) -> None:
    request.session[DRAFT_KEY] = encrypt(json.dumps(data), purpose=DRAFT_PURPOSE)
