"""Answers from the public (answer links, the API, SMS replies): taken at once, recorded in
batches.

Taking an answer is one short transaction: the token or the sender is checked, the answer
validated and written to the inbox (``PendingAnswer``); once it commits it cannot be lost,
and the person is told "we have your answer". The worker's ``welfare_answers`` step then
records the waiting answers in order, a batch per transaction, with exactly the effects of
``answer_record``: a WelfareEvent each, deliveries marked answered, memberships of open
rounds updated, a case for "needs help", the stay ended for "left", and one audit event per
answer, the audit chain locked once per batch (decisions/0013). Officers' entries do not
wait: they go straight through ``answer_record``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.utils import timezone

from warden.alerting.links import delivery_for_token
from warden.alerting.models import Delivery, Message
from warden.audit.services import record_many
from warden.geo.models import Country
from warden.lib.bulk import db_moment, rows_source
from warden.lib.prepared import fetch_one
from warden.welfare.models import CheckInRound, PendingAnswer, WelfareEvent
from warden.welfare.services.answers import (
    FOLLOW_UP,
    answer_entry,
    answer_follow_up,
    check_answer,
)


class LinkRefused(Exception):
    """An answer token that cannot take an answer; ``reason`` says why."""

    INVALID = "invalid"
    EXPIRED = "expired"
    GONE = "gone"
    CANCELLED = "cancelled"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def token_delivery(token: str) -> int:
    """The delivery id of a well-signed, unexpired token (no query); raises ``LinkRefused``."""
    try:
        return delivery_for_token(token)
    except signing.SignatureExpired:
        raise LinkRefused(LinkRefused.EXPIRED) from None
    except (signing.BadSignature, ValueError):
        raise LinkRefused(LinkRefused.INVALID) from None


def answer_link(token: str) -> bool:
    """Check that an answer token can take an answer, in one query: raises ``LinkRefused``
    otherwise. Returns whether its message is an exercise (the page says so)."""
    row = (
        Delivery.objects.filter(pk=token_delivery(token))
        .values_list("message__state", "message__is_exercise")
        .first()
    )
    if row is None:
        raise LinkRefused(LinkRefused.GONE)
    state, is_exercise = row
    if state == Message.State.CANCELLED:
        raise LinkRefused(LinkRefused.CANCELLED)
    return bool(is_exercise)


def answer_accept(
    *,
    person_id: int,
    status: str,
    channel: str,
    delivery_id: int | None = None,
    message_id: int | None = None,
    note: str = "",
    place: str = "",
    left_to: Country | None = None,
    at: datetime | None = None,
) -> PendingAnswer:
    """Validate a person's answer and put it in the inbox; ``ValidationError`` when it is
    not acceptable. The answer's time is now (or ``at``), not the time it is recorded."""
    check_answer(status, channel, note, place, left_to)
    return PendingAnswer.objects.create(
        person_id=person_id,
        status=status,
        channel=channel,
        delivery_id=delivery_id,
        message_id=message_id,
        note=note.strip(),
        place=place.strip(),
        left_to=left_to,
        at=at or timezone.now(),
    )


def answer_take(
    token: str,
    *,
    status: str,
    channel: str,
    note: str = "",
    place: str = "",
    left_to: Country | None = None,
) -> datetime:
    """``answer_accept`` for the person and message of an answer token, in one statement
    (the answer pages and the API take answers at the rate people send them); returns the
    answer's time. Raises ``LinkRefused`` or ``ValidationError``."""
    pk = token_delivery(token)
    check_answer(status, channel, note, place, left_to)
    at = timezone.now()
    fields = PendingAnswer._meta
    # Prepared: at hundreds of answers a second, planning this cost more than running it.
    taken = fetch_one(
        "INSERT INTO welfare_pendinganswer "
        "(person_id, status, channel, message_id, delivery_id, note, place, left_to_id, at) "
        "SELECT d.person_id, %s, %s, d.message_id, d.id, %s, %s, %s, %s "
        "FROM alerting_delivery AS d JOIN alerting_message AS m ON m.id = d.message_id "
        "WHERE d.id = %s AND m.state <> %s RETURNING id",
        [
            status,
            channel,
            fields.get_field("note").get_db_prep_save(note.strip(), connection),
            fields.get_field("place").get_db_prep_save(place.strip(), connection),
            left_to.pk if left_to is not None else None,
            db_moment(at),
            pk,
            Message.State.CANCELLED,
        ],
    )
    if taken is None:
        answer_link(token)  # raises: the delivery is gone or its message cancelled
    return at


