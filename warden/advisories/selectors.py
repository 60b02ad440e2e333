"""Reads for advisories: current levels, history, review-due lists, audiences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from warden.advisories.models import Edition, Statement, Status
from warden.geo.models import Country


def published_editions(*, exercise: bool = False) -> QuerySet[Edition]:
    return Edition.objects.filter(status=Status.PUBLISHED, is_exercise=exercise)


@dataclass(frozen=True)
class CountryLevel:
    country: Country
    edition: Edition | None
    review_state: str  # "" | "due_soon" | "overdue"


def review_state(edition: Edition | None, *, today: date | None = None) -> str:
    if edition is None or edition.review_due is None:
        return ""
    today = today or timezone.localdate()
    if edition.review_due < today:
        return "overdue"
    if edition.review_due <= today + timedelta(days=settings.WARDEN_REVIEW_WARNING_DAYS):
        return "due_soon"
    return ""


def country_levels(*, exercise: bool = False) -> list[CountryLevel]:
    """Every country with its current edition (or none), highest level first."""
    current = {e.country_id: e for e in published_editions(exercise=exercise)}
    today = timezone.localdate()
    rows = [
        CountryLevel(c, current.get(c.pk), review_state(current.get(c.pk), today=today))
        for c in Country.objects.all()
    ]
    rows.sort(key=lambda r: (-(r.edition.level if r.edition else 0), r.country.local_name()))
    return rows


def editions_review_due(
    *, within_days: int | None = None, today: date | None = None
) -> QuerySet[Edition]:
    """Current actual editions whose review date is past or within ``within_days``."""
    today = today or timezone.localdate()
    days = settings.WARDEN_REVIEW_WARNING_DAYS if within_days is None else within_days
    return (
        published_editions()
        .filter(review_due__lte=today + timedelta(days=days))
        .select_related("country", "author")
        .order_by("review_due", "country__name")
    )


def edition_history(country: Country | str, *, exercise: bool = False) -> QuerySet[Edition]:
    """Every edition that was ever published for ``country``, newest first."""
    code = country.pk if isinstance(country, Country) else country
    return (
        Edition.objects.filter(
            country_id=code,
            is_exercise=exercise,
            status__in=[Status.PUBLISHED, Status.SUPERSEDED, Status.WITHDRAWN],
        )
        .select_related("authority", "published_by")
        .prefetch_related("texts", "areas__subdivision", "areas__custom_area")
        .order_by("-published_at", "-number")
    )


def editions_pending(*, exercise: bool | None = None) -> QuerySet[Edition]:
    qs = Edition.objects.filter(status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
    if exercise is not None:
        qs = qs.filter(is_exercise=exercise)
    return qs.select_related("country", "author").order_by("-updated_at")


def statements_published(
    *, country: Country | str | None = None, exercise: bool = False
) -> QuerySet[Statement]:
    qs = Statement.objects.filter(status=Status.PUBLISHED, is_exercise=exercise)
    if country is not None:
        qs = qs.filter(countries=country)
    return qs.prefetch_related("texts", "countries").order_by("-issued_at")


def notification_audience_count(edition: Edition) -> int:
    """How many people publishing ``edition`` would notify (the registry's audience)."""
    from warden.people.selectors import audience_count  # the registry builds on advisories

    return audience_count(edition)
