from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warden.advisories.models import Edition
from warden.geo.geometry import area_contains
from warden.geo.models import Country, CustomArea, Subdivision
from warden.people import audience as engine
from warden.people.models import OPEN_ENDED, ContactPoint, Person, Trip
from warden.people.selectors import audience, audience_breakdown, audience_count
from warden.people.tests.helpers import contact, person, trip, verified
from warden.test import publish

pytestmark = pytest.mark.django_db

BASE = datetime(2023, 10, 1, tzinfo=UTC)
ISTANBUL = (41.01, 28.95)
POINTS = [None, ISTANBUL, (41.10, 29.05), (41.30, 28.50), (39.93, 32.86), (41.5, 29.6)]
PLACES = [("TR", "TR-34"), ("TR", "TR-06"), ("TR", None), ("IL", None), ("IL", "IL-TA")]


def circle() -> CustomArea:
    return CustomArea.objects.create(
        code="ISTANBUL-30KM",
        country_id="TR",
        name="Istanbul 30 km",
        kind="circle",
        center_lat=ISTANBUL[0],
        center_lon=ISTANBUL[1],
        radius_km=30,
    )


def polygon() -> CustomArea:
    ring = [[28.6, 40.9], [29.2, 40.9], [29.2, 41.2], [28.6, 41.2], [28.6, 40.9]]
    return CustomArea.objects.create(
        code="BOSPHORUS-BOX",
        country_id="TR",
        name="Bosphorus",
        kind="polygon",
        polygon={"type": "Polygon", "coordinates": [ring]},
    )


@dataclass(frozen=True)
class Stay:
    place: tuple[str, str | None]
    point: tuple[float, float] | None
    arrival: int  # hours after BASE
    length: int | None  # hours; None: open-ended


stays = st.builds(
    Stay,
    place=st.sampled_from(PLACES),
    point=st.sampled_from(POINTS),
    arrival=st.integers(0, 24 * 20),
    length=st.one_of(st.none(), st.integers(0, 24 * 10)),
)
people_st = st.lists(
    st.tuples(
        st.booleans(),
        st.sampled_from(["citizen", "employee"]),
        st.lists(stays, min_size=0, max_size=3),
    ),
    min_size=1,
    max_size=12,
)


def load(population) -> dict[int, tuple[bool, str, list[Stay]]]:
    people = Person.objects.bulk_create(
        [Person(exercise_participant=ex, kind=kind) for ex, kind, _ in population]
    )
    trips, points = [], []
    for someone, (_ex, _kind, its) in zip(people, population, strict=True):
        points.append(
            ContactPoint(
                person=someone,
                channel="email",
                value="x@example.org",
                lookup=f"{someone.pk}",
                state="verified",
                verified_at=BASE,
                consent_at=BASE,
            )
        )
        for stay in its:
            arrival = BASE + timedelta(hours=stay.arrival)
            departure = None if stay.length is None else arrival + timedelta(hours=stay.length)
            lat, lon = stay.point or (None, None)
            trips.append(
                Trip(
                    person=someone,
                    country_id=stay.place[0],
                    subdivision_id=stay.place[1],
                    latitude=lat,
                    longitude=lon,
                    arrival=arrival,
                    departure=departure,
                    until=departure or OPEN_ENDED,
                )
            )
    Trip.objects.bulk_create(trips)
    ContactPoint.objects.bulk_create(points)
    return {p.pk: row for p, row in zip(people, population, strict=True)}


def expected(world, area, at: datetime, exercise: bool) -> set[int]:
    found = set()
    for pk, (ex, _kind, its) in world.items():
        if exercise and not ex:
            continue
        for stay in its:
            arrival = BASE + timedelta(hours=stay.arrival)
            until = OPEN_ENDED if stay.length is None else arrival + timedelta(hours=stay.length)
            if arrival <= at < until and in_area(area, stay):
                found.add(pk)
    return found


