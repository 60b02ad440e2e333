"""Trips: where a person is, from arrival to departure (none: open-ended, e.g. residents)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warden.audit.services import record
from warden.geo.models import Country, Subdivision
from warden.geo.selectors import city_get
from warden.people.models import OPEN_ENDED, Person, Trip
from warden.people.services.common import Actor, authorize_staff

MAX_COMPANIONS = 99


@dataclass(frozen=True)
class TripDetails:
    """A trip as entered. Dates without a time cover the whole day (in UTC): arrival from
    00:00, departure until the end of the day. ``country`` is an ISO 3166-1 alpha-2 code,
    ``subdivision`` an ISO 3166-2 code of that country, ``city_geonameid`` a GeoNames city
    (``warden.geo.selectors.city_search``) of that country."""

    country: str
    arrival: date | datetime
    departure: date | datetime | None = None
    subdivision: str | None = None
    city_geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    is_resident: bool = False
    companions: int = 0
    itinerary: uuid.UUID | None = None
    leg: int = 1

    def fields(self) -> dict[str, Any]:
        """The model fields, or ValidationError naming each bad field."""
        problems: dict[str, list[ValidationError]] = {}
        values: dict[str, Any] = {}
        for check in (_place, _point, _dates, _party):
            try:
                values.update(check(self, values))
            except ValidationError as error:
                problems.update(error.error_dict)
        if problems:
            raise ValidationError(problems)
        return values


def _place(details: TripDetails, values: dict[str, Any]) -> dict[str, Any]:
    code = (details.country or "").strip().upper()
    country = Country.objects.filter(pk=code).first()
    if country is None:
        raise ValidationError(
            {"country": _("“%(code)s” is not an ISO 3166-1 country code.") % {"code": code[:8]}}
        )
    place: dict[str, Any] = {
        "country": country,
        "subdivision": None,
        "city_geonameid": None,
        "city_name": "",
    }
    if details.subdivision:
        sub = Subdivision.objects.filter(pk=details.subdivision.strip().upper()).first()
        if sub is None or sub.country_id != country.pk:
            raise ValidationError(
                {
                    "subdivision": _("This area is not part of %(country)s.")
                    % {"country": country.name}
                }
            )
        place["subdivision"] = sub
    if details.city_geonameid:
        city = city_get(details.city_geonameid)
        if city is None or city.country_code != country.pk:
            raise ValidationError(
                {
                    "city_geonameid": _("This city is not in %(country)s.")
                    % {"country": country.name}
                }
            )
        place.update(
            city_geonameid=city.geonameid,
            city_name=city.name,
            latitude=city.latitude,
            longitude=city.longitude,
        )
    return place


def _point(details: TripDetails, values: dict[str, Any]) -> dict[str, Any]:
    lat, lon = details.latitude, details.longitude
    if lat is None and lon is None:
        return {} if "latitude" in values else {"latitude": None, "longitude": None}
    if lat is None or lon is None:
        raise ValidationError({"latitude": _("Give both latitude and longitude, or neither.")})
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValidationError({"latitude": _("Latitude must be between -90 and 90.")})
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise ValidationError({"longitude": _("Longitude must be between -180 and 180.")})
    return {"latitude": float(lat), "longitude": float(lon)}


def moment(value: date | datetime, *, end_of_day: bool = False) -> datetime:
    """A date or datetime as an aware datetime; a departure date counts the whole day."""
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
    start = datetime.combine(value, time.min, tzinfo=UTC)
    return start + timedelta(days=1) if end_of_day else start


def _dates(details: TripDetails, values: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(details.arrival, date):
        raise ValidationError({"arrival": _("Enter the arrival date.")})
    arrival = moment(details.arrival)
    departure = None
    if details.departure is not None:
        departure = moment(details.departure, end_of_day=True)
        if departure < arrival:
            raise ValidationError({"departure": _("The departure is before the arrival.")})
        if departure >= OPEN_ENDED:
            raise ValidationError({"departure": _("Enter a real departure date.")})
    until = departure if departure is not None else OPEN_ENDED
    return {"arrival": arrival, "departure": departure, "until": until}


def _party(details: TripDetails, values: dict[str, Any]) -> dict[str, Any]:
    if not 0 <= details.companions <= MAX_COMPANIONS:
        raise ValidationError(
            {"companions": _("Enter a number from 0 to %(limit)d.") % {"limit": MAX_COMPANIONS}}
        )
    if details.leg < 1:
        raise ValidationError({"leg": _("Legs are numbered from 1.")})
    return {
        "is_resident": details.is_resident,
        "companions": details.companions,
        "itinerary": details.itinerary,
        "leg": details.leg,
    }


def presence_refresh(person: Person) -> None:
    """Recompute the person's last departure and open-ended flag (used by the retention)."""
    trips = Trip.objects.filter(person=person)
    open_ended = trips.filter(departure__isnull=True).exists()
    last = trips.aggregate(last=Max("departure"))["last"]
    Person.objects.filter(pk=person.pk).update(last_departure=last, open_ended=open_ended)
    person.last_departure, person.open_ended = last, open_ended


def _facts(trip: Trip) -> dict[str, object]:
    """What an audit row may say about a trip. Not where or when: the audit log is kept for
    good, and places and dates must go with the retention purge."""
    return {"person": trip.person_id, "leg": trip.leg}


@transaction.atomic
def trip_add(*, acting_user: Actor, person: Person, details: TripDetails) -> Trip:
    authorize_staff(acting_user)
    trip = Trip.objects.create(person=person, **details.fields())
    presence_refresh(person)
    record(actor=acting_user, action="people.trip.add", obj=trip, after=_facts(trip))
    return trip


@transaction.atomic
def trip_update(*, acting_user: Actor, trip: Trip, details: TripDetails) -> Trip:
    authorize_staff(acting_user)
    changed = []
    for name, value in details.fields().items():
        if getattr(trip, name) != value:
            changed.append(name)
            setattr(trip, name, value)
    trip.save()
    presence_refresh(trip.person)
    record(
        actor=acting_user,
        action="people.trip.update",
        obj=trip,
        after={**_facts(trip), "changed": changed},
    )
    return trip


@transaction.atomic
def trip_remove(*, acting_user: Actor, trip: Trip) -> None:
    authorize_staff(acting_user)
    record(actor=acting_user, action="people.trip.remove", obj=trip, before=_facts(trip))
    person = trip.person
    trip.delete()
    presence_refresh(person)
