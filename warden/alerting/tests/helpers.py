"""Builders for alerting tests: people present in Turkey, and running the pipeline."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from aiosmtpd.controller import Controller
from django.utils import timezone

from warden.alerting import expand, queue
from warden.alerting.sender import Sender
from warden.alerting.transports.registry import enabled_channels
from warden.lib.bulk import bulk_insert, db_moment
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


def crowd(count: int) -> list[int]:
    """``count`` synthetic people present in Turkey, each with exactly one verified email
    address (their phone numbers removed), written in bulk; returns their ids."""
    from warden.people import crypto
    from warden.people.fields import purpose_of
    from warden.people.models import ContactPoint
    from warden.people.seeding import CONTACT_COLUMNS, seed_people

    first = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    seed_people(count=count, seed=7, weights={"TR": 1.0}, present=True)
    ids = list(Person.objects.filter(pk__gte=first).order_by("pk").values_list("pk", flat=True))
    points = ContactPoint.objects.filter(person_id__gte=first)
    points.exclude(channel="email").delete()
    points.exclude(state="verified").update(
        state="verified", verification_method="synthetic", verified_at=timezone.now()
    )
    with_email = set(points.values_list("person_id", flat=True))
    now = db_moment(timezone.now())
    purpose = purpose_of(ContactPoint, "value")
    rows = []
    for pk in ids:
        if pk not in with_email:
            address = f"person{pk}@example.org"
            value = crypto.encrypt(address, purpose=purpose)
            lookup = crypto.blind_index(f"email:{address}")
            rows.append((pk, "email", value, lookup, 1, "verified", "synthetic", now, now, now))
    bulk_insert(ContactPoint._meta.db_table, CONTACT_COLUMNS, rows)
    return ids


@contextmanager
def smtp_server(handler: object) -> Iterator[Controller]:
    """A real SMTP server (aiosmtpd) on a free loopback port, with ``handler``'s hooks."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
