"""Pure rules of the advisory workflow: no database writes here."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings

from warden.advisories.models import Status

HIGH_LEVEL = 3  # levels at or above this need a second person to publish or withdraw

# status -> statuses it may move to
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.RETURNED: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.PUBLISHED, Status.RETURNED}),
    Status.PUBLISHED: frozenset({Status.SUPERSEDED, Status.WITHDRAWN}),
    Status.SUPERSEDED: frozenset({Status.PUBLISHED}),  # reinstated when its successor is withdrawn
    Status.WITHDRAWN: frozenset(),
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS[Status(current)]


def review_months(level: int) -> int:
    if level >= HIGH_LEVEL:
        return int(settings.WARDEN_REVIEW_MONTHS_HIGH)
    return int(settings.WARDEN_REVIEW_MONTHS_LOW)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_review_due(*, level: int, effective: date) -> date:
    """Levels 3-4 are reviewed at least every 6 months, levels 1-2 every 12 (configurable)."""
    return add_months(effective, review_months(level))


def needs_second_person(levels: Iterable[int | None]) -> bool:
    """True when any level involved (new, previous, or any area's) is 3 or higher."""
    return any(level is not None and level >= HIGH_LEVEL for level in levels)


def author_ids(obj: Any) -> set[int]:
    """Everyone who wrote, edited or submitted an edition or statement."""
    ids = {obj.author_id, *obj.contributors.values_list("pk", flat=True)}
    if obj.submitted_by_id is not None:
        ids.add(obj.submitted_by_id)
    return set(ids)


def edition_levels(edition: Any) -> list[int | None]:
    """The country level and every area level of an edition (none for no edition)."""
    if edition is None:
        return []
    return [edition.level, *edition.areas.values_list("level", flat=True)]


def blocked_by_two_person_rule(*, user_id: int | None, edition: Any, other: Any) -> bool:
    """Whether ``user_id`` may not decide on ``edition`` themselves.

    ``other`` is the edition on the other side of the change: the current one when
    publishing, the one to be reinstated when withdrawing.
    """
    levels = edition_levels(edition) + edition_levels(other)
    return needs_second_person(levels) and user_id in author_ids(edition)
