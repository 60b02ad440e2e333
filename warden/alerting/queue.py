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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from warden.alerting.models import Attempt, Delivery, Message
from warden.alerting.transports.base import Outcome
from warden.lib.bulk import bulk_insert, db_moment
from warden.people.audience import id_set

TABLE = Delivery._meta.db_table
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


def claim(channel: str, limit: int, worker: str) -> list[int]:
    """Lease up to ``limit`` due deliveries of ``channel``, most urgent first."""
    if limit <= 0:
        return []
    now = timezone.now()
    lease = now + timedelta(seconds=settings.WARDEN_ALERT_LEASE_SECONDS)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    sql = (
        f"UPDATE {TABLE} SET state = 'sending', lease_until = %s, leased_by = %s, "  # noqa: S608
        "attempts = attempts + 1 "
        f"WHERE id IN (SELECT id FROM {TABLE} WHERE state = 'queued' AND channel = %s "
        "AND next_attempt_at <= %s ORDER BY priority, next_attempt_at, id "
        f"LIMIT %s{lock}) RETURNING id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [db_moment(lease), worker, channel, db_moment(now), limit])
        return sorted(row[0] for row in cursor.fetchall())


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    message_id: int
    channel: str
    language: str
    attempts: int
    address: str
    name: str


def load(ids: Sequence[int]) -> list[Claimed]:
    """The claimed deliveries with their decrypted address and the person's given name."""
    rows = (
        Delivery.objects.filter(id__in=id_set(list(ids)), id__gte=ids[0], id__lte=ids[-1])
        .order_by("id")
        .values_list(
            "id",
            "message_id",
            "channel",
            "language",
            "attempts",
            "contact_point__value",
            "person__given_name",
        )
    )
    return [Claimed(*row) for row in rows]


@dataclass(frozen=True)
class Result:
    delivery_id: int
    attempt: int
    started_at: datetime
    duration_ms: int
    outcome: Outcome


def record_results(
    results: Sequence[Result], *, channel: str, provider: str, worker: str
) -> dict[str, int]:
    """Write each delivery's new state and its Attempt, for deliveries still leased by
    ``worker`` (a swept lease belongs to someone else now). Returns counts by new state."""
    now = timezone.now()
    limit = max_attempts(channel)
    sent: list[tuple[Any, ...]] = []
    retry: list[tuple[Any, ...]] = []
    failed: list[tuple[Any, ...]] = []
    attempts: list[tuple[Any, ...]] = []
    for result in results:
        outcome = result.outcome
        if outcome.ok:
            sent.append(
                (db_moment(now), provider, outcome.provider_ref, result.delivery_id, worker)
            )
        elif outcome.permanent or result.attempt >= limit:
            failed.append((provider, outcome.error, result.delivery_id, worker))
        else:
            due = now + timedelta(seconds=backoff(result.attempt, outcome.retry_after))
            retry.append((db_moment(due), provider, outcome.error, result.delivery_id, worker))
        attempts.append(
            (
                result.delivery_id,
                result.attempt,
                db_moment(result.started_at),
                result.duration_ms,
                provider,
                outcome.ok,
                outcome.response[:500],
                outcome.error[:500],
            )
        )
    where = "WHERE id = %s AND state = 'sending' AND leased_by = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        if sent:
            cursor.executemany(
                f"UPDATE {TABLE} SET state = 'sent', sent_at = %s, provider = %s, "  # noqa: S608
                f"provider_ref = %s, lease_until = NULL, leased_by = '', error = '' {where}",
                sent,
            )
        if retry:
            cursor.executemany(
                f"UPDATE {TABLE} SET state = 'queued', next_attempt_at = %s, provider = %s, "  # noqa: S608
                f"error = %s, lease_until = NULL, leased_by = '' {where}",
                retry,
            )
        if failed:
            cursor.executemany(
                f"UPDATE {TABLE} SET state = 'failed', provider = %s, error = %s, "  # noqa: S608
                f"lease_until = NULL, leased_by = '' {where}",
                failed,
            )
        bulk_insert(Attempt._meta.db_table, ATTEMPT_COLUMNS, attempts)
    return {"sent": len(sent), "queued": len(retry), "failed": len(failed)}


def cancel_claimed(ids: Sequence[int], worker: str) -> int:
    """Deliveries claimed for a message that was cancelled meanwhile: cancelled, unsent."""
    if not ids:
        return 0
    return Delivery.objects.filter(
        id__in=list(ids), state=Delivery.State.SENDING, leased_by=worker
    ).update(state=Delivery.State.CANCELLED, lease_until=None, leased_by="", error="Cancelled")


def sweep_leases() -> int:
    """Queue again the deliveries whose lease expired (their worker died or hung)."""
    now = timezone.now()
    expired = Delivery.objects.filter(state=Delivery.State.SENDING, lease_until__lt=now)
    with transaction.atomic():
        cancelled = expired.filter(message__state=Message.State.CANCELLED).update(
            state=Delivery.State.CANCELLED, lease_until=None, leased_by=""
        )
        queued = expired.update(
            state=Delivery.State.QUEUED, lease_until=None, leased_by="", next_attempt_at=now
        )
    return cancelled + queued


def pending() -> tuple[bool, bool]:
    """(queued deliveries exist, leases are held): work that is not due yet."""
    queued = Delivery.objects.filter(state=Delivery.State.QUEUED).exists()
    leased = Delivery.objects.filter(state=Delivery.State.SENDING).exists()
    return queued, leased
