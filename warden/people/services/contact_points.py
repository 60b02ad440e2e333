"""Contact points: add (validated and normalised), reorder, verify, remove."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warden.audit.services import record
from warden.people.contacts import address
from warden.people.models import Channel, ContactPoint, Person
from warden.people.services.common import Actor, authorize_staff

MAX_CONTACT_POINTS = 10


@transaction.atomic
def contact_point_add(
    *,
    acting_user: Actor,
    person: Person,
    channel: str,
    value: str | dict[str, Any],
    region: str | None = None,
    consent_at: datetime | None = None,
    priority: int | None = None,
    verified_by: str = "",
) -> ContactPoint:
    """Add a way to reach ``person``; it is pending until verified.

    ``value`` is validated for its channel (see ``warden.people.contacts``); ``region``
    (ISO 3166-1) reads phone numbers given without their country code. ``consent_at`` is
    when the person agreed to be contacted this way (default: now). ``priority`` defaults
    to after the person's other contact points. ``verified_by`` (a ``ContactPoint.Method``)
    marks it verified at once: for roster imports and staff, never for self-service.
    """
    authorize_staff(acting_user)
    valid = address(channel, value, region=region)
    if person.contact_points.filter(channel=channel, lookup=valid.lookup).exists():
        raise ValidationError(
            {"value": _("This address is registered for this person already.")}, code="duplicate"
        )
    if person.contact_points.count() >= MAX_CONTACT_POINTS:
        raise ValidationError(
            _("A person may have at most %(limit)d contact points."),
            code="too_many",
            params={"limit": MAX_CONTACT_POINTS},
        )
    now = timezone.now()
    point = ContactPoint.objects.create(
        person=person,
        channel=channel,
        value=valid.value,
        lookup=valid.lookup,
        priority=priority or _next_priority(person),
        consent_at=consent_at or now,
        **_verified(verified_by, now, acting_user),
    )
    record(
        actor=acting_user,
        action="people.contact_point.add",
        obj=point,
        after={
            "person": person.pk,
            "channel": channel,
            "state": point.state,
            "priority": point.priority,
        },
    )
    return point


def _next_priority(person: Person) -> int:
    highest = person.contact_points.aggregate(m=Max("priority"))["m"]
    return (highest or 0) + 1


def _verified(method: str, now: datetime, acting_user: Actor) -> dict[str, Any]:
    if not method:
        return {}
    if method not in ContactPoint.Method.values:
        raise ValueError(f"unknown verification method {method!r}")
    if method in (ContactPoint.Method.ROSTER, ContactPoint.Method.STAFF):
        authorize_staff(acting_user)
        if acting_user is None:
            raise ValueError("only staff vouch for a contact point")
    return {"state": ContactPoint.State.VERIFIED, "verification_method": method, "verified_at": now}


@transaction.atomic
def contact_point_verify(
    *, acting_user: Actor, contact_point: ContactPoint, method: str
) -> ContactPoint:
    """Mark a contact point verified by ``method`` (a ``ContactPoint.Method``).

    The person's own proofs come here with ``acting_user=None``: the link mailed to an
    address (``link``: ``contact_point_confirm``, the sign-in link) and the code sent to a
    phone number or messaging address (``code``: ``phone_code_confirm``). Staff may also
    confirm one (``staff``), e.g. after a call, or an organisation's roster vouch for it
    (``roster``).
    """
    authorize_staff(acting_user)
    if contact_point.is_verified:
        return contact_point
    fields = _verified(method, timezone.now(), acting_user)
    ContactPoint.objects.filter(pk=contact_point.pk).update(**fields)
    contact_point.refresh_from_db()
    record(
        actor=acting_user,
        action="people.contact_point.verify",
        obj=contact_point,
        after={"method": method},
    )
    return contact_point


@transaction.atomic
def contact_point_remove(*, acting_user: Actor, contact_point: ContactPoint) -> None:
    authorize_staff(acting_user)
    record(
        actor=acting_user,
        action="people.contact_point.remove",
        obj=contact_point,
        before={"person": contact_point.person_id, "channel": contact_point.channel},
    )
    contact_point.delete()


@transaction.atomic
def contact_points_reorder(*, acting_user: Actor, person: Person, order: Sequence[int]) -> None:
    """Set the person's preferred order: ``order`` lists all their contact point ids."""
    authorize_staff(acting_user)
    ids = set(person.contact_points.values_list("id", flat=True))
    if set(order) != ids or len(order) != len(ids):
        raise ValidationError(
            _("List each of the person's contact points exactly once."), code="order"
        )
    for priority, pk in enumerate(order, start=1):
        ContactPoint.objects.filter(pk=pk).update(priority=priority)
    record(
        actor=acting_user,
        action="people.contact_point.reorder",
        obj=person,
        after={"order": list(order)},
    )


__all__ = ["Channel"]
