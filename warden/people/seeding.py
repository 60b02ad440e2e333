"""A synthetic population, written fast: ``warden seed --people N``, the demo and the bench.

People are citizens abroad (mostly Hebrew and English speakers with Israeli mobile
numbers), with realistic names from Faker, reserved ``example.*`` email domains (so no
message can reach a real person), trips spread over countries by a plausible weight and
over each country's cities by population, about 1.5 trips a person (a second leg for half
of them) and a share of open-ended residents.

Rows are written in batches with the database's bulk path (SQLite ``executemany``,
PostgreSQL ``COPY``), not one ORM save at a time, and values are encrypted with the same
keys and purposes as ``EncryptedTextField``. Ids of people are reserved per batch, so the
registry may be in use meanwhile.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker

from warden.audit.services import record
from warden.geo.models import Country
from warden.geo.selectors import City, _cities
from warden.lib.bulk import bulk_insert, db_moment
from warden.people import crypto
from warden.people.contacts import Address
from warden.people.fields import purpose_of
from warden.people.models import OPEN_ENDED, ContactPoint, Person, Trip

BATCH = 20_000
# Where travellers go: relative weights; every other country gets DEFAULT_WEIGHT.
COUNTRY_WEIGHTS: dict[str, float] = {
    "US": 14, "TR": 10, "GB": 6, "FR": 6, "DE": 5, "IT": 5, "GR": 5, "CY": 4, "TH": 4,
    "ES": 3, "AE": 3, "RU": 3, "NL": 2, "UA": 2, "IN": 2, "CA": 2, "PT": 2, "GE": 1.5,
    "AU": 1, "AR": 1, "BR": 1, "MX": 1, "CZ": 1, "HU": 1, "PL": 1, "RO": 1, "BG": 1,
    "JP": 1, "CN": 1, "EG": 1, "JO": 1, "MA": 1, "ZA": 1, "AT": 1, "CH": 1, "BE": 1,
}  # fmt: skip
DEFAULT_WEIGHT = 0.05
# A few cities whose ISO 3166-2 subdivision is known (GeoNames admin1 codes differ from ISO).
CITY_SUBDIVISIONS = {745044: "TR-34", 323786: "TR-06", 311046: "TR-35", 323777: "TR-07"}
LANGUAGES = (("he", 0.7), ("en", 0.3))
RESIDENT_SHARE = 0.15
SECOND_LEG_SHARE = 0.5
EXERCISE_SHARE = 0.02
HOME_REGION = "IL"
EMAIL_DOMAINS = ("example.org", "example.com", "example.net", "mail.example.org")
NAME_POOL = 400


# (country, city, arrival, departure, resident)
Leg = tuple[str, City, datetime, datetime | None, bool]


@dataclass(frozen=True)
class SeedReport:
    people: int
    trips: int
    contact_points: int
    seconds: float


@dataclass
class Batch:
    people: list[tuple[Any, ...]]
    trips: list[tuple[Any, ...]]
    contacts: list[tuple[Any, ...]]


PERSON_COLUMNS = (
    "id",
    "kind",
    "given_name",
    "family_name",
    "language",
    "exercise_participant",
    "last_departure",
    "open_ended",
    "created_at",
    "updated_at",
    "organisation_id",
)
TRIP_COLUMNS = (
    "person_id",
    "country_id",
    "subdivision_id",
    "city_geonameid",
    "city_name",
    "latitude",
    "longitude",
    "arrival",
    "departure",
    "until",
    "is_resident",
    "companions",
    "itinerary",
    "leg",
    "created_at",
    "updated_at",
)
CONTACT_COLUMNS = (
    "person_id",
    "channel",
    "value",
    "lookup",
    "priority",
    "state",
    "verification_method",
    "verified_at",
    "consent_at",
    "created_at",
)


@functools.lru_cache(maxsize=4)
def _names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    fake = Faker(locale)
    fake.seed_instance(0)
    given = tuple(sorted({fake.first_name() for _ in range(NAME_POOL)}))
    family = tuple(sorted({fake.last_name() for _ in range(NAME_POOL)}))
    return given, family


@functools.lru_cache(maxsize=1)
def _ascii_names() -> tuple[str, ...]:
    given, family = _names("en_US")
    return tuple(n.lower().replace("'", "") for n in given + family)


@functools.lru_cache(maxsize=64)
def _mobile_template(region: str) -> tuple[str, int] | None:
    """(E.164 prefix, digits to vary) from the region's example mobile number."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return None
    e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
    vary = min(6, len(str(example.national_number)) - 3)
    return e164[:-vary], vary


