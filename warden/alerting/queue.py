"""The delivery queue in the database: claim with a lease, record results, sweep leases.

Claiming marks up to ``limit`` due deliveries of one channel as ``sending`` with a lease
(``lease_until``, ``leased_by``) in one short transaction: ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL lets any number of workers claim side by side; on SQLite the IMMEDIATE
transaction serialises them. A worker that dies keeps its claims until the lease expires;
``sweep_leases`` then queues them again — so nothing accepted is lost, and at most what a
worker held in flight is sent twice.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from warden.alerting.models import Attempt, Delivery, Message
from warden.alerting.transports.base import Outcome
from warden.lib.bulk import bulk_insert, db_moment, db_moments, rows_source
from warden.lib.lookups import id_list_sql
from warden.people import crypto
from warden.people.fields import purpose_of
from warden.people.models import ContactPoint, Person

TABLE = Delivery._meta.db_table
UPDATE_PAGE = 1000
# The PostgreSQL types of the columns a result sets row by row (``_update``).
COLUMN_TYPES = {"provider_ref": "text", "next_attempt_at": "timestamptz", "error": "text"}
ATTEMPT_COLUMNS = (
    "delivery_id",
    "number",
    "started_at",
    "duration_ms",
    "provider",
    "ok",
    "response",
    "error",
)


def max_attempts(channel: str) -> int:
    for item in settings.WARDEN_ALERT_MAX_ATTEMPTS:
        name, _, count = item.partition(":")
        if name.strip() == channel and count.strip().isdigit():
            return max(1, int(count))
    return 5


def backoff(attempts: int, retry_after: float | None = None) -> float:
    """Seconds before the next attempt: exponential with jitter, at least Retry-After."""
    base = float(settings.WARDEN_ALERT_RETRY_BASE_SECONDS)
    ceiling = float(settings.WARDEN_ALERT_RETRY_MAX_SECONDS)
    delay = min(ceiling, base * 2 ** max(0, attempts - 1))
    delay = random.uniform(delay / 2, delay)  # noqa: S311 (jitter, not security)
    return max(delay, retry_after or 0.0)


class Claimed(NamedTuple):  # one per delivery: cheaper to build than a dataclass
    delivery_id: int
    message_id: int
    channel: str
    language: str
    attempts: int
    address: str
    name: str
    # The message was cancelled after the claim: the delivery is cancelled, not sent.
    cancelled: bool = False


# What sending a claimed delivery needs, joined by key to the claimed rows ``d``.
CLAIMED_SELECT = (
    "SELECT d.id, d.message_id, d.channel, d.language, d.attempts, c.value, p.given_name, "  # noqa: S608
    f"m.state FROM d JOIN {ContactPoint._meta.db_table} c ON c.id = d.contact_point_id "
    f"JOIN {Person._meta.db_table} p ON p.id = d.person_id "
    f"JOIN {Message._meta.db_table} m ON m.id = d.message_id ORDER BY d.id"
)
CLAIMED_COLUMNS = (
    "id",
    "message_id",
    "contact_point_id",
    "person_id",
    "channel",
    "language",
    "attempts",
)


# The claim's parts: the due deliveries of a channel, most urgent first (channel, now,
# limit); the lease (until, worker).
CLAIM_PICK = (
    f"SELECT id FROM {TABLE} WHERE state = 'queued' AND channel = %s "  # noqa: S608
    "AND next_attempt_at <= %s ORDER BY priority, next_attempt_at, id LIMIT %s"
)
CLAIM_SET = "state = 'sending', lease_until = %s, leased_by = %s, attempts = attempts + 1"
CLAIM_POSTGRESQL = (
    f"WITH picked AS MATERIALIZED ({CLAIM_PICK} FOR UPDATE SKIP LOCKED), "  # noqa: S608
    f"d AS (UPDATE {TABLE} SET {CLAIM_SET} WHERE id = ANY(ARRAY(SELECT id FROM picked)) "
    f"RETURNING {', '.join(f'{TABLE}.{column}' for column in CLAIMED_COLUMNS)}) "
    f"{CLAIMED_SELECT}"
)


def claim(channel: str, limit: int, worker: str) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries of ``channel``, most urgent first, and return
    them with what sending needs (see ``load``).

    PostgreSQL: one statement. The due rows are picked and locked once, in a MATERIALIZED
    WITH clause: as ``UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)``
    the planner may run the subquery again for each row it updates, and each run skips
    the rows already updated and locks the next ones, so the claim could take every due
    delivery instead of ``limit`` (past a provider's rate limit). Then the UPDATE, of the
    picked ids as one array, which is found by key: joined to the WITH clause instead,
    the rows were found by hashing the whole table, each claim reading every delivery
    (36 ms at 60,000). Then the addresses joined to the updated rows. With nothing due,
    the statement reads the queue's index and writes nothing.

    SQLite (one writer; no UPDATE in WITH): a read first, so that an idle worker does not
    take the write lock; then the UPDATE, whose subquery runs once, and ``load``."""
    if limit <= 0:
        return []
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WARDEN_ALERT_LEASE_SECONDS)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                CLAIM_POSTGRESQL, [channel, db_moment(now), limit, db_moment(lease), worker]
            )
            return _claimed(cursor.fetchall())
    due = Delivery.objects.filter(
        state=Delivery.State.QUEUED, channel=channel, next_attempt_at__lte=now
    )
    if not due.exists():  # a read: no write transaction, so no write lock to wait for
        return []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET {CLAIM_SET} WHERE id IN ({CLAIM_PICK}) RETURNING id",  # noqa: S608
            [db_moment(lease), worker, channel, db_moment(now), limit],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
    return load(ids)


