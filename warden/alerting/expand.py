"""Expanding a message into its deliveries, one page of people per transaction.

Each page inserts the deliveries of up to ``PAGE`` people and moves the message's cursor
(``expanded_through``, the last person id done) in the same transaction, so a crash at any
point leaves either the whole page or none of it, and the next worker resumes after the
last committed page. ``UNIQUE(message, contact point)`` backs this up.

The rows go in through ``warden.lib.bulk.bulk_insert``: COPY on PostgreSQL, ``executemany``
on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.utils import timezone

from warden.alerting.models import Delivery, Message
from warden.alerting.transports.registry import enabled_channels
from warden.audit.services import record
from warden.geo.selectors import area_lookup
from warden.lib.bulk import bulk_insert, db_moment, refresh_statistics
from warden.people import audience as people_audience
from warden.people.models import ContactPoint, Person

PAGE = 5000
COLUMNS = (
    "message_id",
    "contact_point_id",
    "person_id",
    "channel",
    "language",
    "priority",
    "state",
    "attempts",
    "next_attempt_at",
    "leased_by",
    "provider",
    "provider_ref",
    "error",
)
REACHED = (Delivery.State.SENT, Delivery.State.DELIVERED)


class AreaGone(Exception):
    """The message's area was deleted before it was expanded."""


def next_page(message: Message, *, page: int = PAGE) -> list[int]:
    """The next person ids of the message's audience after its cursor, ascending."""
    after = message.expanded_through
    if message.corrects_id is not None:
        ids = (
            Delivery.objects.filter(
                message_id=message.corrects_id, state__in=REACHED, person_id__gt=after
            )
            .order_by("person_id")
            .values_list("person_id", flat=True)
            .distinct()[:page]
        )
        return list(ids)
    if message.people is not None:
        # Skipping people who were deleted, or (an exercise) who do not take part, must not
        # end the expansion early: the page is taken from everyone left after the cursor.
        remaining = [pk for pk in message.people if pk > after]
        if not remaining:
            return []
        people = Person.objects.filter(pk__any_of=remaining)
        if message.is_exercise:
            people = people.filter(exercise_participant=True)
        return list(people.order_by("pk").values_list("pk", flat=True)[:page])
    area = area_lookup(message.area_code)
    if area is None:
        raise AreaGone(message.area_code)
    query = people_audience.Audience.of(area, message.audience_at, exercise=message.is_exercise)
    return next(people_audience.person_id_pages(query, page=page, after=after), [])


def _in_page(ids: list[int]) -> dict[str, object]:
    """Filter keywords for "person_id is one of ``ids``" that use the person index."""
    return {
        "person_id__any_of": ids,
        "person_id__gte": ids[0],
        "person_id__lte": ids[-1],
    }


def _rows(message: Message, ids: list[int], channels: list[str]) -> Iterator[tuple[object, ...]]:
    """Delivery rows (``COLUMNS``) for the people ``ids``, queued now."""
    now = db_moment(timezone.now())
    base = message.priority * 10

    def row(
        point: int, person: int, channel: str, language: str, priority: int
    ) -> tuple[object, ...]:
        return (
            message.pk,
            point,
            person,
            channel,
            language,
            priority,
            "queued",
            0,
            now,
            "",
            "",
            "",
            "",
        )

    if message.corrects_id is not None:
        reached = (
            Delivery.objects.filter(
                message_id=message.corrects_id, state__in=REACHED, **_in_page(ids)
            )
            .order_by("person_id", "id")
            .values_list("contact_point_id", "person_id", "channel", "language")
        )
        for point, person, channel, language in reached:
            yield row(point, person, channel, language, base)
        return
    points = (
        ContactPoint.objects.filter(
            state=ContactPoint.State.VERIFIED, channel__in=channels, **_in_page(ids)
        )
        .order_by("person_id", "priority", "id")
        .values_list("id", "person_id", "channel", "person__language", "priority")
    )
    ordinal, previous = 0, None
    for point, person, channel, language, rank in points:
        ordinal = ordinal + 1 if person == previous else 1
        previous = person
        if message.preference is None or ordinal == message.preference:
            yield row(point, person, channel, language, base + min(max(rank, 1) - 1, 9))


def _lock_next() -> Message | None:
    """The most urgent message still being expanded, locked (others skip it)."""
    waiting = Message.objects.filter(
        state__in=(Message.State.PLANNED, Message.State.EXPANDING)
    ).order_by("priority", "id")
    return waiting.select_for_update(skip_locked=True).first()


def expand_page() -> bool:
    """Expand one page of the most urgent message; False when no message waits."""
    with transaction.atomic():
        message = _lock_next()
        if message is None:
            return False
        try:
            ids = next_page(message)
        except AreaGone:
            ids = []
        if not ids:
            _finish(message)
            return True
        written = bulk_insert(
            Delivery._meta.db_table, COLUMNS, _rows(message, ids, enabled_channels())
        )
        message.expanded_through = ids[-1]
        message.planned += written
        message.state = Message.State.EXPANDING
        message.save(update_fields=["expanded_through", "planned", "state"])
    # Once committed: the planner learns of a large message's deliveries while they are
    # sent and answered, not when autovacuum comes round.
    refresh_statistics(Delivery._meta.db_table, message.planned - written, message.planned)
    return True


def _finish(message: Message) -> None:
    message.state = Message.State.SENDING
    message.expanded_at = timezone.now()
    message.save(update_fields=["state", "expanded_at"])
    record(
        actor=None,
        action="alerting.message.expand",
        obj=message,
        after={"state": message.state, "planned": message.planned},
    )


def expand_step(*, pages: int = 4) -> bool:
    """Worker step: up to ``pages`` pages (the sender gets a turn between calls)."""
    found = False
    for _ in range(pages):
        if not expand_page():
            break
        found = True
    return found