class Population:
    """Draws synthetic people, trips and contacts; deterministic for a given seed."""

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        weights: dict[str, float] | None = None,
        present: bool = False,
    ):
        self.present = present
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data)
        self.now = now.replace(microsecond=0)
        codes = list(Country.objects.values_list("code", flat=True).order_by("code"))
        table = weights or COUNTRY_WEIGHTS
        default = DEFAULT_WEIGHT if weights is None else 0.0
        cities = _cities().by_country
        self.countries = [c for c in codes if cities.get(c)]
        self.country_cumulative = list(
            itertools.accumulate(table.get(c, default) for c in self.countries)
        )
        self._city_tables: dict[str, tuple[list[City], list[int]]] = {}

    def country(self) -> str:
        pick = self.rng.random() * self.country_cumulative[-1]
        return self.countries[bisect.bisect_right(self.country_cumulative, pick)]

    def city(self, country: str) -> City:
        if country not in self._city_tables:
            cities = sorted(
                (c for c, _ in _cities().by_country[country]), key=lambda c: -c.population
            )
            weights = list(itertools.accumulate(c.population for c in cities))
            self._city_tables[country] = (cities, weights)
        cities, weights = self._city_tables[country]
        pick = self.rng.random() * weights[-1]
        return cities[min(bisect.bisect_right(weights, pick), len(cities) - 1)]

    def language(self) -> str:
        return "he" if self.rng.random() < LANGUAGES[0][1] else "en"

    def name(self, language: str) -> tuple[str, str]:
        given, family = _names("he_IL" if language == "he" else "en_US")
        return self.rng.choice(given), self.rng.choice(family)

    def email(self) -> str:
        names = _ascii_names()
        local = f"{self.rng.choice(names)}.{self.rng.choice(names)}{self.rng.randrange(10000)}"
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def phone(self, region: str = HOME_REGION) -> str:
        template = _mobile_template(region) or _mobile_template(HOME_REGION)
        assert template is not None
        prefix, vary = template
        return prefix + str(self.rng.randrange(10**vary)).zfill(vary)

    def stays(self) -> list[Leg]:
        """One or two legs: (country, city, arrival, departure, resident)."""
        country = self.country()
        if self.rng.random() < RESIDENT_SHARE:
            arrival = self.now - timedelta(days=self.rng.randrange(30, 3650))
            return [(country, self.city(country), arrival, None, True)]
        if self.present:  # there now
            arrival = self.now - timedelta(hours=self.rng.randrange(1, 24 * 14))
        else:  # anywhere from three months ago to two months ahead
            arrival = self.now + timedelta(hours=self.rng.randrange(-24 * 90, 24 * 60))
        departure = max(arrival, self.now) + timedelta(hours=self.rng.randrange(24 * 2, 24 * 21))
        legs: list[Leg] = [(country, self.city(country), arrival, departure, False)]
        if self.rng.random() < SECOND_LEG_SHARE:
            other = self.country()
            later = departure + timedelta(hours=self.rng.randrange(24 * 3, 24 * 14))
            legs.append((other, self.city(other), departure, later, False))
        return legs


class _Encoder:
    """Encrypts and formats values the way the ORM would, for the vendor in use."""

    def __init__(self) -> None:
        self.ring = crypto.keyring()
        self.given = purpose_of(Person, "given_name")
        self.family = purpose_of(Person, "family_name")
        self.value = purpose_of(ContactPoint, "value")
        self.sqlite = connection.vendor == "sqlite"

    def moment(self, value: datetime | None) -> Any:
        return db_moment(value)

    def uuid(self, value: uuid.UUID | None) -> Any:
        return value.hex if value is not None and self.sqlite else value

    def encrypt(self, text: str, purpose: str) -> str:
        return self.ring.encrypt(text, purpose=purpose)


def _contact(enc: _Encoder, channel: str, text: str) -> Address:
    return Address(channel, text, crypto.blind_index(f"{channel}:{text}"))


