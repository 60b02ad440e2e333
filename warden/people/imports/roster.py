"""An organisation's roster as CSV: one person a row, with how to reach them and, optionally,
where they are.

Columns (a header row names them, in any order, in lower case):

- ``given_name``, ``family_name`` (required columns; at least one filled in a row)
- ``email`` and/or ``phone`` (at least one of the columns, and a value in every row); a
  phone without ``+country code`` is read as a number of the row's ``country``
- ``language`` (``en``, ``he``...; default ``en``), ``kind`` (``employee`` by default,
  ``family_member``, ``citizen``), ``exercise`` (yes/no: takes part in exercises)
- ``country`` (ISO 3166-1 alpha-2), ``city`` (a GeoNames id or the city's name),
  ``area`` (ISO 3166-2), ``arrival`` and ``departure`` (``YYYY-MM-DD`` or ISO 8601 time;
  an empty departure is an open-ended stay), ``resident`` (yes/no)

The organisation vouches for the addresses: they are stored verified (method ``roster``),
with the import time as the consent time. A person whose email or phone is on the roster
already is reported, not duplicated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from warden.audit.services import record
from warden.geo.selectors import city_search
from warden.geo.text import fold
from warden.people.contacts import Address, address
from warden.people.imports.common import (
    ImportReport,
    RowError,
    UnreadableFile,
    decode,
    messages,
    read_bytes,
)
from warden.people.models import ContactPoint, Organisation, Person
from warden.people.services import (
    PersonDetails,
    TripDetails,
    contact_point_add,
    person_create,
    trip_add,
)
from warden.people.services.common import Actor, authorize_staff

ROSTER_COLUMNS = (
    "given_name",
    "family_name",
    "email",
    "phone",
    "language",
    "kind",
    "exercise",
    "country",
    "city",
    "area",
    "arrival",
    "departure",
    "resident",
)
REQUIRED = ("given_name", "family_name")
MAX_ROWS = 20_000
Fail = Callable[[str, str], None]  # fail(column, reason)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class RosterRow:
    number: int
    details: PersonDetails
    addresses: list[Address]
    trip: TripDetails | None


def roster_import(
    *, acting_user: Actor, organisation: Organisation, file: IO[bytes] | IO[str] | bytes | str
) -> ImportReport:
    """Import a roster: everything, or nothing and the list of problems."""
    authorize_staff(acting_user, "people.import")
    report = ImportReport()
    try:
        rows = _parse(_read(file), organisation, report)
    except UnreadableFile as problem:
        report.errors.append(problem.error)
        return report
    if report.ok:
        _write(acting_user, organisation, rows, report)
    return report


def _read(file: IO[bytes] | IO[str] | bytes | str) -> list[dict[str, str]]:
    text = decode(read_bytes(file))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        _check_header(header)
        reader.fieldnames = header
        rows = list(reader)
    except csv.Error as error:
        raise UnreadableFile(
            RowError(0, "", _("The file is not valid CSV: %(reason)s.") % {"reason": error})
        ) from None
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(
            RowError(0, "", _("A roster may have at most %(limit)d rows.") % {"limit": MAX_ROWS})
        )
    if not rows:
        raise UnreadableFile(RowError(0, "", _("The file has a header but no rows.")))
    return rows


def _check_header(header: list[str]) -> None:
    if not header:
        raise UnreadableFile(RowError(1, "", _("The file is empty: it needs a header row.")))
    for column in header:
        if column not in ROSTER_COLUMNS:
            raise UnreadableFile(
                RowError(
                    1,
                    column,
                    _("Unknown column; the columns are: %(all)s.")
                    % {"all": ", ".join(ROSTER_COLUMNS)},
                )
            )
    for column in REQUIRED:
        if column not in header:
            raise UnreadableFile(RowError(1, column, _("This column is missing.")))
    if "email" not in header and "phone" not in header:
        raise UnreadableFile(RowError(1, "email", _("Add an email or a phone column.")))
    if len(set(header)) != len(header):
        raise UnreadableFile(RowError(1, "", _("A column is named twice.")))


def _parse(
    rows: list[dict[str, str]], organisation: Organisation, report: ImportReport
) -> list[RosterRow]:
    parsed: list[RosterRow] = []
    seen: dict[str, int] = {}
    on_roster = set(
        ContactPoint.objects.filter(person__organisation=organisation).values_list(
            "lookup", flat=True
        )
    )
    for number, raw in enumerate(rows, start=2):
        if None in raw:
            report.errors.append(RowError(number, "", _("The row has more cells than the header.")))
            continue
        cells = {k: (v or "").strip() for k, v in raw.items()}
        row = _parse_row(number, cells, report)
        if row is not None and _unique(row, seen, on_roster, report):
            parsed.append(row)
    return parsed


def _parse_row(number: int, cells: dict[str, str], report: ImportReport) -> RosterRow | None:
    before = len(report.errors)

    def fail(column: str, reason: str) -> None:
        report.errors.append(RowError(number, column, reason))

    details = PersonDetails(
        given_name=cells.get("given_name", ""),
        family_name=cells.get("family_name", ""),
        language=cells.get("language") or "en",
        kind=cells.get("kind") or Person.Kind.EMPLOYEE,
        exercise_participant=_flag(cells, "exercise", fail),
    )
    try:
        details = details.cleaned()
    except ValidationError as error:
        for column, message in messages(error):
            fail(column, message)
    addresses = _addresses(cells, fail)
    trip = _trip(cells, fail)
    if len(report.errors) > before:
        return None
    return RosterRow(number, details, addresses, trip)


def _flag(cells: dict[str, str], column: str, fail: Fail) -> bool:
    value = cells.get(column, "").lower()
    if value not in YES | NO:
        fail(column, _("Write yes or no."))
    return value in YES


def _addresses(cells: dict[str, str], fail: Fail) -> list[Address]:
    found = []
    region = cells.get("country", "").upper() or None
    for column, channel in (("email", "email"), ("phone", "sms")):
        if not cells.get(column):
            continue
        try:
            found.append(address(channel, cells[column], region=region))
        except ValidationError as error:
            fail(column, " ".join(error.messages))
            found.append(Address(channel, "", ""))
    if not found:
        fail("email", _("Give an email address or a phone number."))
    return [a for a in found if a.value]


def _trip(cells: dict[str, str], fail: Fail) -> TripDetails | None:
    country = cells.get("country", "").upper()
    resident = _flag(cells, "resident", fail)
    if not country:
        for column in ("city", "area", "arrival", "departure"):
            if cells.get(column):
                fail("country", _("Give the country of this stay."))
                break
        return None
    arrival = _moment(cells, "arrival", fail, required=True)
    departure = _moment(cells, "departure", fail, required=False)
    city = _city(country, cells.get("city", ""), fail)
    if arrival is None:
        return None
    details = TripDetails(
        country=country,
        arrival=arrival,
        departure=departure,
        subdivision=cells.get("area") or None,
        city_geonameid=city,
        is_resident=resident,
    )
    try:
        details.fields()
    except ValidationError as error:
        for column, message in messages(error):
            fail({"subdivision": "area", "city_geonameid": "city"}.get(column, column), message)
        return None
    return details


def _moment(cells: dict[str, str], column: str, fail: Fail, *, required: bool) -> date | None:
    text = cells.get(column, "")
    if not text:
        if required:
            fail(column, _("Give the date of arrival."))
        return None
    value: date | datetime | None = parse_datetime(text) if "T" in text else parse_date(text)
    if value is None:
        fail(column, _("Write the date as YYYY-MM-DD."))
    return value


def _city(country: str, text: str, fail: Fail) -> int | None:
    if not text:
        return None
    if text.isdigit():
        return int(text)
    found = [
        c
        for c in city_search(country_code=country, query=text, limit=5)
        if fold(c.name) == fold(text)
    ]
    if not found:
        fail(
            "city",
            _("No city of this name in %(country)s; give its GeoNames id.") % {"country": country},
        )
        return None
    return found[0].geonameid


def _unique(
    row: RosterRow, seen: dict[str, int], on_roster: set[str], report: ImportReport
) -> bool:
    ok = True
    for found in row.addresses:
        column = "email" if found.channel == "email" else "phone"
        if found.lookup in seen:
            report.errors.append(
                RowError(
                    row.number,
                    column,
                    _("The same as in row %(row)d.") % {"row": seen[found.lookup]},
                )
            )
            ok = False
        elif found.lookup in on_roster:
            report.errors.append(
                RowError(row.number, column, _("Already on this organisation's roster."))
            )
            ok = False
        seen.setdefault(found.lookup, row.number)
    return ok


@transaction.atomic
def _write(
    acting_user: Actor, organisation: Organisation, rows: list[RosterRow], report: ImportReport
) -> None:
    now = timezone.now()
    for row in rows:
        person = person_create(
            acting_user=acting_user, details=row.details, organisation=organisation
        )
        for found in row.addresses:
            contact_point_add(
                acting_user=acting_user,
                person=person,
                channel=found.channel,
                value=found.value,
                consent_at=now,
                verified_by=ContactPoint.Method.ROSTER,
            )
            report.created_contact_points += 1
        if row.trip is not None:
            trip_add(acting_user=acting_user, person=person, details=row.trip)
            report.created_trips += 1
        report.created_people += 1
    record(
        actor=acting_user,
        action="people.roster.import",
        obj=organisation,
        after={
            "people": report.created_people,
            "trips": report.created_trips,
            "contact_points": report.created_contact_points,
        },
    )
