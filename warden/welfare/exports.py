"""Exports of a round: CSV for the crisis cell, PFIF 1.4 for Person Finder-style systems.

Both stream: members are read in pages by person id, so a round of a million people is
never held in memory. Opening an export is a privilege (``welfare.export``) and writes an
audit event (``export_record``); the files carry names, so they are personal data.

PFIF mapping (http://zesty.ca/pfif/1.4): each member is a ``person`` record; each answer in
the round is a ``note``. The person's own answers are notes with ``status``
``is_note_author`` (the author is the person); an officer's entry is ``believed_alive`` with
``author_made_contact``; a member without any answer gets one ``information_sought`` note
from the ministry. "Left the country" gives the destination in ``last_known_location``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.people.models import Person
from warden.welfare.models import STATUS_LABELS, CheckInRound, RoundMember, Status, WelfareEvent
from warden.welfare.scope import check_scope

PFIF_NS = "http://zesty.ca/pfif/1.4"
PAGE = 2000
CSV_COLUMNS = (
    "person_id",
    "given_name",
    "family_name",
    "language",
    "status",
    "status_at",
    "first_answer_at",
    "reached_at",
    "city",
    "area",
)


@transaction.atomic
def export_record(*, acting_user: User, round: CheckInRound, kind: str) -> None:
    """Check the right to export and log it, before any byte leaves."""
    authorize(acting_user, "welfare.export")
    check_scope(acting_user, round.country_id)
    record(
        actor=acting_user,
        action="welfare.export",
        obj=round,
        after={"format": kind, "members": RoundMember.objects.filter(round=round).count()},
    )


def _pages(checkin: CheckInRound) -> Iterator[list[RoundMember]]:
    last = 0
    members = RoundMember.objects.filter(round=checkin).order_by("person_id")
    while True:
        page = list(members.filter(person_id__gt=last)[:PAGE])
        if not page:
            return
        yield page
        last = page[-1].person_id


def _people(ids: list[int]) -> dict[int, Person]:
    people = Person.objects.filter(pk__any_of=ids, pk__gte=ids[0], pk__lte=ids[-1])
    return {p.pk: p for p in people}


def _stamp(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def csv_rows(checkin: CheckInRound) -> Iterator[str]:
    """The CSV file, a page of lines at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for page in _pages(checkin):
        people = _people([m.person_id for m in page])
        for member in page:
            person = people.get(member.person_id)
            writer.writerow(
                [
                    member.person_id,
                    person.given_name if person else "",
                    person.family_name if person else "",
                    person.language if person else "",
                    member.status or "no_answer",
                    _stamp(member.status_at),
                    _stamp(member.answered_at),
                    _stamp(member.reached_at),
                    member.city_name,
                    member.area_code,
                ]
            )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


# --- PFIF 1.4 -------------------------------------------------------------------------


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "warden.invalid"


def _add(parent: etree._Element, name: str, text: str) -> None:
    if text:
        etree.SubElement(parent, f"{{{PFIF_NS}}}{name}").text = text


def _events(checkin: CheckInRound, ids: list[int]) -> dict[int, list[WelfareEvent]]:
    events = (
        WelfareEvent.objects.filter(
            person_id__any_of=ids,
            person_id__gte=ids[0],
            person_id__lte=ids[-1],
            at__gte=checkin.answers_since,
        )
        .select_related("left_to")
        .order_by("person_id", "at", "id")
    )
    if checkin.closed_at:
        events = events.filter(at__lte=checkin.closed_at)
    found: dict[int, list[WelfareEvent]] = {}
    for event in events:
        found.setdefault(event.person_id, []).append(event)
    return found


def _note_text(event: WelfareEvent) -> str:
    label = str(STATUS_LABELS[event.status])
    parts = [label, event.place, event.note]
    return " — ".join(part for part in parts if part)


def pfif_status(event: WelfareEvent) -> str:
    """The PFIF 1.4 note status for a Warden answer: the person's own answer is
    ``is_note_author``; an officer's depends on what they found."""
    if event.channel != WelfareEvent.Channel.OFFICER:
        return "is_note_author"
    return {
        Status.MISSING: "believed_missing",
        Status.DECEASED: "believed_dead",
        Status.UNREACHABLE: "information_sought",
    }.get(Status(event.status), "believed_alive")


def _note(person_id: str, event: WelfareEvent, source: str, city: str) -> etree._Element:
    note = etree.Element(f"{{{PFIF_NS}}}note")
    by_officer = event.channel == WelfareEvent.Channel.OFFICER
    _add(note, "note_record_id", f"{_domain()}/note.{event.pk}")
    _add(note, "person_record_id", person_id)
    _add(note, "entry_date", _stamp(event.created_at))
    _add(note, "author_name", source if by_officer else "")
    _add(note, "source_date", _stamp(event.at))
    _add(note, "author_made_contact", "true")
    _add(note, "status", pfif_status(event))
    where = event.left_to.name if event.left_to is not None else (event.place or city)
    _add(note, "last_known_location", where)
    _add(note, "text", _note_text(event))
    return note


def _sought(
    person_id: str, checkin: CheckInRound, source: str, now: str, city: str
) -> etree._Element:
    note = etree.Element(f"{{{PFIF_NS}}}note")
    number = person_id.rpartition(".")[2]
    _add(note, "note_record_id", f"{_domain()}/note.round{checkin.pk}-{number}")
    _add(note, "person_record_id", person_id)
    _add(note, "entry_date", now)
    _add(note, "author_name", source)
    _add(note, "source_date", _stamp(checkin.opened_at))
    _add(note, "author_made_contact", "false")
    _add(note, "status", "information_sought")
    _add(note, "last_known_location", city)
    _add(note, "text", _("No answer to the check-in yet."))
    return note


def _person(
    member: RoundMember,
    person: Person | None,
    events: list[WelfareEvent],
    checkin: CheckInRound,
    source: str,
    now: str,
) -> etree._Element:
    record_id = f"{_domain()}/person.{member.person_id}"
    element = etree.Element(f"{{{PFIF_NS}}}person", nsmap={"pfif": PFIF_NS})
    _add(element, "person_record_id", record_id)
    _add(element, "entry_date", now)
    _add(element, "author_name", source)
    _add(element, "source_name", source)
    _add(element, "source_date", _stamp(checkin.opened_at))
    if person is not None:
        _add(element, "full_name", person.full_name)
        _add(element, "given_name", person.given_name)
        _add(element, "family_name", person.family_name)
    for event in events:
        element.append(_note(record_id, event, source, member.city_name))
    if not events:
        element.append(_sought(record_id, checkin, source, now, member.city_name))
    return element


def pfif_chunks(checkin: CheckInRound) -> Iterator[bytes]:
    """The PFIF 1.4 document, a page of person records at a time."""
    source = f"Warden ({_domain()})"
    now = _stamp(timezone.now())
    yield b"<?xml version='1.0' encoding='UTF-8'?>\n"
    yield f'<pfif:pfif xmlns:pfif="{PFIF_NS}">\n'.encode()
    for page in _pages(checkin):
        ids = [m.person_id for m in page]
        people, events = _people(ids), _events(checkin, ids)
        parts = [
            etree.tostring(
                _person(
                    m, people.get(m.person_id), events.get(m.person_id, []), checkin, source, now
                ),
                encoding="UTF-8",
            )
            for m in page
        ]
        yield b"\n".join(parts) + b"\n"
    yield b"</pfif:pfif>\n"