def _person_batch(pop: Population, enc: _Encoder, ids: Sequence[int], org: int | None) -> Batch:
    batch = Batch([], [], [])
    now = enc.moment(pop.now)
    for pk in ids:
        language = pop.language()
        given, family = pop.name(language)
        legs = pop.stays()
        last = None if legs[-1][3] is None else legs[-1][3]
        batch.people.append(
            (
                pk,
                "employee" if org else "citizen",
                enc.encrypt(given, enc.given),
                enc.encrypt(family, enc.family),
                language,
                pop.rng.random() < EXERCISE_SHARE,
                enc.moment(last),
                last is None,
                now,
                now,
                org,
            )
        )
        itinerary = uuid.UUID(int=pop.rng.getrandbits(128)) if len(legs) > 1 else None
        for leg, (country, city, arrival, departure, resident) in enumerate(legs, start=1):
            batch.trips.append(
                (
                    pk,
                    country,
                    CITY_SUBDIVISIONS.get(city.geonameid),
                    city.geonameid,
                    city.name,
                    city.latitude,
                    city.longitude,
                    enc.moment(arrival),
                    enc.moment(departure),
                    enc.moment(departure or OPEN_ENDED),
                    resident,
                    pop.rng.choice((0, 0, 0, 1, 2)),
                    enc.uuid(itinerary),
                    leg,
                    now,
                    now,
                )
            )
        batch.contacts.extend(_contact_rows(pop, enc, pk, now))
    return batch


def _contact_rows(pop: Population, enc: _Encoder, pk: int, now: Any) -> Iterator[tuple[Any, ...]]:
    wanted = []
    if pop.rng.random() < 0.9:
        wanted.append(_contact(enc, "email", pop.email()))
    if pop.rng.random() < 0.8 or not wanted:
        wanted.append(_contact(enc, "sms", pop.phone()))
    for priority, address in enumerate(wanted, start=1):
        verified = pop.rng.random() < 0.9
        yield (
            pk,
            address.channel,
            enc.encrypt(address.value, enc.value),
            address.lookup,
            priority,
            "verified" if verified else "pending",
            "synthetic" if verified else "",
            now if verified else None,
            now,
            now,
        )


def _reserve_ids(count: int) -> list[int]:
    """``count`` fresh person ids (the caller's transaction holds SQLite's write lock)."""
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


def _write(batch: Batch) -> None:
    bulk_insert(Person._meta.db_table, PERSON_COLUMNS, batch.people)
    bulk_insert(Trip._meta.db_table, TRIP_COLUMNS, batch.trips)
    bulk_insert(ContactPoint._meta.db_table, CONTACT_COLUMNS, batch.contacts)


def seed_people(
    *,
    count: int,
    seed: int = 0,
    now: datetime | None = None,
    batch_size: int = BATCH,
    organisation: int | None = None,
    weights: dict[str, float] | None = None,
    present: bool = False,
    progress: Callable[[int], object] | None = None,
) -> SeedReport:
    """Create ``count`` synthetic people with their trips and contact points.

    ``weights`` replaces ``COUNTRY_WEIGHTS``, and countries it leaves out get none (e.g.
    ``{"TR": 1}``: everyone in Turkey); with ``present`` every traveller's first leg covers
    ``now``.

    One transaction per batch; ``progress`` is called with the number of people written
    by each batch. One audit event records the run (counts only).
    """
    started = time.monotonic()
    pop = Population(seed=seed, now=now or timezone.now(), weights=weights, present=present)
    enc = _Encoder()
    totals = [0, 0, 0]
    for done in range(0, count, batch_size):
        size = min(batch_size, count - done)
        with transaction.atomic():
            batch = _person_batch(pop, enc, _reserve_ids(size), organisation)
            _write(batch)
        for index, rows in enumerate((batch.people, batch.trips, batch.contacts)):
            totals[index] += len(rows)
        if progress is not None:
            progress(size)
    report = SeedReport(totals[0], totals[1], totals[2], time.monotonic() - started)
    record(
        actor=None,
        action="people.seed",
        summary="synthetic population",
        after={
            "people": report.people,
            "trips": report.trips,
            "contact_points": report.contact_points,
        },
    )
    return report
