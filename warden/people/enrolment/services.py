"""Writes of self-service enrolment: complete it at once, or delete everything.

Both act as the person themselves (``acting_user=None``): the views and the API call them
only for the citizen their session or bearer token signed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from warden.people.models import Channel, ContactPoint, Person, SignInLink
from warden.people.services import (
    PersonDetails,
    TripDetails,
    contact_point_add,
    person_create,
    person_delete,
    trip_add,
)


@transaction.atomic
def enrolment_complete(
    *,
    link: SignInLink,
    details: PersonDetails,
    trips: Sequence[TripDetails],
    contacts: Sequence[tuple[str, str]],
    consent_at: datetime,
) -> Person:
    """Create the person, their trips and contact points, in the order of preference given.

    ``contacts`` are (channel, value) pairs; the link's own email address, verified by the
    link, is added where ``("email", "")`` stands, or first. Other addresses stay pending.
    """
    link = SignInLink.objects.select_for_update().get(pk=link.pk)
    if link.person_id is not None or link.used_at is None:
        raise ValidationError(_("This enrolment is complete already."), code="done")
    person = person_create(acting_user=None, details=details)
    for trip in trips:
        trip_add(acting_user=None, person=person, details=trip)
    order = list(contacts)
    if not any(channel == Channel.EMAIL and not value for channel, value in order):
        order.insert(0, (Channel.EMAIL, ""))
    for priority, (channel, value) in enumerate(order, start=1):
        own = channel == Channel.EMAIL and not value
        contact_point_add(
            acting_user=None,
            person=person,
            channel=channel,
            value=link.email if own else value,
            consent_at=consent_at,
            priority=priority,
            verified_by=ContactPoint.Method.LINK if own else "",
        )
    link.person = person
    link.save(update_fields=["person"])
    return person


@transaction.atomic
def registration_delete(*, person: Person) -> dict[str, int]:
    """Delete my data: the person, their trips, contact points and sign-in links.

    The audit event (``people.person.delete``) says how many of each, and nothing personal.
    """
    lookups = list(
        person.contact_points.filter(channel=Channel.EMAIL).values_list("lookup", flat=True)
    )
    SignInLink.objects.filter(lookup__in=lookups).delete()
    SignInLink.objects.filter(person=person).delete()
    return person_delete(acting_user=None, person=person)
