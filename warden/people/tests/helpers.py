"""Plain builders for people tests (through the services, as the system)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from warden.people.models import ContactPoint, Person, Trip
from warden.people.services import (
    PersonDetails,
    TripDetails,
    contact_point_add,
    person_create,
    trip_add,
)

EMAIL = "dana.levi@example.org"
PHONE = "+972 54 321 1234"
PHONE_E164 = "+972543211234"


def person(given: str = "Dana", family: str = "Levi", **details: Any) -> Person:
    organisation = details.pop("organisation", None)
    return person_create(
        acting_user=None,
        details=PersonDetails(given_name=given, family_name=family, **details),
        organisation=organisation,
    )


def contact(who: Person, channel: str = "email", value: str = EMAIL, **extra: Any) -> ContactPoint:
    point = contact_point_add(acting_user=None, person=who, channel=channel, value=value, **extra)
    return point


def verified(who: Person, channel: str = "email", value: str = EMAIL) -> ContactPoint:
    point = contact(who, channel, value)
    ContactPoint.objects.filter(pk=point.pk).update(
        state=ContactPoint.State.VERIFIED,
        verification_method=ContactPoint.Method.SYNTHETIC,
        verified_at=point.consent_at,
    )
    point.refresh_from_db()
    return point


def trip(
    who: Person,
    country: str = "TR",
    arrival: date | datetime = date(2023, 10, 10),
    departure: date | datetime | None = date(2023, 10, 20),
    **extra: Any,
) -> Trip:
    details = TripDetails(country=country, arrival=arrival, departure=departure, **extra)
    return trip_add(acting_user=None, person=who, details=details)