def in_area(area, stay: Stay) -> bool:
    country, sub = stay.place
    if isinstance(area, Country):
        return country == area.pk
    if isinstance(area, Subdivision):
        return sub == area.pk
    return (
        country == area.country_id and stay.point is not None and area_contains(area, *stay.point)
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(population=people_st, hour=st.integers(0, 24 * 32), exercise=st.booleans())
def test_the_audience_matches_a_brute_force_model(db, population, hour, exercise):
    at = BASE + timedelta(hours=hour)
    with transaction.atomic():
        areas = [
            Country.objects.get(pk="TR"),
            Country.objects.get(pk="IL"),
            Subdivision.objects.get(pk="TR-34"),
            circle(),
            polygon(),
        ]
        world = load(population)
        for area in areas:
            want = expected(world, area, at, exercise)
            query = engine.Audience.of(area, at, exercise=exercise)  # type: ignore[arg-type]
            streamed = [c.person_id for c in engine.contacts(query, page=3)]
            assert engine.count(query) == len(want), area
            assert streamed == sorted(want), area
            assert engine.breakdown(query).total == len(want)
        transaction.set_rollback(True)


def test_arrival_counts_and_departure_day_counts_whole():
    dana = person()
    trip(dana, arrival=datetime(2023, 10, 10, 12, tzinfo=UTC), departure=None)
    noa = person("Noa")
    trip(noa, departure=datetime(2023, 10, 20).date())
    turkey = Country.objects.get(pk="TR")

    def count(at: datetime) -> int:
        return audience_count(turkey, at)

    assert count(datetime(2023, 10, 10, 11, 59, tzinfo=UTC)) == 1
    assert count(datetime(2023, 10, 10, 12, tzinfo=UTC)) == 2
    assert count(datetime(2023, 10, 20, 23, 59, tzinfo=UTC)) == 2
    assert count(datetime(2023, 10, 21, tzinfo=UTC)) == 1
    assert count(datetime(2030, 1, 1, tzinfo=UTC)) == 1


def test_filters_kinds_organisations_and_exercise(cast):
    from warden.people.services import organisation_create

    acme = organisation_create(acting_user=cast["frank"], name="Acme", kind="company")
    at = datetime(2023, 10, 15, tzinfo=UTC)
    people: list[tuple[str, dict]] = [
        ("a", {}),
        ("b", {"kind": "employee", "organisation": acme}),
        ("c", {"exercise_participant": True}),
    ]
    for name, extra in people:
        trip(person(name, **extra))
    turkey = Country.objects.get(pk="TR")

    assert audience_count(turkey, at) == 3
    assert audience_count(turkey, at, kinds=["employee"]) == 1
    assert audience_count(turkey, at, organisation=acme) == 1
    assert audience_count(turkey, at, exercise=True) == 1


def test_the_stream_gives_verified_contacts_in_preference_order_with_values_on_request():
    dana = person(language="he")
    trip(dana, departure=None)
    phone = verified(dana, "sms", "+972 54 321 1234")
    email = verified(dana)
    contact(dana, "webhook", "https://hooks.example.org/x")  # pending: left out
    turkey = Country.objects.get(pk="TR")

    rows = list(audience(turkey))
    assert [(r.contact_point_id, r.channel, r.language, r.value) for r in rows] == [
        (phone.pk, "sms", "he", None),
        (email.pk, "email", "he", None),
    ]
    assert [r.value for r in audience(turkey, with_values=True, channels=["email"])] == [
        "dana.levi@example.org"
    ]
    assert len(list(audience(turkey, verified_only=False))) == 3


def test_the_breakdown_counts_people_by_channel_and_language():
    for name, language, channels in [
        ("a", "he", ["email", "sms"]),
        ("b", "en", ["email"]),
        ("c", "en", []),
    ]:
        someone = person(name, language=language)
        trip(someone, departure=None)
        for channel in channels:
            verified(someone, channel, "+972 54 321 1234" if channel == "sms" else "a@b.org")

    result = audience_breakdown(Country.objects.get(pk="TR"))

    assert result.total == 3
    assert result.by_channel == {"email": 2, "sms": 1}
    assert result.by_language == {"he": 1, "en": 2}
    assert result.unreachable == 1


def test_the_approval_screen_counts_the_editions_country_now(cast, authority, turkey):
    from warden.advisories.selectors import notification_audience_count

    trip(person(), departure=None)
    trip(person("Ex", exercise_participant=True), departure=None)
    trip(person("Gone"))  # 2023: not there now
    edition = publish(turkey, 4, author=cast["alice"], approver=cast["bob"])

    assert notification_audience_count(edition) == 2
    exercise = Edition(country=edition.country, is_exercise=True)
    assert audience_count(exercise) == 1
