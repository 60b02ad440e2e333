"""Builders for welfare tests: people in Turkey (some in Istanbul), rounds, and the clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from warden.alerting.services import MessageText
from warden.alerting.tests.helpers import present
from warden.people.models import Person
from warden.people.tests.helpers import person, trip, verified
from warden.welfare.models import CheckInRound
from warden.welfare.services import RoundDetails

ISTANBUL = 745044
ANKARA = 323786
QUESTION = {"en": MessageText("Are you safe?", "Tell us how you are.")}


def in_city(
    given: str,
    city: int = ISTANBUL,
    *,
    email: str | None = None,
    phone: str | None = None,
    app: str | None = None,
) -> Person:
    """Someone in a Turkish city now, with verified contact points in this order."""
    who = person(given, "Levi")
    now = timezone.now()
    trip(who, "TR", arrival=now - timedelta(days=2), departure=now + timedelta(days=9),
         city_geonameid=city)  # fmt: skip
    for channel, value in (("email", email), ("sms", phone), ("messaging", app)):
        if value:
            verified(who, channel, value)
    return who


def details(**overrides: Any) -> RoundDetails:
    values: dict[str, Any] = {
        "title": "Check-in Türkiye",
        "texts": QUESTION,
        "deadline": timezone.now() + timedelta(hours=24),
        "reminder_minutes": (),
        "cascade_minutes": None,
    }
    values.update(overrides)
    return RoundDetails(**values)


def minutes_after(checkin: CheckInRound, minutes: float) -> datetime:
    return checkin.opened_at + timedelta(minutes=minutes)


__all__ = ["ANKARA", "ISTANBUL", "QUESTION", "details", "in_city", "minutes_after", "present"]


def a_round(country: Any, **extra: Any) -> CheckInRound:
    """A bare open round of ``country``, written directly (no members, no messages)."""
    now = timezone.now()
    return CheckInRound.objects.create(
        title="Round",
        country=country,
        area_code=country.pk,
        texts={},
        opened_at=now,
        answers_since=now,
        deadline=now + timedelta(days=1),
        **extra,
    )
