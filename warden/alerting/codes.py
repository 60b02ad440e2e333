"""Sending the codes that verify phone numbers and messaging addresses (``PhoneCode``;
``warden.people.services.codes`` makes and checks them).

A worker step (``codes_send``): the codes due are claimed, so that one worker sends them,
and go out at once over their contact points' channels, in each person's language, on the
sender's loop, within each provider's rate bucket. A code's first try goes through the
provider a batch of deliveries would use (the first whose circuit is closed); a failed
send is tried again after ``RETRY_SECONDS`` through the next provider whose circuit is
closed, at most ``SEND_ATTEMPTS`` times while the code is valid. A circuit opens only
after ``ALERT_FAILOVER_AFTER`` failures (five), more than a code's tries: a code kept on
a failing provider would never reach the person while another provider could take it.
What the provider answered is kept on the code, never the code in a log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.alerting import limits
from warden.alerting.sender import Sender
from warden.alerting.transports.base import Outcome, Outgoing, Transport
from warden.people.models import PhoneCode

log = logging.getLogger(__name__)
SEND_ATTEMPTS = 3
RETRY_SECONDS = 15
BATCH = 50
# The codes of a step are sent at once, each within its provider's timeout and this grace;
# a claimed code is due again after CLAIM_SECONDS, well past that.
SEND_GRACE_SECONDS = 5
CLAIM_SECONDS = 120


def code_text(code: str, language: str) -> str:
    """The text that carries ``code``: one SMS segment in English and in Hebrew."""
    with translation.override(language):
        return _(
            "Warden code: %(code)s. Type it on your registration page within %(minutes)d minutes."
        ) % {"code": code, "minutes": settings.WARDEN_VERIFICATION_CODE_MINUTES}


def codes_send(sender: Callable[[], Sender]) -> bool:
    """Send the codes that are due, and forget the expired ones; whether any was due.
    ``sender`` gives the worker's sender, made only when a code is due."""
    now = timezone.now()
    # Reads first: the step runs every second on every worker, and on SQLite a write
    # statement takes the database's one write lock even when it changes nothing.
    expired = PhoneCode.objects.filter(expires_at__lte=now)
    if expired.exists():
        expired.delete()
    pending = PhoneCode.objects.filter(send_at__lte=now, expires_at__gt=now)
    if not pending.exists():
        return False
    with transaction.atomic():
        # Claimed: due again only after CLAIM_SECONDS, so that another worker does not send
        # it too, and a worker that dies while sending leaves it to the next.
        claimed = list(
            pending.select_for_update(skip_locked=True)
            .order_by("send_at", "id")
            .values_list("pk", flat=True)[:BATCH]
        )
        PhoneCode.objects.filter(pk__in=claimed).update(
            send_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    due = list(
        PhoneCode.objects.filter(pk__in=claimed)
        .select_related("contact_point__person")
        .order_by("id")
    )
    if not due:  # another worker claimed them first
        return False
    by_channel: dict[str, list[PhoneCode]] = {}
    for code in due:
        by_channel.setdefault(code.contact_point.channel, []).append(code)
    worker_sender = sender()
    for channel, codes in by_channel.items():
        available = [transport for transport, _clean in worker_sender.providers(channel)]
        if not available:
            for code in codes:
                _record(code, Outcome.retry("no provider for this channel is available"), "")
            continue
        # The first try by the first provider; each retry by the next one.
        by_provider: dict[int, list[PhoneCode]] = {}
        for code in codes:
            by_provider.setdefault(code.send_attempts % len(available), []).append(code)
        for index, group in sorted(by_provider.items()):
            transport = available[index]
            outcomes = send_channel(transport, channel, group, worker_sender)
            for code, outcome in zip(group, outcomes, strict=True):
                _record(code, outcome, transport.name)
    return True


def send_channel(
    transport: Transport, channel: str, codes: Sequence[PhoneCode], sender: Sender
) -> list[Outcome | None]:
    """Send ``codes`` of ``channel`` at once through ``transport``, as a batch of deliveries
    is sent: as many as its rate bucket allows (the rest get None: not attempted), each
    within the provider's timeout, with one report of the provider's health. Returns the
    outcomes in the order of ``codes``."""
    granted = limits.take_tokens(transport, len(codes))
    outs = [
        Outgoing(
            delivery_id=0,  # not a delivery: the provider's reference names none
            message_id=0,
            channel=channel,
            address=code.contact_point.value,
            language=code.contact_point.person.language,
            text=code_text(code.code, code.contact_point.person.language),
        )
        for code in codes[:granted]
    ]
    outcomes = asyncio.run_coroutine_threadsafe(_send_all(transport, outs), sender.loop).result()
    transport.after_batch()
    failures = [outcome for outcome in outcomes if not outcome.ok and not outcome.permanent]
    limits.report(
        transport.name,
        successes=sum(outcome.ok for outcome in outcomes),
        failures=len(failures),
        last_error=failures[-1].error if failures else "",
    )
    return [*outcomes, *[None] * (len(codes) - granted)]


async def _send_all(transport: Transport, outs: Sequence[Outgoing]) -> list[Outcome]:
    async def one(out: Outgoing) -> Outcome:
        try:
            async with asyncio.timeout(transport.timeout + SEND_GRACE_SECONDS):
                return await transport.send(out)
        except Exception as exc:  # a transport bug or a hung send: tried again later
            return Outcome.retry(type(exc).__name__)

    return list(await asyncio.gather(*(one(out) for out in outs)))


def _record(code: PhoneCode, outcome: Outcome | None, provider: str) -> None:
    """Write what sending ``code`` came to; by key and only the sending's columns, as the
    person may have typed a wrong code meanwhile, or asked for a new one (then this one is
    gone). A code past the rate limit (``None``) is due again at once, not counted."""
    if outcome is None:
        PhoneCode.objects.filter(pk=code.pk).update(send_at=timezone.now())
        return
    attempts = code.send_attempts + 1
    fields = {"send_attempts": attempts, "send_error": outcome.error[:300]}
    if outcome.ok:
        fields |= {"sent_at": timezone.now(), "send_at": None}
    elif outcome.permanent or attempts >= SEND_ATTEMPTS:
        fields |= {"send_at": None}
    else:
        fields |= {"send_at": timezone.now() + timedelta(seconds=RETRY_SECONDS)}
    PhoneCode.objects.filter(pk=code.pk).update(**fields)
    log.info("code for contact point %s via %s: %s", code.contact_point_id, provider, outcome.ok)
