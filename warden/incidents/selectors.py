"""Reads for the console: incidents with filters, map points, claims side by side, proposals."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from warden.audit.models import AuditEvent
from warden.incidents.models import Claim, Feed, Incident, IncidentLink, Proposal


@dataclass(frozen=True)
class IncidentFilters:
    country: str = ""
    event_type: str = ""
    verification: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""
    within_km: float | None = None  # of the nearest post


def incidents_list(filters: IncidentFilters) -> QuerySet[Incident]:
    qs = Incident.objects.filter(merged_into__isnull=True).select_related("country", "nearest_post")
    if filters.country:
        qs = qs.filter(country_id=filters.country.upper())
    if filters.event_type:
        qs = qs.filter(event_type=filters.event_type)
    if filters.verification:
        qs = qs.filter(verification=filters.verification)
    if filters.since:
        qs = qs.filter(occurred_on__gte=filters.since)
    if filters.until:
        qs = qs.filter(occurred_on__lte=filters.until)
    if filters.text:
        qs = qs.filter(Q(title__icontains=filters.text) | Q(city__icontains=filters.text))
    if filters.within_km is not None:
        qs = qs.filter(nearest_post_km__lte=filters.within_km)
    return qs.annotate(claim_count=Count("claims", distinct=True)).order_by("-occurred_on", "-id")


def map_points(incidents: QuerySet[Incident]) -> list[dict[str, Any]]:
    """Incidents with a point, aggregated by place (rounded to about a kilometre)."""
    groups: dict[tuple[float, float], list[Incident]] = defaultdict(list)
    for incident in incidents.exclude(latitude__isnull=True).exclude(longitude__isnull=True):
        assert incident.latitude is not None and incident.longitude is not None
        groups[(round(incident.latitude, 2), round(incident.longitude, 2))].append(incident)
    return [
        {
            "lat": lat,
            "lon": lon,
            "count": len(items),
            "label": items[0].city or items[0].country.local_name(),
            "incidents": [
                {
                    "id": i.pk,
                    "title": i.title,
                    "date": i.occurred_on.isoformat(),
                    "type": i.get_event_type_display(),
                }
                for i in items[:10]
            ],
        }
        for (lat, lon), items in sorted(groups.items())
    ]


def claims_by_subject(incident: Incident) -> list[tuple[str, list[Claim]]]:
    """Claims grouped by the fact they are about, so competing claims sit side by side."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in incident.claims.select_related("source").order_by("subject", "id"):
        groups[claim.subject].append(claim)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


def incident_events(incident: Incident) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=incident._meta.label_lower, object_id=str(incident.pk)
    ).order_by("id")


def proposals_pending() -> QuerySet[Proposal]:
    return Proposal.objects.filter(status=Proposal.Status.PENDING).select_related(
        "source", "source__feed"
    )


def incidents_citing_reference(reference: str) -> QuerySet[IncidentLink]:
    return IncidentLink.objects.filter(reference=reference).select_related("incident")


def citing(*, edition_id: int | None = None, statement_id: int | None = None) -> QuerySet[Incident]:
    """The incidents an edition or a statement cites (the way back from a link)."""
    links = IncidentLink.objects.all()
    if edition_id is not None:
        links = links.filter(edition_id=edition_id)
    if statement_id is not None:
        links = links.filter(statement_id=statement_id)
    return Incident.objects.filter(pk__in=links.values("incident_id")).order_by("-occurred_on")


def feeds_overview() -> QuerySet[Feed]:
    return Feed.objects.annotate(source_count=Count("sources")).order_by("name")
