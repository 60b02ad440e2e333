"""The signed link with which a staff or family member reports their own departure.

The token carries the staff record's id and the person's (so that a record re-linked to
someone else invalidates old links), signed with its own salt; it expires after
``LINK_DAYS``. Nothing personal is in the token.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from warden.missions.models import StaffMember

SALT = "warden.missions.departure"
LINK_DAYS = 30


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def departure_token(staff: StaffMember) -> str:
    return _signer().sign_object({"s": staff.pk, "p": staff.person_id})


def departure_link(staff: StaffMember) -> str:
    """The absolute link, in the person's language."""
    with translation.override(staff.person.language):
        path = reverse("missions:departure", args=[departure_token(staff)])
    return settings.SITE_URL + path


def staff_for_token(token: str, *, max_age_days: int = LINK_DAYS) -> StaffMember | None:
    """The staff record of a valid, unexpired token, or None."""
    try:
        payload = _signer().unsign_object(token, max_age=max_age_days * 86400)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    staff_id, person_id = payload.get("s"), payload.get("p")
    if not isinstance(staff_id, int) or not isinstance(person_id, int):
        return None
    return (
        StaffMember.objects.select_related("post", "person")
        .filter(pk=staff_id, person_id=person_id)
        .first()
    )
