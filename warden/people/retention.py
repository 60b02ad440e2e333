"""Retention: people are deleted, with their contact points and trips, a set time after
their last departure (``RETENTION_MONTHS``, default 18).

People with an open-ended stay (residents) are kept while it lasts. People without any
trip are kept for the same time after their record last changed. The worker runs
``retention_purge`` (step ``people_retention_purge``), which deletes at most ``limit``
people per call and writes one audit event with the counts only.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from warden.audit.services import record
from warden.people.models import ContactPoint, Person, Trip

PURGE_LIMIT = 1000


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to month end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: datetime | None = None) -> datetime:
    return months_before(now or timezone.now(), settings.WARDEN_RETENTION_MONTHS)


def people_due(cutoff: datetime) -> QuerySet[Person]:
    """People whose data is past the retention period at ``cutoff``."""
    return Person.objects.filter(open_ended=False).filter(
        Q(last_departure__lt=cutoff) | Q(last_departure__isnull=True, updated_at__lt=cutoff)
    )


@transaction.atomic
def retention_purge(*, now: datetime | None = None, limit: int = PURGE_LIMIT) -> int:
    """Delete up to ``limit`` people past retention; returns how many."""
    cutoff = retention_cutoff(now)
    ids = list(people_due(cutoff).order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return 0
    _, contacts = ContactPoint.objects.filter(person_id__in=ids).delete()
    _, trips = Trip.objects.filter(person_id__in=ids).delete()
    Person.objects.filter(id__in=ids).delete()
    record(
        actor=None,
        action="people.retention.purge",
        summary=f"deleted {len(ids)} people past the retention period",
        after={
            "people": len(ids),
            "contact_points": contacts.get(ContactPoint._meta.label, 0),
            "trips": trips.get(Trip._meta.label, 0),
            "cutoff": cutoff.isoformat(),
            "months": settings.WARDEN_RETENTION_MONTHS,
        },
    )
    return len(ids)


def retention_interval() -> float:
    """``WORKER_RETENTION_INTERVAL``: seconds between two runs of the purge step."""
    return float(settings.WARDEN_WORKER_RETENTION_INTERVAL)