def answers_apply(limit: int | None = None) -> int:
    """Record the oldest waiting answers (up to ``limit``, default ``WELFARE_ANSWER_BATCH``)
    in one transaction; returns how many. Several workers may run it side by side on
    PostgreSQL: each takes rows the others have not locked."""
    limit = limit or settings.WARDEN_ANSWER_BATCH
    with transaction.atomic():
        pending = list(
            PendingAnswer.objects.select_for_update(skip_locked=True).order_by("id")[:limit]
        )
        if not pending:
            return 0
        events = WelfareEvent.objects.bulk_create(
            [
                WelfareEvent(
                    person_id=answer.person_id,
                    status=answer.status,
                    channel=answer.channel,
                    message_id=answer.message_id,
                    delivery_id=answer.delivery_id,
                    note=answer.note,
                    place=answer.place,
                    left_to_id=answer.left_to_id,
                    at=answer.at,
                )
                for answer in pending
            ]
        )
        _deliveries_answered(events)
        for wave in _waves(events):
            _members_mark(wave)
        follow = [event for event in events if event.status in FOLLOW_UP]
        countries: dict[int | None, str] = dict(
            Message.objects.filter(pk__in={e.message_id for e in follow if e.message_id})
            .exclude(country_id=None)
            .values_list("pk", "country_id")
        )
        for event in follow:
            answer_follow_up(event, message_country=countries.get(event.message_id))
        record_many([answer_entry(event, author=None) for event in events])
        PendingAnswer.objects.filter(pk__in=[answer.pk for answer in pending]).delete()
    return len(pending)


# The batch's effects, set-based: the same as ``answer_effects`` one answer after another.


def _deliveries_answered(events: list[WelfareEvent]) -> None:
    """Every delivery of an answered message to the person is answered, at the first answer."""
    first: dict[tuple[int, int], datetime] = {}
    for event in events:
        if event.message_id is not None:
            first.setdefault((event.message_id, event.person_id), event.at)
    if not first:
        return
    rows = [(m, p, db_moment(at)) for (m, p), at in first.items()]
    source, params = rows_source(rows, ["bigint", "bigint", "timestamptz"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v (message_id, person_id, at) AS (SELECT * FROM {source}) "  # noqa: S608
            "UPDATE alerting_delivery SET answered_at = v.at FROM v "
            "WHERE alerting_delivery.message_id = v.message_id "
            "AND alerting_delivery.person_id = v.person_id "
            "AND alerting_delivery.answered_at IS NULL",
            params,
        )


def _waves(events: list[WelfareEvent]) -> list[list[WelfareEvent]]:
    """The answers split so that no person appears twice in one part, in order: each
    person's first answer in the first part, their second in the second..."""
    waves: list[list[WelfareEvent]] = []
    seen: dict[int, int] = {}
    for event in events:
        index = seen.get(event.person_id, 0)
        seen[event.person_id] = index + 1
        if index == len(waves):
            waves.append([])
        waves[index].append(event)
    return waves


def _members_mark(events: list[WelfareEvent]) -> None:
    """``members_mark`` for several people at once (one answer each): their memberships of
    open rounds take the answer unless a later one is there; the first answer's time stays."""
    rows = [(e.person_id, e.status, db_moment(e.at)) for e in events]
    source, params = rows_source(rows, ["bigint", "text", "timestamptz"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v (person_id, status, at) AS (SELECT * FROM {source}) "  # noqa: S608
            "UPDATE welfare_roundmember SET status = v.status, status_at = v.at, "
            "answered_at = COALESCE(welfare_roundmember.answered_at, v.at) "
            "FROM v, welfare_checkinround AS r "
            "WHERE welfare_roundmember.person_id = v.person_id "
            "AND r.id = welfare_roundmember.round_id AND r.state = %s "
            "AND r.answers_since <= v.at "
            "AND (welfare_roundmember.status_at IS NULL OR welfare_roundmember.status_at <= v.at)",
            [*params, CheckInRound.State.OPEN],
        )


def answers_waiting() -> int:
    return PendingAnswer.objects.count()
