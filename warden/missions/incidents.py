"""Incidents near a post, as the tripwires need them.

The incidents app is read through this one function, imported lazily, so that missions
does not depend on it at import time (incidents refers to posts, too). Tests and other
sources can pass any function with the same shape to the tripwire evaluation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple

from django.apps import apps
from django.db import connection

from warden.geo.geometry import haversine_km

KM_PER_DEGREE = 111.2


class IncidentPoint(NamedTuple):
    event_type: str
    occurred_at: datetime
    latitude: float
    longitude: float
    id: int


# (since, until, latitude, longitude, radius_km) -> incidents in that window and box
IncidentSource = Callable[[datetime, datetime, float, float, float], list[IncidentPoint]]


def _when(day: object, moment: time | None) -> datetime:
    """An incident known only by its day counts as late as that day goes: a tripwire should
    rather fire early than miss it."""
    clock = moment or time(23, 59, 59)
    return datetime.combine(day, clock, tzinfo=UTC)  # type: ignore[arg-type]


def incidents_near(
    since: datetime, until: datetime, latitude: float, longitude: float, radius_km: float
) -> list[IncidentPoint]:
    """Incidents recorded in Warden within ``radius_km`` of a point between two moments.

    Merged duplicates and incidents found false are left out. Returns nothing when the
    incidents app is not installed or its table does not exist yet.
    """
    if not apps.is_installed("warden.incidents"):
        return []
    incident = apps.get_model("incidents", "Incident")
    if incident._meta.db_table not in connection.introspection.table_names():
        return []
    lat_span = radius_km / KM_PER_DEGREE
    lon_span = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    rows = incident.objects.filter(
        occurred_on__gte=since.date() - timedelta(days=1),
        occurred_on__lte=until.date(),
        latitude__range=(latitude - lat_span, latitude + lat_span),
        longitude__range=(longitude - lon_span, longitude + lon_span),
        merged_into__isnull=True,
    ).exclude(verification="false")
    found = rows.values_list(
        "id", "event_type", "sub_event_type", "occurred_on", "occurred_time", "latitude",
        "longitude",
    )  # fmt: skip
    points = []
    for pk, event_type, sub_type, day, moment, lat, lon in found:
        if lat is None or lon is None:
            continue
        for kind in filter(None, (event_type, sub_type)):
            points.append(IncidentPoint(kind, _when(day, moment), lat, lon, pk))
    return [p for p in points if since <= p.occurred_at <= until]


def matching(
    points: list[IncidentPoint],
    *,
    event_type: str,
    latitude: float,
    longitude: float,
    radius_km: float,
    since: datetime,
    until: datetime,
) -> list[tuple[IncidentPoint, float]]:
    """The incidents of ``event_type`` within the radius and window, with their distance."""
    found: dict[int, tuple[IncidentPoint, float]] = {}
    for point in points:
        if point.event_type != event_type or not since <= point.occurred_at <= until:
            continue
        km = haversine_km(latitude, longitude, point.latitude, point.longitude)
        if km <= radius_km:
            found[point.id] = (point, km)
    return sorted(found.values(), key=lambda pair: pair[0].id)
