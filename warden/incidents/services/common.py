"""Shared by the incident services: snapshots for history and audit, the nearest post."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Max

from warden.geo.geometry import haversine_km
from warden.incidents.models import Incident, IncidentRevision
from warden.incidents.taxonomy import COUNT_KINDS

SCALAR_FIELDS = (
    "title",
    "event_type",
    "sub_event_type",
    "occurred_on",
    "occurred_time",
    "time_precision",
    "country_id",
    "subdivision_id",
    "city",
    "geonameid",
    "latitude",
    "longitude",
    "place_precision",
    "nearest_post_id",
    "nearest_post_km",
    "actors",
    "notes",
    "verification",
    "merged_into_id",
)
COUNT_FIELDS = tuple(f"{kind}_{part}" for kind in COUNT_KINDS for part in ("low", "best", "high"))


def snapshot(incident: Incident) -> dict[str, Any]:
    """The incident's fields as JSON-ready values (no personal data)."""
    values: dict[str, Any] = {}
    for name in (*SCALAR_FIELDS, *COUNT_FIELDS):
        value = getattr(incident, name)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, float):
            value = round(value, 5)
        values[name] = value
    if incident.pk:
        values["sources"] = sorted(incident.sources.values_list("pk", flat=True))
    return values


def revise(
    incident: Incident,
    *,
    action: str,
    acting_user: User | None,
    before: dict[str, Any] | None,
    note: str = "",
) -> IncidentRevision:
    """Append one revision (the edit history) with the state before and after."""
    last = incident.revisions.aggregate(last=Max("number"))["last"] or 0
    return IncidentRevision.objects.create(
        incident=incident,
        number=last + 1,
        action=action,
        changed_by=acting_user,
        before=before,
        after=snapshot(incident),
        note=note[:500],
    )


def place_nearest_post(incident: Incident) -> None:
    """Set the nearest post and its distance from the incident's point (or clear them)."""
    from warden.missions.models import Post

    incident.nearest_post, incident.nearest_post_km = None, None
    if incident.latitude is None or incident.longitude is None:
        return
    lat, lon = incident.latitude, incident.longitude
    best: tuple[float, Post] | None = None
    for post in Post.objects.all():
        distance = haversine_km(lat, lon, post.latitude, post.longitude)
        if best is None or distance < best[0]:
            best = (distance, post)
    if best is not None:
        incident.nearest_post_km = round(best[0], 1)
        incident.nearest_post = best[1]


def content_hash(text: str) -> str:
    """SHA-256 of the text with case and spacing folded."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode()).hexdigest()
