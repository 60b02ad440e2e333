from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from warden.audit.models import AuditEvent
from warden.ops import worker
from warden.people.models import ContactPoint, Person, Trip
from warden.people.retention import months_before, retention_purge
from warden.people.tests.helpers import contact, person, trip

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime(2025, 8, 31, tzinfo=UTC), 18) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2025, 1, 15, tzinfo=UTC), 1) == datetime(2024, 12, 15, tzinfo=UTC)


def test_it_deletes_people_18_months_after_their_last_departure():
    gone = person("Gone")
    contact(gone)
    trip(gone, arrival=date(2023, 10, 1), departure=date(2023, 11, 29))
    trip(gone, arrival=date(2023, 1, 1), departure=date(2023, 1, 5))
    recent = person("Recent")
    trip(recent, arrival=date(2023, 12, 1), departure=date(2024, 1, 5))
    resident = person("Resident")
    trip(resident, arrival=date(2015, 1, 1), departure=None, is_resident=True)

    assert retention_purge(now=NOW) == 1

    assert set(Person.objects.values_list("pk", flat=True)) == {recent.pk, resident.pk}
    assert not ContactPoint.objects.filter(person_id=gone.pk).exists()
    assert not Trip.objects.filter(person_id=gone.pk).exists()
    event = AuditEvent.objects.get(action="people.retention.purge")
    assert event.after is not None
    assert (event.after["people"], event.after["trips"], event.after["contact_points"]) == (1, 2, 1)
    assert retention_purge(now=NOW) == 0


def test_the_period_is_configurable(settings):
    someone = person()
    trip(someone, arrival=date(2025, 1, 1), departure=date(2025, 2, 1))

    settings.WARDEN_RETENTION_MONTHS = 3
    assert retention_purge(now=NOW) == 1


def test_people_without_trips_go_after_the_period_too():
    person()

    assert retention_purge(now=NOW) == 0
    assert retention_purge(now=datetime(2100, 1, 1, tzinfo=UTC)) == 1


def test_it_is_a_worker_step_that_says_whether_it_found_work():
    assert "people_retention_purge" in [step.name for step in worker.STEPS]
    assert worker.people_retention_purge() is False
    Person.objects.update(updated_at=datetime(2000, 1, 1, tzinfo=UTC))
    person()
    Person.objects.update(updated_at=datetime(2000, 1, 1, tzinfo=UTC))
    assert worker.people_retention_purge() is True
