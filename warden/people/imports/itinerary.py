"""Itineraries as iCalendar (.ics): each VEVENT is one leg of a journey.

The convention, in order of preference:

- ``DTSTART`` is the arrival, ``DTEND`` (or ``DURATION``) the departure. All-day events
  (``VALUE=DATE``) end, as RFC 5545 says, at the start of their ``DTEND`` day; times
  without a time zone are read as UTC.
- ``X-WARDEN-COUNTRY`` (ISO 3166-1 alpha-2), ``X-WARDEN-CITY`` (GeoNames id or name) and
  ``X-WARDEN-AREA`` (ISO 3166-2) say where, exactly. Without them ``LOCATION`` is read as
  "…, city, country": the last part is the country (its name or code), and the first other
  part that names a city of that country is the city.
- ``GEO`` (latitude;longitude) gives the point, for custom areas.
- For an organisation's file, ``ATTENDEE:mailto:…`` names the traveller by the email on the
  roster; for one person's file it is ignored.

All legs of one file (per traveller) share an itinerary id and are numbered by arrival.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import IO, Any

import icalendar
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warden.audit.services import record
from warden.geo.models import Country
from warden.geo.selectors import city_search, country_search
from warden.geo.text import fold
from warden.people.contacts import lookup_for
from warden.people.imports.common import (
    ImportReport,
    RowError,
    UnreadableFile,
    decode,
    messages,
    read_bytes,
)
from warden.people.models import ContactPoint, Organisation, Person
from warden.people.services import TripDetails, trip_add
from warden.people.services.common import Actor, authorize_staff

MAX_EVENTS = 5000
FIELD_TO_PROPERTY = {
    "country": "X-WARDEN-COUNTRY",
    "subdivision": "X-WARDEN-AREA",
    "city_geonameid": "X-WARDEN-CITY",
    "arrival": "DTSTART",
    "departure": "DTEND",
    "latitude": "GEO",
    "longitude": "GEO",
}


def itinerary_import(
    *,
    acting_user: Actor,
    file: IO[bytes] | IO[str] | bytes | str,
    person: Person | None = None,
    organisation: Organisation | None = None,
) -> ImportReport:
    """Add the trips of an .ics file to ``person``, or to ``organisation``'s attendees."""
    if (person is None) == (organisation is None):
        raise ValueError("give a person or an organisation")
    authorize_staff(acting_user, "people.import")
    report = ImportReport()
    try:
        events = _events(file)
    except UnreadableFile as problem:
        report.errors.append(problem.error)
        return report
    legs: dict[Person, list[TripDetails]] = defaultdict(list)
    for number, event in enumerate(events, start=1):
        traveller = person or _attendee(event, organisation, number, report)
        details = _leg(event, number, report)
        if traveller is not None and details is not None:
            legs[traveller].append(details)
    if report.ok:
        _write(acting_user, legs, report)
    return report


def _events(file: IO[bytes] | IO[str] | bytes | str) -> list[Any]:
    text = decode(read_bytes(file))
    if "BEGIN:VCALENDAR" not in text.upper():
        raise UnreadableFile(RowError(0, "", _("This is not an iCalendar (.ics) file.")))
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        raise UnreadableFile(
            RowError(0, "", _("The iCalendar file is malformed: %(reason)s") % {"reason": error})
        ) from None
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise UnreadableFile(RowError(0, "VEVENT", _("The file holds no events.")))
    if len(events) > MAX_EVENTS:
        raise UnreadableFile(
            RowError(0, "VEVENT", _("At most %(limit)d events per file.") % {"limit": MAX_EVENTS})
        )
    return events


def _attendee(
    event: Any, organisation: Organisation | None, number: int, report: ImportReport
) -> Person | None:
    value = str(event.get("ATTENDEE", "") or "")
    email = value.split(":", 1)[1] if value.lower().startswith("mailto:") else value
    lookup = lookup_for("email", email) if email else None
    point = (
        ContactPoint.objects.filter(
            lookup=lookup, channel="email", person__organisation=organisation
        )
        .select_related("person")
        .first()
        if lookup
        else None
    )
    if point is None:
        report.errors.append(
            RowError(
                number,
                "ATTENDEE",
                _("Name the traveller as ATTENDEE:mailto:<their email on the roster>."),
            )
        )
        return None
    return point.person


