from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from warden.audit.models import AuditEvent
from warden.people.imports import itinerary_import, roster_import
from warden.people.models import ContactPoint, Organisation, Person, Trip
from warden.people.tests.helpers import contact, person

pytestmark = pytest.mark.django_db

HEADER = "given_name,family_name,email,phone,language,kind,country,city,arrival,departure,resident"
GOOD = [
    "Dana,Levi,dana@example.org,+972 54 321 1234,he,employee,TR,Istanbul,2023-10-01,,yes",
    "Noa,Cohen,noa@example.org,,en,family_member,TR,745044,2023-10-01,2023-10-30,no",
    "Avi,Mizrahi,,0532 123 45 67,he,,TR,,2023-10-05,2023-10-09,",
]


@pytest.fixture
def acme(db) -> Organisation:
    return Organisation.objects.create(name="Acme", kind="company")


def csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def errors(report) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in report.errors]


def test_a_good_roster_imports_people_verified_by_the_roster(dave, acme):
    report = roster_import(acting_user=dave, organisation=acme, file=csv(*GOOD))

    assert report.ok, report.errors
    assert (report.created_people, report.created_trips, report.created_contact_points) == (
        3, 3, 4)  # fmt: skip
    assert set(Person.objects.values_list("kind", flat=True)) == {"employee", "family_member"}
    assert all(c.verification_method == "roster" for c in ContactPoint.objects.all())
    phone = ContactPoint.objects.get(
        channel="sms", person__language="he", person__trips__city_name=""
    )
    assert phone.value == "+905321234567"  # read as a Turkish number: the row's country
    istanbul = Trip.objects.get(
        person__contact_points__lookup=ContactPoint.objects.get(
            channel="email", value__isnull=False, person__trips__is_resident=True
        ).lookup
    )
    assert istanbul.city_geonameid == 745044 and istanbul.departure is None
    assert AuditEvent.objects.filter(action="people.roster.import").count() == 1


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([GOOD[0], "Bad,Phone,,+90 212 123 45 67,he,,,,,,"], [(3, "phone")]),
        ([GOOD[0], "Bad,Date,x@example.org,,en,,TR,,01/10/2023,,"], [(3, "arrival")]),
        ([GOOD[0], "Bad,Country,x@example.org,,en,,XX,,2023-10-01,,"], [(3, "country")]),
        ([GOOD[0], "Bad,Order,x@example.org,,en,,TR,,2023-10-05,2023-10-01,"], [(3, "departure")]),
        ([GOOD[0], "Bad,City,x@example.org,,en,,TR,Atlantis,2023-10-01,,"], [(3, "city")]),
        ([GOOD[0], "Bad,Lang,x@example.org,,fr,,,,,,"], [(3, "language")]),
        ([GOOD[0], "No,Contact,,,en,,,,,,"], [(3, "email")]),
        ([GOOD[0], GOOD[0].replace("Dana", "Dina")], [(3, "email"), (3, "phone")]),
        ([GOOD[0], "Too,Many,y@example.org,,en,,,,,,,extra"], [(3, "")]),
        (
            ["Bad,Email,not-an-email,,en,,,,,,", "Bad,Flag,z@example.org,,en,,,,,,maybe"],
            [(2, "email"), (3, "resident")],
        ),
    ],
)
def test_any_bad_row_imports_nothing_and_says_where(dave, acme, rows, expected):
    report = roster_import(acting_user=dave, organisation=acme, file=csv(*rows))

    assert errors(report) == expected
    assert not Person.objects.exists()
    assert all(e.reason and "not-an-email" not in e.reason for e in report.errors)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"given_name,family_name,email\nDana,L\xe9vi,x@example.org\n", [(2, "")]),
        (b"given_name,email\nDana,x@example.org\n", [(1, "family_name")]),
        (b"given_name,family_name\nDana,Levi\n", [(1, "email")]),
        (
            b"given_name,family_name,email,shoe_size\nDana,Levi,x@example.org,42\n",
            [(1, "shoe_size")],
        ),
        (b"", [(1, "")]),
        (HEADER.encode(), [(0, "")]),
    ],
)
def test_unreadable_files_are_refused_whole(dave, acme, content, expected):
    report = roster_import(acting_user=dave, organisation=acme, file=content)

    assert errors(report) == expected
    assert not Person.objects.exists()


