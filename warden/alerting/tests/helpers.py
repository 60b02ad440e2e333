"""Builders for alerting tests: people present in Turkey, and running the pipeline."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone

from warden.alerting import expand, queue
from warden.alerting.sender import Sender
from warden.alerting.transports.registry import enabled_channels
from warden.people.models import Person
from warden.people.tests.helpers import person, trip, verified


def present(
    given: str = "Dana",
    *,
    email: str | None = "dana@example.org",
    phone: str | None = None,
    country: str = "TR",
    language: str = "en",
    exercise: bool = False,
) -> Person:
    """Someone in ``country`` now, with verified contact points."""
    who = person(given, "Levi", language=language, exercise_participant=exercise)
    now = timezone.now()
    trip(who, country, arrival=now - timedelta(days=3), departure=now + timedelta(days=10))
    if email:
        verified(who, "email", email)
    if phone:
        verified(who, "sms", phone)
    return who


def expand_all() -> None:
    while expand.expand_page():
        pass


def send_all(sender: Sender, *, seconds: float = 30) -> None:
    """Send until no delivery is queued or in flight (waiting for retries that are due
    soon), or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if sum(sender.send_channel(channel) for channel in enabled_channels()):
            continue
        if not any(queue.pending()):
            return
        time.sleep(0.1)
    raise AssertionError("deliveries were still pending after the time limit")
