"""Reads for the welfare dashboard: a round's counts, by area and by city, answers over time,
and the case queue. A round's counts are its running totals (``RoundTally``); the breakdowns
are aggregates over ``RoundMember`` (one index per round); positions are never given person
by person, only as counts per city."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection
from django.db.models import Count, QuerySet
from django.utils import timezone

from warden.geo.models import Subdivision
from warden.geo.selectors import city_get
from warden.people.selectors import audience_count
from warden.welfare import tally
from warden.welfare.models import OFFICER_ONLY, Case, CheckInRound, RoundMember, Status
from warden.welfare.scope import visible_cases, visible_rounds


@dataclass(frozen=True)
class Counts:
    """A round (or part of it): members, reached (handed off), each answer, no answer."""

    audience: int = 0
    reached: int = 0
    safe: int = 0
    needs_help: int = 0
    left: int = 0
    # Recorded by officers: unreachable, missing or deceased.
    other: int = 0
    no_answer: int = 0

    @property
    def answered(self) -> int:
        return self.safe + self.needs_help + self.left

    def as_dict(self) -> dict[str, int]:
        return {**asdict(self), "answered": self.answered}


def _counts(rows: list[tuple[str, int, int]]) -> Counts:
    by_status: dict[str, int] = defaultdict(int)
    audience = reached = 0
    for status, n, r in rows:
        by_status[status] += n
        audience += n
        reached += r
    return Counts(
        audience=audience,
        reached=reached,
        safe=by_status[Status.SAFE],
        needs_help=by_status[Status.NEEDS_HELP],
        left=by_status[Status.LEFT],
        other=sum(by_status[status] for status in OFFICER_ONLY),
        no_answer=by_status[""],
    )


def round_counts(checkin: CheckInRound | int) -> Counts:
    """The round's running totals (``RoundTally``, kept by the database's triggers): a few
    rows whatever the round's size."""
    pk = checkin if isinstance(checkin, int) else checkin.pk
    return _counts([(status, n, n if reached else 0) for status, reached, n in tally.totals(pk)])


Groups = dict[Any, list[tuple[str, int, int]]]


def _breakdown(checkin: CheckInRound) -> tuple[Groups, Groups]:
    """One pass over the round's members: (status, n, reached) per area and per city."""
    rows = (
        RoundMember.objects.filter(round=checkin)
        .values_list("area_code", "city_geonameid", "status")
        .annotate(n=Count("*"), reached=Count("reached_at"))
        .order_by()
    )
    areas: Groups = defaultdict(list)
    cities: Groups = defaultdict(list)
    for area, city, status, n, r in rows:
        areas[area].append((status, n, r))
        if city is not None:
            cities[city].append((status, n, r))
    return areas, cities


def _areas(grouped: Groups) -> list[dict[str, Any]]:
    names = dict(Subdivision.objects.filter(code__in=list(grouped)).values_list("code", "name"))
    areas = [
        {"code": code, "name": names.get(code, ""), **_counts(items).as_dict()}
        for code, items in grouped.items()
    ]
    return sorted(areas, key=lambda a: (-a["audience"], a["code"]))


def _cities(grouped: Groups) -> list[dict[str, Any]]:
    cities = []
    for geonameid, items in grouped.items():
        city = city_get(geonameid)
        if city is None:
            continue
        cities.append(
            {
                "name": city.name,
                "lat": round(city.latitude, 4),
                "lon": round(city.longitude, 4),
                **_counts(items).as_dict(),
            }
        )
    return sorted(cities, key=lambda c: -c["audience"])


def area_counts(checkin: CheckInRound) -> list[dict[str, Any]]:
    """Counts per subdivision of the round's country ("" when the stay gave none)."""
    return _areas(_breakdown(checkin)[0])


def city_counts(checkin: CheckInRound) -> list[dict[str, Any]]:
    """Counts per city with its coordinates (the city's, never a person's)."""
    return _cities(_breakdown(checkin)[1])


def _bucket(checkin: CheckInRound, now: datetime) -> str:
    age = (checkin.closed_at or now) - checkin.opened_at
    if age <= timedelta(hours=3):
        return "minute"
    if age <= timedelta(days=4):
        return "hour"
    return "day"


BUCKET_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def _bucket_sql() -> str:
    """The bucket number of ``answered_at`` (seconds since the epoch, divided), in SQL."""
    if connection.vendor == "postgresql":
        return "floor(extract(epoch from answered_at) / %s)::bigint"
    return "CAST(strftime('%%s', answered_at) AS INTEGER) / %s"


def answer_series(checkin: CheckInRound, *, now: datetime | None = None) -> dict[str, Any]:
    """First answers per interval (minute, hour or day, by the round's age), per status.
    One grouped pass over the index ``round_member_answers``."""
    unit = _bucket(checkin, now or timezone.now())
    size = BUCKET_SECONDS[unit]
    table = RoundMember._meta.db_table
    sql = (
        f"SELECT {_bucket_sql()} AS b, status, COUNT(*) FROM {table} "  # noqa: S608
        "WHERE round_id = %s AND answered_at IS NOT NULL GROUP BY b, status ORDER BY b"
    )
    points: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [size, checkin.pk])
        for bucket, status, n in cursor.fetchall():
            point = points.setdefault(int(bucket), {s: 0 for s in Status.values})
            point[status] = point.get(status, 0) + n
    return {
        "unit": unit,
        "points": [
            {"t": datetime.fromtimestamp(b * size, tz=UTC).isoformat(), **counts}
            for b, counts in points.items()
        ],
    }


def round_live(checkin: CheckInRound) -> dict[str, Any]:
    """Everything the dashboard polls for."""
    areas, cities = _breakdown(checkin)
    return {
        "round": checkin.pk,
        "state": checkin.state,
        "populated": checkin.populated_at is not None,
        "counts": round_counts(checkin).as_dict(),
        "areas": _areas(areas),
        "cities": _cities(cities),
        "series": answer_series(checkin),
        "open_cases": Case.objects.filter(round=checkin).exclude(state=Case.State.RESOLVED).count(),
        "updated_at": timezone.now().isoformat(),
    }


@dataclass(frozen=True)
class CountryLine:
    code: str
    name: str
    registered: int
    round: CheckInRound | None
    counts: Counts | None


def country_overview(user: User | AnonymousUser) -> list[CountryLine]:
    """Each country with a round the user may see: people registered there now, and the
    counts of its latest round."""
    latest: dict[str, CheckInRound] = {}
    for checkin in visible_rounds(user).order_by("-opened_at", "-id"):
        latest.setdefault(checkin.country_id, checkin)
    lines = [
        CountryLine(
            code=code,
            name=checkin.country.local_name(),
            registered=audience_count(checkin.country, exercise=checkin.is_exercise),
            round=checkin,
            counts=round_counts(checkin),
        )
        for code, checkin in latest.items()
    ]
    return sorted(lines, key=lambda line: line.name)


def case_queue(user: User | AnonymousUser) -> QuerySet[Case]:
    """Unresolved cases, most severe first, then the longest waiting."""
    return (
        visible_cases(user)
        .exclude(state=Case.State.RESOLVED)
        .select_related("person", "round", "country", "assigned_to")
        .order_by("severity", "opened_at", "id")
    )
