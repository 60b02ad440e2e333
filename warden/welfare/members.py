"""A round's members: written in pages of person ids, and told when a message reached them.

``populate_page`` inserts the next page of the round's audience (as it was when the round
opened) with ``warden.lib.bulk.bulk_insert`` and moves the round's cursor in the same
transaction, like the expansion of a message. Anyone who answered between the round's
``answers_since`` and their page being written is marked answered at once.

``sync_message`` copies the outcome of a round message's deliveries onto the members
(``reached_at``: handed off to a provider), in delivery-id order behind a cursor that stops
at the first delivery still in flight.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from warden.alerting.models import Delivery, Message
from warden.geo.selectors import area_lookup
from warden.lib.bulk import bulk_insert
from warden.people import audience as people_audience
from warden.people.models import Person, Trip
from warden.welfare.models import CheckInRound, RoundMember, RoundMessage, WelfareEvent

PAGE = 5000
SYNC_PAGE = 5000
COLUMNS = (
    "round_id",
    "person_id",
    "status",
    "preference",
    "city_geonameid",
    "city_name",
    "area_code",
)
REACHED = (Delivery.State.SENT, Delivery.State.DELIVERED)
IN_FLIGHT = (Delivery.State.QUEUED, Delivery.State.SENDING)


def next_ids(checkin: CheckInRound, *, page: int | None = None) -> list[int]:
    """The next person ids of the round's audience after its cursor, ascending."""
    page = page or PAGE
    after = checkin.members_through
    if checkin.people is not None:
        chosen = [pk for pk in checkin.people if pk > after][: page * 2]
        people = Person.objects.filter(pk__in=chosen)
        if checkin.is_exercise:
            people = people.filter(exercise_participant=True)
        return sorted(people.values_list("pk", flat=True))[:page]
    area = area_lookup(checkin.area_code)
    if area is None:
        return []
    query = people_audience.Audience.of(area, checkin.opened_at, exercise=checkin.is_exercise)
    return next(people_audience.person_id_pages(query, page=page, after=after), [])


def _places(checkin: CheckInRound, ids: list[int]) -> dict[int, tuple[int | None, str, str]]:
    """Where each person stayed in the round's country when it opened: city and area."""
    at = checkin.opened_at
    trips = (
        Trip.objects.filter(
            person_id__in=people_audience.id_set(ids),
            person_id__gte=ids[0],
            person_id__lte=ids[-1],
            country_id=checkin.country_id,
            arrival__lte=at,
            until__gt=at,
        )
        .order_by("person_id", "-arrival", "-id")
        .values_list("person_id", "city_geonameid", "city_name", "subdivision_id")
    )
    places: dict[int, tuple[int | None, str, str]] = {}
    for person, city, name, area in trips:
        places.setdefault(person, (city, name or "", area or ""))
    return places


def _rows(checkin: CheckInRound, ids: list[int]) -> Iterator[tuple[object, ...]]:
    places = _places(checkin, ids)
    for person in ids:
        city, name, area = places.get(person, (None, "", ""))
        yield (checkin.pk, person, "", 1, city, name, area)


def _prefill(checkin: CheckInRound, ids: list[int]) -> None:
    """Members who answered before their page was written: their latest answer."""
    events = (
        WelfareEvent.objects.filter(
            person_id__in=people_audience.id_set(ids),
            person_id__gte=ids[0],
            person_id__lte=ids[-1],
            at__gte=checkin.answers_since,
        )
        .order_by("person_id", "at", "id")
        .values_list("person_id", "status", "at")
    )
    answers: dict[int, tuple[str, datetime, datetime]] = {}
    for person, status, at in events:
        first = answers[person][2] if person in answers else at
        answers[person] = (status, at, first)
    for person, (status, at, first) in answers.items():
        RoundMember.objects.filter(round=checkin, person_id=person).update(
            status=status, status_at=at, answered_at=first
        )


def populate_page(checkin: CheckInRound) -> bool:
    """Write one page of members; False (and the round marked complete) when none is left.
    Call inside a transaction holding the round (no savepoint of its own: on SQLite the
    tally triggers would journal every page a row touches until the page is done)."""
    with transaction.atomic(savepoint=False):
        ids = next_ids(checkin)
        if not ids:
            checkin.populated_at = timezone.now()
            checkin.save(update_fields=["populated_at"])
            return False
        bulk_insert(RoundMember._meta.db_table, COLUMNS, _rows(checkin, ids))
        _prefill(checkin, ids)
        checkin.members_through = ids[-1]
        checkin.save(update_fields=["members_through"])
    return True


def populate_step(*, pages: int = 10) -> bool:
    """Worker: a few pages of the oldest round still being written."""
    found = False
    for _ in range(pages):
        with transaction.atomic():
            checkin = (
                CheckInRound.objects.filter(populated_at__isnull=True)
                .order_by("opened_at", "id")
                .select_for_update(skip_locked=True)
                .first()
            )
            if checkin is None:
                return found
            populate_page(checkin)
            found = True
    return found


def sync_message(item: RoundMessage) -> bool:
    """Copy one page of the message's handed-off deliveries to the members' ``reached_at``.
    Returns whether anything moved."""
    rows = list(
        Delivery.objects.filter(message_id=item.message_id, id__gt=item.synced_through)
        .order_by("id")
        .values_list("id", "person_id", "state")[:SYNC_PAGE]
    )
    if not rows:
        state = Message.objects.filter(pk=item.message_id).values_list("state", flat=True).first()
        if state in (Message.State.SENDING, Message.State.CANCELLED, None):
            RoundMessage.objects.filter(pk=item.pk).update(synced=True)
            return True
        return False
    reached: set[int] = set()
    start = cursor = item.synced_through
    blocked = False
    for pk, person, state in rows:
        if state in REACHED:
            reached.add(person)
        blocked = blocked or state in IN_FLIGHT
        if not blocked:
            cursor = pk
    changed = 0
    if reached:
        ids = sorted(reached)
        changed = RoundMember.objects.filter(
            round_id=item.round_id,
            person_id__in=people_audience.id_set(ids),
            person_id__gte=ids[0],
            person_id__lte=ids[-1],
            reached_at__isnull=True,
        ).update(reached_at=timezone.now())
    if cursor != start:
        RoundMessage.objects.filter(pk=item.pk).update(synced_through=cursor)
        item.synced_through = cursor
    return bool(changed) or cursor != start


def sync_step(*, limit: int = 20) -> bool:
    """Worker: one page for each round message whose deliveries are not all copied."""
    found = False
    for item in RoundMessage.objects.filter(synced=False).order_by("id")[:limit]:
        found = sync_message(item) or found
    return found
