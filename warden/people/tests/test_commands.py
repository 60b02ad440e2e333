from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from warden.audit.models import AuditEvent
from warden.people.models import ContactPoint, Person, Trip
from warden.people.seeding import seed_people
from warden.people.tests.helpers import person, trip, verified

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_audience_prints_the_count_and_the_breakdown():
    someone = person(language="he")
    trip(someone, departure=None, city_geonameid=745044, subdivision="TR-34")
    verified(someone)

    assert run("audience", "TR").strip() == "1"
    assert run("audience", "tur", "--at", "2020-01-01").strip() == "0"
    assert run("audience", "TR-34", "--at", "2023-10-12T10:00+03:00").strip() == "1"
    breakdown = run("audience", "TR", "--breakdown")
    assert "people: 1" in breakdown
    assert "channel email: 1" in breakdown
    assert "language he: 1" in breakdown
    with pytest.raises(CommandError, match="No country or area"):
        run("audience", "XX")
    with pytest.raises(CommandError, match="ISO time"):
        run("audience", "TR", "--at", "yesterday")


def test_seed_writes_people_that_read_back_through_the_orm():
    out = run("seed", "--people", "300", "--seed", "7", "--no-progress", "--batch", "120")

    assert "Created 300 people" in out
    assert Person.objects.count() == 300
    assert 350 <= Trip.objects.count() <= 600
    someone = Person.objects.order_by("?").first()
    assert someone is not None and someone.given_name and someone.family_name
    for point in ContactPoint.objects.filter(channel="sms")[:50]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(point.value))
    for point in ContactPoint.objects.filter(channel="email")[:50]:
        assert point.value.split("@")[1].startswith(("example.", "mail.example."))
    assert (AuditEvent.objects.get(action="people.seed").after or {})["people"] == 300


def test_seeding_is_deterministic_and_can_pin_a_country():
    now = datetime(2024, 5, 1, tzinfo=UTC)
    seed_people(count=50, seed=1, now=now, weights={"TR": 1}, present=True)

    trips = Trip.objects.filter(leg=1)
    assert set(trips.values_list("country_id", flat=True)) == {"TR"}
    assert all(t.arrival <= now < t.until for t in trips)
    assert run("audience", "TR", "--at", now.isoformat()).strip() == "50"


def test_seed_needs_a_positive_count():
    with pytest.raises(CommandError):
        run("seed", "--people", "0")
