"""Write and verify audit events."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction
from django.utils import timezone

from warden.audit.context import current_origin
from warden.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "summary": event.summary,
        "before": event.before,
        "after": event.after,
        "source_ip": event.source_ip,
        "channel": event.channel,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _lock_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    return head


@dataclass(frozen=True)
class Entry:
    """One audit event to append (``record_many``): what ``record`` takes, as a value."""

    action: str
    obj: models.Model | None = None
    actor: User | AnonymousUser | None = None
    summary: str = ""
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


def record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event in the caller's transaction.

    Never pass personal data (names, emails, phone numbers) in ``summary``/``before``/``after``.
    """
    return record_many([Entry(action, obj, actor, summary, before, after)])[0]


def record_many(entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append several audit events, in order, in the caller's transaction: the chain's head
    is locked once and the rows go in with one insert (a batch of answers, for instance)."""
    if not entries:
        return []
    origin = current_origin()
    with transaction.atomic():
        head = _lock_head()
        previous = head.last_hash
        events = []
        for entry in entries:
            actor = entry.actor
            user = actor if actor is not None and actor.is_authenticated else None
            obj = entry.obj
            event = AuditEvent(
                occurred_at=timezone.now(),
                actor_id=user.pk if user is not None else None,
                actor_name=user.get_username() if user is not None else origin.channel,
                action=entry.action,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                object_repr=str(obj)[:200] if obj is not None else "",
                summary=entry.summary,
                before=entry.before,
                after=entry.after,
                source_ip=origin.source_ip,
                channel=origin.channel,
                request_id=origin.request_id,
                prev_hash=previous,
            )
            event.hash = previous = event_hash(event)
            events.append(event)
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(pk=head.pk).update(
            last_hash=previous, last_event_id=events[-1].pk
        )
    return events


@dataclass(frozen=True)
class ChainProblem:
    event_id: int | None
    reason: str


def chain_verify() -> Iterator[ChainProblem]:
    """Yield every break in the chain: edited rows, removed rows, a rewound head."""
    expected_prev = GENESIS
    last: AuditEvent | None = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            yield ChainProblem(
                event.pk, "previous hash does not match: a row before it was removed or changed"
            )
        if event_hash(event) != event.hash:
            yield ChainProblem(event.pk, "contents do not match the hash: the row was changed")
        expected_prev = event.hash
        last = event
    head = AuditChainHead.objects.filter(pk=1).first()
    head_hash = head.last_hash if head else GENESIS
    if head_hash != (last.hash if last else GENESIS):
        yield ChainProblem(
            None, "the newest rows were removed: the chain head does not match the last row"
        )
