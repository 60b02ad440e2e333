"""Reads of the registry: audiences, finding a person by exact address, counts by place.

The audience functions take an area (``Country``, ``Subdivision`` or ``CustomArea``; see
``area_for_code``) and a time (default: now); ``warden.people.audience`` says who counts as
present.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone

from warden.geo.selectors import area_lookup
from warden.people import audience as _audience
from warden.people.audience import Area, AudienceContact, Breakdown
from warden.people.contacts import lookup_for
from warden.people.models import ContactPoint, Organisation, Person, Trip

if TYPE_CHECKING:
    from warden.advisories.models import Edition

__all__ = [
    "AudienceContact",
    "Breakdown",
    "area_for_code",
    "audience",
    "audience_breakdown",
    "audience_count",
    "counts_by_city",
    "counts_by_country",
    "person_find",
    "person_with_details",
]


def area_for_code(code: str) -> Area | None:
    """The country (ISO 3166-1), subdivision (ISO 3166-2) or custom area with this code."""
    return area_lookup(code)


def audience(
    area: Area,
    at: datetime | None = None,
    *,
    kinds: Iterable[str] | None = None,
    organisation: Organisation | int | None = None,
    exercise: bool = False,
    channels: Iterable[str] | None = None,
    verified_only: bool = True,
    with_values: bool = False,
) -> Iterator[AudienceContact]:
    """Stream the contact points of the people present in ``area`` at ``at``.

    Verified contact points only unless ``verified_only=False``; ``channels`` limits them.
    Keyset pages of person ids: memory stays flat at any size, and no transaction or
    cursor is held between pages.
    """
    query = _audience.Audience.of(
        area, at, kinds=kinds, organisation=organisation, exercise=exercise
    )
    return _audience.contacts(
        query, channels=channels, verified_only=verified_only, with_values=with_values
    )


def audience_count(
    area: Area | Edition,
    at: datetime | None = None,
    *,
    kinds: Iterable[str] | None = None,
    organisation: Organisation | int | None = None,
    exercise: bool = False,
) -> int:
    """How many distinct people are present in ``area`` at ``at``.

    Given an advisory edition: the people in its country now (its areas lie inside the
    country), counting only exercise participants for an exercise edition. This is the
    count on the approval screen (``notification_audience_count``).
    """
    from warden.advisories.models import Edition

    if isinstance(area, Edition):
        return _audience.count(
            _audience.Audience.of(area.country, timezone.now(), exercise=area.is_exercise)
        )
    query = _audience.Audience.of(
        area, at, kinds=kinds, organisation=organisation, exercise=exercise
    )
    return _audience.count(query)


def audience_breakdown(
    area: Area,
    at: datetime | None = None,
    *,
    kinds: Iterable[str] | None = None,
    organisation: Organisation | int | None = None,
    exercise: bool = False,
) -> Breakdown:
    """The count, by verified channel and by preferred language."""
    query = _audience.Audience.of(
        area, at, kinds=kinds, organisation=organisation, exercise=exercise
    )
    return _audience.breakdown(query)


def person_find(*, channel: str, value: str, region: str | None = None) -> QuerySet[Person]:
    """People with this exact address (blind index): email or phone, any channel's value."""
    lookup = lookup_for(channel, value, region=region)
    if lookup is None:
        return Person.objects.none()
    ids = ContactPoint.objects.filter(lookup=lookup, channel=channel).values("person_id")
    return Person.objects.filter(id__in=ids).select_related("organisation")


def person_with_details(pk: int) -> Person | None:
    """A person with their trips and contact points loaded (decrypted on access)."""
    return (
        Person.objects.filter(pk=pk)
        .select_related("organisation")
        .prefetch_related("contact_points", "trips__country", "trips__subdivision")
        .first()
    )


def counts_by_country(at: datetime | None = None) -> list[tuple[str, int]]:
    """(country code, people present) for every country with someone present, most first."""
    moment = at or timezone.now()
    rows = (
        Trip.objects.filter(until__gt=moment, arrival__lte=moment)
        .values_list("country_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "country_id")
    )
    return [(code, n) for code, n in rows]


def counts_by_city(country_code: str, at: datetime | None = None) -> list[tuple[str, int]]:
    """(city, people present) in a country, most first; "" for trips without a city."""
    moment = at or timezone.now()
    rows = (
        Trip.objects.filter(country_id=country_code, until__gt=moment, arrival__lte=moment)
        .values_list("city_name")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "city_name")
    )
    return [(city, n) for city, n in rows]