def test_a_second_import_reports_people_already_on_the_roster(dave, acme):
    roster_import(acting_user=dave, organisation=acme, file=csv(GOOD[1]))

    again = roster_import(acting_user=dave, organisation=acme, file=csv(GOOD[1]))

    assert errors(again) == [(2, "email")]
    assert "Already on" in again.errors[0].reason
    assert Person.objects.count() == 1


def test_imports_need_the_role(alice, acme):
    with pytest.raises(PermissionDenied):
        roster_import(acting_user=alice, organisation=acme, file=csv(*GOOD))


def ics(*events: str) -> str:
    body = "\n".join(
        f"BEGIN:VEVENT\nUID:{i}@example.org\nDTSTAMP:20231001T000000Z\n{e}\nEND:VEVENT"
        for i, e in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}\nEND:VCALENDAR\n".replace(
        "\n", "\r\n"
    )


def test_an_itinerary_adds_numbered_legs_to_one_person(dave):
    dana = person()
    content = ics(
        "DTSTART;VALUE=DATE:20231015\nDTEND;VALUE=DATE:20231020\nLOCATION:Hilton, Ankara, Turkey",
        "DTSTART:20231010T080000Z\nDTEND:20231015T060000Z\nX-WARDEN-COUNTRY:TR\n"
        "X-WARDEN-CITY:745044\nX-WARDEN-AREA:TR-34\nGEO:41.0;28.9",
    )

    report = itinerary_import(acting_user=dave, person=dana, file=content)

    assert report.ok, report.errors
    first, second = Trip.objects.order_by("leg")
    assert (first.leg, first.city_name, first.subdivision_id, first.latitude) == (
        1, "Istanbul", "TR-34", 41.0)  # fmt: skip
    assert (second.leg, second.city_name) == (2, "Ankara")
    assert second.departure is not None and second.departure.date().isoformat() == "2023-10-20"
    assert first.itinerary == second.itinerary is not None


def test_an_organisation_itinerary_finds_travellers_by_email(dave, acme):
    dana = person(organisation=acme)
    contact(dana, "email", "dana@example.org")
    content = ics(
        "ATTENDEE:mailto:DANA@example.org\nDTSTART;VALUE=DATE:20231015\n"
        "DURATION:P3D\nLOCATION:Istanbul, TR"
    )

    report = itinerary_import(acting_user=dave, organisation=acme, file=content)

    assert report.ok, report.errors
    assert Trip.objects.get().person == dana


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not a calendar", [(0, "")]),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2023-99\r\n", [(0, "")]),
        (ics("DTSTART;VALUE=DATE:20231015\nLOCATION:Istanbul, Turkey"), [(1, "DTEND")]),
        (
            ics(
                "DTSTART;VALUE=DATE:20231015\nDTEND;VALUE=DATE:20231016\nLOCATION:Gotham, Narnia",
                "DTEND;VALUE=DATE:20231016\nX-WARDEN-COUNTRY:TR",
            ),
            [(1, "LOCATION"), (2, "DTSTART")],
        ),
        (
            ics("DTSTART:20231015T000000Z\nDTEND:20231014T000000Z\nX-WARDEN-COUNTRY:TR"),
            [(1, "DTEND")],
        ),
        (
            ics(
                "DTSTART;VALUE=DATE:20231015\nDTEND;VALUE=DATE:20231016\nX-WARDEN-COUNTRY:TR\n"
                "X-WARDEN-AREA:IL-TA"
            ),
            [(1, "X-WARDEN-AREA")],
        ),
        ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", [(0, "VEVENT")]),
    ],
)
def test_broken_itineraries_import_nothing(dave, content, expected):
    report = itinerary_import(acting_user=dave, person=person(), file=content)

    assert errors(report) == expected
    assert not Trip.objects.exists()
