"""Who is in an area at a time, and how to reach them: the audience of an alert.

A person is *present* in an area at ``at`` when one of their trips covers ``at``:
``arrival <= at < until``, where ``until`` is the departure (a departure date counts the whole
day) or, for open-ended stays such as residents, the far future. The areas:

- a ``Country``: trips in the country;
- a ``Subdivision``: trips given in it or in one of its own subdivisions;
- a ``CustomArea`` (polygon or circle): trips of the area's country whose point, or else
  city, lies inside it (edges count). Trips with neither are not matched: their place in
  the country is unknown.

Exercise messages reach only exercise participants; real ones reach everyone present.

Speed: a country count is one ``COUNT(DISTINCT person_id)`` over the covering index
``trip_presence (country, until, arrival, person)``; streaming walks the index
``trip_keyset (country, person, ...)`` in person-id order, one page at a time, so memory stays
flat and each trip is read once. Custom areas read the trips of their bounding box and test
the points with shapely (polygons) or the haversine formula (circles), in chunks.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import starmap
from typing import Any, NamedTuple

import numpy as np
import shapely
from django.db.models import Count, QuerySet
from django.utils import timezone

from warden.geo.geometry import EARTH_RADIUS_KM
from warden.geo.models import Country, CustomArea, Subdivision
from warden.people.models import ContactPoint, Organisation, Person, Trip

Area = Country | Subdivision | CustomArea
PAGE = 2000
ID_CHUNK = 5000
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


@dataclass(frozen=True)
class Audience:
    """Whom to count or reach: an area at a time, with the person filters."""

    area: Area
    at: datetime
    kinds: tuple[str, ...] | None = None
    organisation: Organisation | int | None = None
    exercise: bool = False

    @classmethod
    def of(
        cls,
        area: Area,
        at: datetime | None = None,
        *,
        kinds: Iterable[str] | None = None,
        organisation: Organisation | int | None = None,
        exercise: bool = False,
    ) -> Audience:
        return cls(
            area, at or timezone.now(), tuple(kinds) if kinds else None, organisation, exercise
        )

    @property
    def is_custom(self) -> bool:
        return isinstance(self.area, CustomArea)


class AudienceContact(NamedTuple):
    """One contact point of a present person, in the person's order of preference.

    ``value`` is decrypted only when asked for (``audience(..., with_values=True)``). A
    named tuple: streams of millions of them stay cheap.
    """

    contact_point_id: int
    person_id: int
    channel: str
    language: str
    priority: int
    value: str | None = None


@dataclass(frozen=True)
class Breakdown:
    """People present, by the channels they can be reached on and by language."""

    total: int
    by_channel: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    unreachable: int = 0  # present, with no verified contact point


def present_trips(audience: Audience) -> QuerySet[Trip]:
    """Trips covering ``audience.at`` in its area (custom areas: in its bounding box)."""
    trips = Trip.objects.filter(until__gt=audience.at, arrival__lte=audience.at)
    trips = _in_area(trips, audience.area)
    if audience.exercise:
        trips = trips.filter(person__exercise_participant=True)
    if audience.kinds:
        trips = trips.filter(person__kind__in=audience.kinds)
    if audience.organisation is not None:
        trips = trips.filter(person__organisation=audience.organisation)
    return trips


def _in_area(trips: QuerySet[Trip], area: Area) -> QuerySet[Trip]:
    if isinstance(area, Country):
        return trips.filter(country_id=area.pk)
    if isinstance(area, Subdivision):
        return trips.filter(subdivision_id__in=subdivision_codes(area))
    south, west, north, east = bounding_box(area)
    return trips.filter(
        country_id=area.country_id,
        latitude__gte=south,
        latitude__lte=north,
        longitude__gte=west,
        longitude__lte=east,
    )


def subdivision_codes(subdivision: Subdivision) -> list[str]:
    """The subdivision's code and those of every subdivision below it."""
    codes, frontier = [subdivision.pk], [subdivision.pk]
    while frontier:
        frontier = list(
            Subdivision.objects.filter(parent_id__in=frontier).values_list("code", flat=True)
        )
        codes.extend(frontier)
    return codes


def bounding_box(area: CustomArea) -> tuple[float, float, float, float]:
    """(south, west, north, east) around a custom area, a little generous for circles."""
    if area.kind == CustomArea.Kind.POLYGON and area.polygon:
        west, south, east, north = _shape(area).bounds
        return south, west, north, east
    lat, lon, radius = area.center_lat or 0.0, area.center_lon or 0.0, area.radius_km or 0.0
    d_lat = radius / KM_PER_DEGREE * 1.01
    cos = math.cos(math.radians(min(89.9, abs(lat) + d_lat)))
    d_lon = min(180.0, d_lat / max(cos, 1e-6))
    return lat - d_lat, lon - d_lon, lat + d_lat, lon + d_lon


