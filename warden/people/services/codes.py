"""Codes that verify a phone number or a messaging address (``PhoneCode``).

The person asks for a code on their registration page (``phone_code_request``); the worker
sends it over the contact point's own channel (``warden.alerting.codes``); the person types
it in there (``phone_code_confirm``), which verifies the contact point. A code is six
digits, valid for ``WARDEN_VERIFICATION_CODE_MINUTES``, and dead after ``PhoneCode.TRIES``
wrong ones; asking again replaces it. Asking is limited per contact point and per IP
address (each text costs money, and a flood of them is a known fraud).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warden.audit.services import record
from warden.people.enrolment import ratelimit
from warden.people.models import Channel, ContactPoint, PhoneCode
from warden.people.services.contact_points import contact_point_verify

# Channels whose addresses are verified by a code sent to them.
CODE_CHANNELS = (Channel.SMS, Channel.MESSAGING)
DIGITS = 6
# Codes asked for, per contact point and per IP address, in an hour.
PER_CONTACT_POINT = 3
PER_IP = 10
WINDOW_SECONDS = 3600


class CodeRefused(ValidationError):
    """The code was wrong, has expired or was tried too often (the message says which)."""


def phone_code_request(*, contact_point: ContactPoint, ip: str) -> PhoneCode:
    """A new code for a pending phone number or messaging address, to be sent by the
    worker; replaces the one before. ValidationError when the contact point needs none or
    when too many were asked for."""
    if contact_point.channel not in CODE_CHANNELS:
        raise ValidationError(_("Only phone numbers and messaging apps get a code."), "channel")
    if contact_point.is_verified:
        raise ValidationError(_("This number is verified already."), code="verified")
    allowed = ratelimit.hit(
        ratelimit.counter_key("code-contact", str(contact_point.pk)),
        limit=PER_CONTACT_POINT,
        seconds=WINDOW_SECONDS,
    )
    allowed = (
        ratelimit.hit(ratelimit.counter_key("code-ip", ip), limit=PER_IP, seconds=WINDOW_SECONDS)
        and allowed
    )
    if not allowed:
        raise ValidationError(
            _("Too many codes were asked for. Try again in an hour."), code="throttled"
        )
    now = timezone.now()
    with transaction.atomic():
        # Held until the new code is in: two requests at once (a double click) would both
        # delete nothing and then both insert, and the second would break the one-code rule.
        ContactPoint.objects.select_for_update().filter(pk=contact_point.pk).first()
        PhoneCode.objects.filter(contact_point=contact_point).delete()
        code = PhoneCode.objects.create(
            contact_point=contact_point,
            code=f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}",
            expires_at=now + timedelta(minutes=settings.WARDEN_VERIFICATION_CODE_MINUTES),
            send_at=now,
        )
        record(
            actor=None,
            action="people.contact_point.code",
            obj=contact_point,
            after={"expires_at": code.expires_at.isoformat()},
        )
    return code


def phone_code_confirm(*, contact_point: ContactPoint, code: str) -> ContactPoint:
    """Verify ``contact_point`` with the code typed in; CodeRefused if it cannot be. A
    wrong code counts against the code even though this raises."""
    now = timezone.now()
    refused: CodeRefused | None = None
    with transaction.atomic():
        point = ContactPoint.objects.select_for_update().get(pk=contact_point.pk)
        if point.is_verified:
            return point
        live = PhoneCode.objects.select_for_update().filter(contact_point=point).first()
        if live is None or live.expires_at <= now or live.wrong >= PhoneCode.TRIES:
            refused = CodeRefused(
                _("This code has expired or was tried too often: ask for a new one."),
                code="expired",
            )
        elif not hmac.compare_digest(code.strip().encode(), live.code.encode()):
            live.wrong += 1
            live.save(update_fields=["wrong"])
            refused = CodeRefused(_("This code is not the one we sent."), code="wrong")
        else:
            live.delete()
            contact_point_verify(
                acting_user=None, contact_point=point, method=ContactPoint.Method.CODE
            )
    if refused is not None:
        raise refused
    return point
