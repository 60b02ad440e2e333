"""Email verification: a signed, expiring link; confirming it marks the address verified.

The token is signed with ``SECRET_KEY`` (``django.core.signing``) and carries the contact
point's id and the first characters of its blind index, so a link stops working when the
address changes; it carries no address. Phone numbers and messaging addresses are
verified by a code sent to them instead (``warden.people.services.codes``).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warden.people.models import Channel, ContactPoint
from warden.people.services.codes import CODE_CHANNELS, phone_code_request
from warden.people.services.contact_points import contact_point_verify

SALT = "warden.people.verify-email"
LOOKUP_PREFIX = 12


def verification_token(contact_point: ContactPoint) -> str:
    payload = {"cp": contact_point.pk, "k": contact_point.lookup[:LOOKUP_PREFIX]}
    return signing.dumps(payload, salt=SALT, compress=True)


def verification_link(contact_point: ContactPoint) -> str:
    """The absolute link that verifies an email contact point."""
    if contact_point.channel != Channel.EMAIL:
        raise ValueError("only email addresses are verified by a link")
    with translation.override(contact_point.person.language):
        path = reverse("people:verify", args=[verification_token(contact_point)])
    return settings.SITE_URL + path


@transaction.atomic
def contact_point_confirm(*, token: str) -> ContactPoint:
    """Verify the email address a link was sent to; ValidationError if it cannot be used."""
    max_age = settings.WARDEN_VERIFICATION_LINK_HOURS * 3600
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            gettext_lazy("This link has expired: ask for a new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(gettext_lazy("This link is not valid."), code="invalid") from None
    point = ContactPoint.objects.select_for_update().filter(pk=payload.get("cp")).first()
    if point is None or point.lookup[:LOOKUP_PREFIX] != payload.get("k"):
        raise ValidationError(
            gettext_lazy("This link is for an address that is no longer registered."),
            code="gone",
        )
    return contact_point_verify(
        acting_user=None, contact_point=point, method=ContactPoint.Method.LINK
    )


def verification_send(*, contact_point: ContactPoint) -> None:
    """Mail the verification link once the current transaction commits.

    The message is in the person's language. (When the alerting engine's outbox exists,
    this becomes one of its messages.)
    """
    link = verification_link(contact_point)
    address = contact_point.value
    language = contact_point.person.language

    def send() -> None:
        with translation.override(language):
            send_mail(
                _("Confirm your email address for Warden"),
                _(
                    "Open this link within %(hours)d hours to receive travel-safety "
                    "messages at this address:\n\n%(link)s\n\nIf you did not register, "
                    "ignore this message."
                )
                % {"hours": settings.WARDEN_VERIFICATION_LINK_HOURS, "link": link},
                None,
                [address],
            )

    transaction.on_commit(send)


def verification_start(*, contact_point: ContactPoint, ip: str) -> None:
    """Start verifying a contact point just given, the way its channel is verified: an email
    address gets its link (after commit), a phone number or messaging address a code
    (``phone_code_request``, which raises ValidationError when too many were asked for from
    ``ip``). Nothing for one verified already, or for a channel verified otherwise."""
    if contact_point.is_verified:
        return
    if contact_point.channel == Channel.EMAIL:
        verification_send(contact_point=contact_point)
    elif contact_point.channel in CODE_CHANNELS:
        phone_code_request(contact_point=contact_point, ip=ip)
