from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from warden.people.models import Organisation, Person, Trip
from warden.people.tests.helpers import contact, person
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db

HEADER = "given_name,family_name,email,phone,country,arrival,departure"


@pytest.fixture
def acme() -> Organisation:
    return Organisation.objects.create(name="Acme", kind="company")


def upload(name: str, content: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode(), content_type="text/plain")


def test_a_good_roster_is_imported(cast, acme):
    client = verified_client(cast["dave"])
    content = f"{HEADER}\nDana,Levi,dana@example.org,,TR,2030-10-01,2030-10-10\n"

    response = client.post(
        reverse("console:people_import_roster"),
        {"organisation": acme.pk, "file": upload("roster.csv", content)},
    )

    assert response.status_code == 200
    assert "Imported: 1 people, 1 trips, 1 contact points." in response.content.decode()
    assert Person.objects.get().organisation == acme


def test_a_malformed_roster_shows_each_problem_and_imports_nothing(cast, acme):
    client = verified_client(cast["dave"])
    content = (
        f"{HEADER}\n"
        "Dana,Levi,dana@example.org,,TR,2030-10-01,2030-10-10\n"
        "Noa,Cohen,not-an-email,,TR,2030-10-01,2030-10-10\n"
        "Avi,Mizrahi,avi@example.org,,XX,2030-10-01,\n"
        "Tal,Peretz,tal@example.org,,TR,someday,\n"
    )

    response = client.post(
        reverse("console:people_import_roster"),
        {"organisation": acme.pk, "file": upload("roster.csv", content)},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "<td>3</td><td>email</td>" in page
    assert "<td>4</td><td>country</td>" in page and "<td>5</td><td>arrival</td>" in page
    assert "not-an-email" not in page
    assert not Person.objects.exists()


def test_an_itinerary_is_imported_for_the_organisation_s_people(cast, acme):
    client = verified_client(cast["dave"])
    dana = person(organisation=acme)
    contact(dana, "email", "dana@example.org")
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20231001T000000Z\r\nATTENDEE:mailto:dana@example.org\r\n"
        "DTSTART;VALUE=DATE:20301015\r\nDTEND;VALUE=DATE:20301020\r\n"
        "LOCATION:Istanbul, TR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    response = client.post(
        reverse("console:people_import_itinerary"),
        {"organisation": acme.pk, "file": upload("trip.ics", ics)},
    )

    assert response.status_code == 200, response.content.decode()
    assert Trip.objects.get().person == dana


def test_a_broken_itinerary_imports_nothing(cast, acme):
    client = verified_client(cast["dave"])

    response = client.post(
        reverse("console:people_import_itinerary"),
        {"organisation": acme.pk, "file": upload("trip.ics", "not a calendar")},
    )

    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert not Trip.objects.exists()


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "mallory"])
def test_imports_need_the_role(cast, name):
    client = verified_client(cast[name])
    response = client.get(reverse("console:people_import_roster"))
    assert response.status_code == 403