def _leg(event: Any, number: int, report: ImportReport) -> TripDetails | None:
    def fail(prop: str, reason: str) -> None:
        report.errors.append(RowError(number, prop, reason))

    arrival, departure = _times(event, fail)
    country, city, area = _place(event, fail)
    point = _geo(event, fail)
    if arrival is None or departure is None or country is None:
        return None
    details = TripDetails(
        country=country,
        arrival=arrival,
        departure=departure,
        subdivision=area,
        city_geonameid=city,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
    )
    try:
        details.fields()
    except ValidationError as error:
        for field, message in messages(error):
            fail(FIELD_TO_PROPERTY.get(field, field), message)
        return None
    return details


def _times(event: Any, fail: Any) -> tuple[date | None, date | None]:
    start = event.get("DTSTART")
    if start is None:
        fail("DTSTART", _("The event has no start (DTSTART)."))
        return None, None
    arrival = start.dt
    if event.get("DTEND") is not None:
        end = event.get("DTEND").dt
    elif event.get("DURATION") is not None:
        end = arrival + event.get("DURATION").dt
    else:
        fail("DTEND", _("The event has no end (DTEND or DURATION)."))
        return arrival, None
    if not isinstance(end, datetime) and isinstance(end, date):
        end = end - timedelta(days=1)  # DTEND of an all-day event is exclusive
        if not isinstance(arrival, datetime) and end < arrival:
            end = arrival
    return arrival, end


def _place(event: Any, fail: Any) -> tuple[str | None, int | None, str | None]:
    country_text = str(event.get("X-WARDEN-COUNTRY", "") or "").strip()
    city_text = str(event.get("X-WARDEN-CITY", "") or "").strip()
    area = str(event.get("X-WARDEN-AREA", "") or "").strip() or None
    location = [p.strip() for p in str(event.get("LOCATION", "") or "").split(",") if p.strip()]
    if not country_text and location:
        country_text = location[-1]
    if not country_text:
        fail("X-WARDEN-COUNTRY", _("Say which country: X-WARDEN-COUNTRY or LOCATION."))
        return None, None, area
    found = [c for c in country_search(query=country_text, limit=3) if _named(c, country_text)]
    if not found:
        fail(
            "X-WARDEN-COUNTRY" if event.get("X-WARDEN-COUNTRY") else "LOCATION",
            _("No country is called “%(name)s”.") % {"name": country_text[:60]},
        )
        return None, None, area
    code = found[0].pk
    candidates = [city_text] if city_text else location[:-1]
    return code, _city(code, candidates, bool(city_text), fail), area


def _named(country: Country, text: str) -> bool:
    names = (country.pk, country.alpha3, country.name, *country.names.values(), *country.aliases)
    return fold(text) in {fold(name) for name in names}


def _city(code: str, candidates: list[str], explicit: bool, fail: Any) -> int | None:
    for text in candidates:
        if text.isdigit():
            return int(text)
        for city in city_search(country_code=code, query=text, limit=5):
            if fold(city.name) == fold(text):
                return city.geonameid
    if explicit:
        fail(
            "X-WARDEN-CITY",
            _("No city of this name in %(country)s; give its GeoNames id.") % {"country": code},
        )
    return None


def _geo(event: Any, fail: Any) -> tuple[float, float] | None:
    geo = event.get("GEO")
    if geo is None:
        return None
    try:
        return float(geo.latitude), float(geo.longitude)
    except (AttributeError, TypeError, ValueError):
        fail("GEO", _("Write GEO as latitude;longitude."))
        return None


@transaction.atomic
def _write(acting_user: Actor, legs: dict[Person, list[TripDetails]], report: ImportReport) -> None:
    for traveller, details in legs.items():
        itinerary = uuid.uuid4() if len(details) > 1 else None
        ordered = sorted(details, key=lambda d: str(d.arrival))
        for leg, detail in enumerate(ordered, start=1):
            numbered = replace(detail, itinerary=itinerary, leg=leg)
            trip_add(acting_user=acting_user, person=traveller, details=numbered)
            report.created_trips += 1
    record(
        actor=acting_user,
        action="people.itinerary.import",
        after={"trips": report.created_trips, "people": len(legs)},
    )
