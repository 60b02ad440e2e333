"""Reads for the console: per-message counts, rate and ETA; deliveries and attempts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.alerting.models import Delivery, Message

RATE_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class Progress:
    planned: int
    queued: int
    sending: int
    sent: int
    delivered: int
    failed: int
    cancelled: int
    answered: int
    rate: float  # handed off per second over the last minute
    eta_seconds: int | None
    expanding: bool
    # The message's state as staff read it: a message being sent with nothing left to
    # send (every delivery handed off, failed or cancelled) is finished, until a retry
    # is due or new deliveries are added.
    status: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def progress(message: Message) -> Progress:
    deliveries = Delivery.objects.filter(message=message)
    counts = dict(deliveries.values_list("state").annotate(n=Count("id")).order_by())
    since = timezone.now() - RATE_WINDOW
    totals = deliveries.aggregate(
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        recent=Count("id", filter=Q(sent_at__gte=since)),
    )
    rate = totals["recent"] / RATE_WINDOW.total_seconds()
    remaining = counts.get("queued", 0) + counts.get("sending", 0)
    eta = round(remaining / rate) if rate and remaining else (0 if not remaining else None)
    finished = message.state == Message.State.SENDING and not remaining
    return Progress(
        planned=message.planned,
        queued=counts.get("queued", 0),
        sending=counts.get("sending", 0),
        sent=counts.get("sent", 0) + counts.get("delivered", 0),
        delivered=counts.get("delivered", 0),
        failed=counts.get("failed", 0),
        cancelled=counts.get("cancelled", 0),
        answered=totals["answered"],
        rate=round(rate, 1),
        eta_seconds=eta,
        expanding=message.state in (Message.State.PLANNED, Message.State.EXPANDING),
        status=_("Finished") if finished else message.get_state_display(),
    )


def messages_for_console(limit: int = 100) -> QuerySet[Message]:
    return Message.objects.select_related("country", "edition", "statement", "created_by")[:limit]


def deliveries_for_console(
    message: Message, state: str = "", limit: int = 100
) -> QuerySet[Delivery]:
    rows = Delivery.objects.filter(message=message).order_by("-id")
    if state:
        rows = rows.filter(state=state)
    return rows[:limit]


def mask(address: str, channel: str) -> str:
    """Enough of an address to recognise it, not to use it."""
    if channel == "email" and "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}…@{domain}"
    if channel == "sms":
        return f"…{address[-3:]}"
    return f"{address[:12]}…" if len(address) > 12 else address