def load(ids: Sequence[int]) -> list[Claimed]:
    """The deliveries ``ids`` with their decrypted address, the person's given name and
    whether their message was cancelled meanwhile (one query).

    The deliveries are read first, by key (a MATERIALIZED WITH clause), and the rest joined
    to them: left to itself, PostgreSQL with statistics older than a fresh expansion read
    the message's every delivery through its index to find the page's few hundred."""
    if not ids:
        return []
    chosen, param = id_list_sql("id", ids, connection.vendor)
    sql = (
        f"WITH d AS MATERIALIZED (SELECT {', '.join(CLAIMED_COLUMNS)} "  # noqa: S608
        f"FROM {TABLE} WHERE {chosen}) {CLAIMED_SELECT}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        return _claimed(cursor.fetchall())


def _claimed(rows: Sequence[tuple[Any, ...]]) -> list[Claimed]:
    address, name = purpose_of(ContactPoint, "value"), purpose_of(Person, "given_name")
    cancelled = Message.State.CANCELLED
    decrypt = crypto.keyring().decrypt  # looked up once, not twice a row
    return [
        Claimed(
            pk,
            message_id,
            channel,
            language,
            attempts,
            decrypt(value, purpose=address),
            decrypt(given_name, purpose=name),
            state == cancelled,
        )
        for pk, message_id, channel, language, attempts, value, given_name, state in rows
    ]


class Result(NamedTuple):
    delivery_id: int
    attempt: int
    started_at: datetime
    duration_ms: int
    outcome: Outcome


def record_results(
    results: Sequence[Result], *, channel: str, provider: str, worker: str
) -> dict[str, int]:
    """Write each delivery's new state, for deliveries still leased by ``worker`` (a swept
    lease belongs to someone else now), and the Attempt of each delivery that still exists
    (one removed with its contact point or person while it was sent is gone, and its
    attempt with it: written anyway, it failed the whole batch's recording, and the rest
    of the batch was sent again when its lease ran out). Returns how many results were
    sent, queued again and failed: what the provider did, for its health."""
    now = timezone.now()
    limit = max_attempts(channel)
    moment = db_moments()
    sent: list[tuple[Any, ...]] = []
    retry: list[tuple[Any, ...]] = []
    failed: list[tuple[Any, ...]] = []
    attempts: list[tuple[Any, ...]] = []
    for result in results:
        outcome = result.outcome
        if outcome.ok:
            sent.append((result.delivery_id, outcome.provider_ref))
        elif outcome.permanent or result.attempt >= limit:
            failed.append((result.delivery_id, outcome.error))
        else:
            due = now + timedelta(seconds=backoff(result.attempt, outcome.retry_after))
            retry.append((result.delivery_id, moment(due), outcome.error))
        attempts.append(
            (
                result.delivery_id,
                result.attempt,
                moment(result.started_at),
                result.duration_ms,
                provider,
                outcome.ok,
                outcome.response[:500],
                outcome.error[:500],
            )
        )
    released = {"lease_until": None, "leased_by": ""}
    with transaction.atomic(), connection.cursor() as cursor:
        fixed = {"state": "sent", "sent_at": db_moment(now), "provider": provider, "error": ""}
        recorded = _update(cursor, {**fixed, **released}, ["provider_ref"], sent, worker)
        fixed = {"state": "queued", "provider": provider}
        recorded |= _update(
            cursor, {**fixed, **released}, ["next_attempt_at", "error"], retry, worker
        )
        fixed = {"state": "failed", "provider": provider}
        recorded |= _update(cursor, {**fixed, **released}, ["error"], failed, worker)
        unrecorded = [row[0] for row in attempts if row[0] not in recorded]
        if unrecorded:  # a lease lost, or a delivery removed: is it there still?
            recorded |= _existing(cursor, unrecorded)
            attempts = [row for row in attempts if row[0] in recorded]
        bulk_insert(Attempt._meta.db_table, ATTEMPT_COLUMNS, attempts)
    return {"sent": len(sent), "queued": len(retry), "failed": len(failed)}


def _existing(cursor: Any, ids: Sequence[int]) -> set[int]:
    """Those of ``ids`` that are deliveries still, kept so until the transaction ends
    (PostgreSQL; SQLite has one writer at a time)."""
    chosen, param = id_list_sql("id", ids, connection.vendor)
    keep = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    cursor.execute(f"SELECT id FROM {TABLE} WHERE {chosen}{keep}", [param])  # noqa: S608
    return {row[0] for row in cursor.fetchall()}


def _update(
    cursor: Any,
    fixed: dict[str, Any],
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    worker: str,
) -> set[int]:
    """Set ``fixed`` values and, from each row of ``rows`` (id, then one value per name in
    ``columns``), its own values, on the deliveries still leased by ``worker``; returns
    the ids of those.

    PostgreSQL: one statement per page of rows, joined to them as arrays (``rows_source``;
    500 single-row statements took longer than the batch's hand-off). SQLite:
    ``executemany`` of the single-row statement, which runs in-process without round
    trips.

    "Still leased" is ``leased_by`` alone, which is set exactly while a delivery is being
    sent (a check constraint): a condition on the state would let the planner read the
    batch through an index of the state, on statistics that say nothing is being sent
    (decisions/0015). Those statistics also say that no row is leased by this worker, so
    the rows are picked by key from an array the planner cannot size, as the claim picks
    them: joined to the list alone, the batch was planned as the whole table read once,
    filtered on the lease, and each leased row compared with every result (40-95 ms a
    batch of 500 at 60,000 deliveries, against 8)."""
    if not rows:
        return set()
    lease = "leased_by = %s"
    assigned = [f"{name} = %s" for name in fixed]
    updated: set[int] = set()
    if connection.vendor == "postgresql":
        assigned += [f"{name} = v.{name}" for name in columns]
        types = ["bigint", *(COLUMN_TYPES[name] for name in columns)]
        for start in range(0, len(rows), UPDATE_PAGE):
            source, params = rows_source(rows[start : start + UPDATE_PAGE], types)
            cursor.execute(
                f"WITH v (id, {', '.join(columns)}) AS MATERIALIZED (SELECT * FROM {source}) "  # noqa: S608
                f"UPDATE {TABLE} SET {', '.join(assigned)} FROM v "
                f"WHERE {TABLE}.id = ANY(ARRAY(SELECT id FROM v)) AND {TABLE}.id = v.id "
                f"AND {TABLE}.{lease} RETURNING {TABLE}.id",
                [*params, *fixed.values(), worker],
            )
            updated.update(row[0] for row in cursor.fetchall())
        return updated
    # SQLite: the rows still leased are read first; nobody else writes meanwhile.
    ids = [values[0] for values in rows]
    chosen, param = id_list_sql("id", ids, connection.vendor)
    cursor.execute(f"SELECT id FROM {TABLE} WHERE {chosen} AND {lease}", [param, worker])  # noqa: S608
    updated.update(row[0] for row in cursor.fetchall())
    assigned += [f"{name} = %s" for name in columns]
    cursor.executemany(
        f"UPDATE {TABLE} SET {', '.join(assigned)} WHERE id = %s AND {lease}",  # noqa: S608
        [
            [*fixed.values(), *values[1:], values[0], worker]
            for values in rows
            if values[0] in updated
        ],
    )
    return updated


def release(ids: Sequence[int], worker: str) -> int:
    """Claimed deliveries that were not attempted (the batch ran out of time): queued
    again, due at once, their claim not counted as an attempt."""
    if not ids:
        return 0
    return held(ids, worker).update(
        state=Delivery.State.QUEUED, lease_until=None, leased_by="", attempts=F("attempts") - 1
    )


def cancel_claimed(ids: Sequence[int], worker: str) -> int:
    """Deliveries claimed for a message that was cancelled meanwhile: cancelled, unsent."""
    if not ids:
        return 0
    return held(ids, worker).update(
        state=Delivery.State.CANCELLED, lease_until=None, leased_by="", error="Cancelled"
    )


def held(ids: Sequence[int], worker: str) -> QuerySet[Delivery]:
    """The deliveries ``ids`` still leased by ``worker`` (being sent: see ``_update``)."""
    return Delivery.objects.filter(id__in=list(ids), leased_by=worker)


def sweep_leases() -> int:
    """Queue again the deliveries whose lease expired (their worker died or hung)."""
    now = timezone.now()
    expired = leased_rows().filter(lease_until__lt=now)
    if not _any(expired):  # usually none: a read (see ``pending``)
        return 0
    with transaction.atomic():
        cancelled = expired.filter(message__state=Message.State.CANCELLED).update(
            state=Delivery.State.CANCELLED, lease_until=None, leased_by=""
        )
        queued = expired.update(
            state=Delivery.State.QUEUED, lease_until=None, leased_by="", next_attempt_at=now
        )
    return cancelled + queued


def pending() -> tuple[bool, bool]:
    """(queued deliveries exist, leases are held): work that is not due yet.

    Each probe is ordered as its partial index is (``delivery_queue``, ``delivery_leases``),
    so that it reads the index whatever the statistics say: as a plain EXISTS, with
    statistics from before a send, PostgreSQL expected a queued row at once and read the
    whole table to find none (15 ms at 60,000 deliveries, on every idle pass)."""
    return _any(queued_rows()), _any(leased_rows())


def queued_rows() -> QuerySet[Delivery]:
    """Queued deliveries, in the order of their index."""
    return Delivery.objects.filter(state=Delivery.State.QUEUED).order_by(
        "channel", "priority", "next_attempt_at", "id"
    )


def leased_rows() -> QuerySet[Delivery]:
    """Leased deliveries, in the order of their index, whose condition this is. A lease is
    held exactly while a delivery is being sent (a check constraint): no condition on the
    state, which the planner could answer through an index of the state (see ``_update``)."""
    return Delivery.objects.filter(lease_until__isnull=False).order_by("lease_until")


def _any(rows: QuerySet[Delivery]) -> bool:
    """Whether ``rows`` has a row, read in its own order (``exists()`` drops the order)."""
    return bool(rows.values_list("pk", flat=True)[:1])
