"""A round's members: written in pages of person ids, and told when a message reached them.

``populate_page`` inserts the next page of the round's audience (as it was when the round
opened) with ``warden.lib.bulk.bulk_insert`` and moves the round's cursor in the same
transaction, like the expansion of a message. Anyone who answered between the round's
``answers_since`` and their page being written is marked answered at once.

``sync_message`` copies the outcome of a round message's deliveries onto the members
(``reached_at``: handed off to a provider), in delivery-id order behind a cursor; deliveries
still in flight behind it are kept as stragglers and looked at again. ``sync_step`` copies
page after page within a time budget, so "reached" keeps up with a large send, and only
once the round's members are all written: a member written later is marked reached by
``populate_page`` from the deliveries already handed off. The copy starts only after the
transaction that finished the round's members committed, so no member can be written while
their deliveries are being copied and be missed by both.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from warden.alerting.models import Delivery, Message
from warden.geo.selectors import area_lookup
from warden.lib.bulk import bulk_insert, refresh_statistics
from warden.people import audience as people_audience
from warden.people.models import Person, Trip
from warden.welfare import tally
from warden.welfare.models import CheckInRound, RoundMember, RoundMessage, WelfareEvent

PAGE = 5000
SYNC_PAGE = 5000
SYNC_BUDGET_SECONDS = 0.5
STRAGGLERS_MAX = 2000
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
            person_id__any_of=ids,
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
            person_id__any_of=ids,
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


def _prefill_reached(checkin: CheckInRound, ids: list[int]) -> None:
    """Members whose delivery of one of the round's messages was handed off before their
    page was written (the copy waits until the round is written; see ``sync_step``)."""
    reached = Delivery.objects.filter(
        person_id__any_of=ids,
        person_id__gte=ids[0],
        person_id__lte=ids[-1],
        message_id__in=RoundMessage.objects.filter(round=checkin).values("message_id"),
        state__in=REACHED,
    ).values_list("person_id", flat=True)
    _mark_reached(checkin.pk, sorted(set(reached)))


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
        _prefill_reached(checkin, ids)
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
            more = populate_page(checkin)
            found = True
        if not more:  # written: the planner learns of a large round's members at once
            written = sum(n for _status, _reached, n in tally.totals(checkin.pk))
            refresh_statistics(RoundMember._meta.db_table, 0, written)
    return found


def sync_message(item: RoundMessage) -> bool:
    """Copy one page of the message's handed-off deliveries to the members' ``reached_at``.
    Returns whether anything moved.

    The cursor moves to the last delivery of the page that is done (sent, failed, cancelled);
    the few behind it still in flight (a batch another worker holds, a retry waiting its
    turn) are kept as stragglers and looked at again on every pass, so that one slow
    delivery does not hold the copy of everything after it. Past ``STRAGGLERS_MAX`` of them
    the cursor waits at the first one instead."""
    moved = _sync_stragglers(item)
    start = item.synced_through
    rows = list(
        Delivery.objects.filter(message_id=item.message_id, id__gt=start)
        .order_by("id")
        .values_list("id", "person_id", "state")[:SYNC_PAGE]
    )
    if not rows:
        if item.stragglers:
            return moved
        state = Message.objects.filter(pk=item.message_id).values_list("state", flat=True).first()
        if state in (Message.State.SENDING, Message.State.CANCELLED, None):
            RoundMessage.objects.filter(pk=item.pk).update(synced=True)
            item.synced = True
            return True
        return moved
    done = [pk for pk, _person, state in rows if state not in IN_FLIGHT]
    if not done:
        return moved
    cursor = done[-1]
    behind = [pk for pk, _person, state in rows if state in IN_FLIGHT and pk < cursor]
    if len(item.stragglers) + len(behind) > STRAGGLERS_MAX:
        first = next(pk for pk, _person, state in rows if state in IN_FLIGHT)
        cursor, behind = first - 1, []
    reached = sorted({person for pk, person, state in rows if state in REACHED and pk <= cursor})
    _mark_reached(item.round_id, reached)
    if cursor != start:
        item.synced_through = cursor
        item.stragglers = [*item.stragglers, *behind]
        RoundMessage.objects.filter(pk=item.pk).update(
            synced_through=cursor, stragglers=item.stragglers
        )
        return True
    return moved


def _sync_stragglers(item: RoundMessage) -> bool:
    """Copy the stragglers that are done now; keep those still in flight."""
    if not item.stragglers:
        return False
    rows = list(
        Delivery.objects.filter(id__in=item.stragglers).values_list("id", "person_id", "state")
    )
    _mark_reached(item.round_id, sorted({person for _pk, person, s in rows if s in REACHED}))
    waiting = sorted(pk for pk, _person, state in rows if state in IN_FLIGHT)
    if waiting == sorted(item.stragglers):
        return False
    item.stragglers = waiting
    RoundMessage.objects.filter(pk=item.pk).update(stragglers=waiting)
    return True


def _mark_reached(round_id: int, people: list[int]) -> int:
    if not people:
        return 0
    return RoundMember.objects.filter(
        round_id=round_id,
        person_id__any_of=people,
        person_id__gte=people[0],
        person_id__lte=people[-1],
        reached_at__isnull=True,
    ).update(reached_at=timezone.now())


def sync_step(*, limit: int = 20, budget: float | None = None) -> bool:
    """Worker: copy the outcomes of the round messages whose deliveries are not all copied,
    page after page until each has caught up with the sending or ``budget`` seconds (
    ``SYNC_BUDGET_SECONDS``) are spent — a large send must not leave "reached" minutes
    behind, nor hold the worker from sending. Rounds still being written wait until all
    their members exist (``populate_page`` marks those already reached).

    Each page is copied in a transaction that holds the round message's row, read afresh:
    a second worker skips that message rather than copy the same page again behind the
    first one's row locks."""
    deadline = time.monotonic() + (SYNC_BUDGET_SECONDS if budget is None else budget)
    found = False
    pending = RoundMessage.objects.filter(synced=False, round__populated_at__isnull=False)
    for pk in pending.order_by("id").values_list("pk", flat=True)[:limit]:
        while True:
            with transaction.atomic():
                item = (
                    RoundMessage.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, synced=False)
                    .first()
                )
                if item is None:  # another worker is copying it, or it is done
                    break
                moved = sync_message(item)
            found = found or moved
            if not moved or item.synced or time.monotonic() > deadline:
                break
        if time.monotonic() > deadline:
            break
    return found
