"""Magic sign-in links: asked for by email address, single-use, expiring, and without PII.

The token is ``TimestampSigner``-signed and carries only the ``SignInLink`` id; the address
is stored encrypted in that row. Using the link marks it used (so it cannot be replayed) and
resolves it to the person who has this email address, if any; an unknown address starts an
enrolment. Asking answers the same whether or not the address is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warden.audit.services import record
from warden.people.contacts import address
from warden.people.enrolment import conf, ratelimit
from warden.people.models import Channel, ContactPoint, Person, SignInLink
from warden.people.services.contact_points import contact_point_verify

SALT = "warden.people.sign-in-link"


class RateLimited(Exception):
    """Too many links were asked for this address or from this IP address."""


@dataclass(frozen=True)
class SignIn:
    """A used link: the person it signs in, or None for someone new (who enrols)."""

    link: SignInLink
    person: Person | None


def link_token(link: SignInLink) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"l": link.pk})


def link_url(link: SignInLink) -> str:
    with translation.override(link.language):
        path = reverse("register:sign_in", args=[link_token(link)])
    return settings.SITE_URL + path


def links_purge() -> int:
    """Delete sign-in links older than a day (they hold an encrypted address)."""
    cutoff = timezone.now() - timedelta(hours=conf.LINK_RETENTION_HOURS)
    deleted, _kinds = SignInLink.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _language(code: str) -> str:
    codes = [c for c, _name in settings.LANGUAGES]
    return code if code in codes else str(settings.LANGUAGE_CODE)


@transaction.atomic
def sign_in_link_request(*, email: str, ip: str, language: str) -> None:
    """Mail a sign-in link to ``email`` (after commit); RateLimited when asked too often.

    ValidationError for an address that is not an email address. Known or unknown, the
    address gets a link: the caller's answer is the same either way.
    """
    valid = address(Channel.EMAIL, email)
    per_ip = ratelimit.hit(
        ratelimit.counter_key("ip", ip or "-"),
        limit=conf.rate_per_ip(),
        seconds=conf.RATE_WINDOW_SECONDS,
    )
    per_email = ratelimit.hit(
        ratelimit.counter_key("email", valid.lookup),
        limit=conf.rate_per_email(),
        seconds=conf.RATE_WINDOW_SECONDS,
    )
    if not (per_ip and per_email):
        raise RateLimited
    links_purge()
    link = SignInLink.objects.create(
        email=valid.value, lookup=valid.lookup, language=_language(language)
    )
    _send(link)


def _send(link: SignInLink) -> None:
    url, to, language, minutes = link_url(link), link.email, link.language, conf.link_minutes()

    def send() -> None:
        with translation.override(language):
            send_mail(
                _("Your link to register your trip"),
                _(
                    "Open this link within %(minutes)d minutes to sign in and register "
                    "your trip or update your registration:\n\n%(link)s\n\nThe link works "
                    "once. If you did not ask for it, ignore this message."
                )
                % {"minutes": minutes, "link": url},
                None,
                [to],
            )

    transaction.on_commit(send)


def _refused(message: Any, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _unsigned(token: str) -> int:
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=conf.link_minutes() * 60
        )
    except signing.SignatureExpired:
        raise _refused(
            gettext_lazy("This link has expired: ask for a new one."), "expired"
        ) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise _refused(gettext_lazy("This link is not valid."), "invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int):
        raise _refused(gettext_lazy("This link is not valid."), "invalid")
    return int(payload["l"])


@transaction.atomic
def sign_in_link_use(*, token: str) -> SignIn:
    """Use a link once: ValidationError if it is invalid, expired or used already.

    An existing person's email contact point counts as verified by the link.
    """
    link = SignInLink.objects.select_for_update().filter(pk=_unsigned(token)).first()
    if link is None or link.used_at is not None:
        raise _refused(gettext_lazy("This link has been used already: ask for a new one."), "used")
    link.used_at = timezone.now()
    point = _email_point(link.lookup)
    link.person = point.person if point else None
    link.save(update_fields=["used_at", "person"])
    if point is not None:
        contact_point_verify(acting_user=None, contact_point=point, method=ContactPoint.Method.LINK)
        record(actor=None, action="people.person.sign_in", obj=point.person)
    return SignIn(link=link, person=link.person)


def _email_point(lookup: str) -> ContactPoint | None:
    return (
        ContactPoint.objects.filter(channel=Channel.EMAIL, lookup=lookup)
        .select_related("person")
        .order_by("person_id")
        .first()
    )


def link_for_enrolment(pk: int | None) -> SignInLink | None:
    """A used link of someone who has not enrolled yet (the wizard's sign-in)."""
    if pk is None:
        return None
    return SignInLink.objects.filter(pk=pk, used_at__isnull=False).first()