def _shape(area: CustomArea) -> shapely.Polygon:
    rings = area.polygon["coordinates"] if area.polygon else [[]]
    return shapely.Polygon(rings[0], rings[1:])


def inside(area: CustomArea, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Which of the points lie in the area (on the edge counts), as a boolean array."""
    if area.kind == CustomArea.Kind.POLYGON:
        shape = _shape(area)
        shapely.prepare(shape)
        return np.asarray(shapely.intersects_xy(shape, lons, lats))
    lat0, lon0 = math.radians(area.center_lat or 0.0), math.radians(area.center_lon or 0.0)
    phi, lam = np.radians(lats), np.radians(lons)
    h = np.sin((phi - lat0) / 2) ** 2 + math.cos(lat0) * np.cos(phi) * np.sin((lam - lon0) / 2) ** 2
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return np.asarray(distance <= (area.radius_km or 0.0))


def custom_area_people(audience: Audience) -> list[int]:
    """Sorted ids of the people present in a custom area."""
    assert isinstance(audience.area, CustomArea)
    rows = present_trips(audience).values_list("person_id", "latitude", "longitude")
    found: set[int] = set()
    chunk: list[tuple[int, float | None, float | None]] = []
    for row in rows.iterator(chunk_size=ID_CHUNK):
        chunk.append(row)
        if len(chunk) == ID_CHUNK:
            found.update(_inside_chunk(audience.area, chunk))
            chunk = []
    found.update(_inside_chunk(audience.area, chunk))
    return sorted(found)


def _inside_chunk(
    area: CustomArea, chunk: Sequence[tuple[int, float | None, float | None]]
) -> list[int]:
    if not chunk:
        return []
    ids, lats, lons = (np.asarray(column) for column in zip(*chunk, strict=True))
    return [int(pk) for pk in ids[inside(area, lats.astype(float), lons.astype(float))]]


def count(audience: Audience) -> int:
    """How many distinct people are present."""
    if audience.is_custom:
        return len(custom_area_people(audience))
    result = present_trips(audience).aggregate(n=Count("person_id", distinct=True))
    return int(result["n"])


def person_id_pages(audience: Audience, *, page: int = PAGE, after: int = 0) -> Iterator[list[int]]:
    """The present people's ids above ``after`` in ascending pages (keyset pagination)."""
    if audience.is_custom:
        ids = [pk for pk in custom_area_people(audience) if pk > after]
        for start in range(0, len(ids), page):
            yield ids[start : start + page]
        return
    trips = present_trips(audience).values_list("person_id", flat=True)
    last = after
    while True:
        ids = list(trips.filter(person_id__gt=last).order_by("person_id").distinct()[:page])
        if not ids:
            return
        yield ids
        last = ids[-1]


def contacts(
    audience: Audience,
    *,
    channels: Iterable[str] | None = None,
    verified_only: bool = True,
    with_values: bool = False,
    page: int = PAGE,
) -> Iterator[AudienceContact]:
    """The contact points of the present people, person by person in their order."""
    points = ContactPoint.objects.all()
    if verified_only:
        points = points.filter(state=ContactPoint.State.VERIFIED)
    if channels:
        points = points.filter(channel__in=tuple(channels))
    columns = ["id", "person_id", "channel", "person__language", "priority"]
    columns += ["value"] if with_values else []
    for ids in person_id_pages(audience, page=page):
        yield from starmap(AudienceContact, _page(points, ids, columns))


def _page(
    points: QuerySet[ContactPoint], ids: list[int], columns: list[str]
) -> Iterable[tuple[Any, ...]]:
    """One page's contact points, found through the person index for exactly these ids."""
    page = points.filter(person_id__gte=ids[0], person_id__lte=ids[-1], person_id__any_of=ids)
    return page.order_by("person_id", "priority", "id").values_list(*columns)


def breakdown(audience: Audience) -> Breakdown:
    """The count, and the people by verified channel and by preferred language."""
    languages: Counter[str] = Counter()
    channels: Counter[str] = Counter()
    total = reachable = 0
    for ids in person_id_pages(audience, page=ID_CHUNK):
        total += len(ids)
        people = Person.objects.filter(id__in=ids)
        languages.update(dict(people.values_list("language").annotate(n=Count("id"))))
        verified = ContactPoint.objects.filter(person_id__in=ids, state=ContactPoint.State.VERIFIED)
        channels.update(
            dict(verified.values_list("channel").annotate(n=Count("person_id", distinct=True)))
        )
        reachable += verified.values("person_id").distinct().count()
    return Breakdown(total, dict(channels), dict(languages), total - reachable)
