"""Sending the codes that verify phone numbers and messaging addresses (``PhoneCode``;
``warden.people.services.codes`` makes and checks them).

A worker step (``codes_send``): each code due is claimed, so that one worker sends it, and
goes out over its contact point's channel, in the person's language, through the channel's
providers in failover order (skipping an open circuit or an empty rate bucket), on the
sender's loop as deliveries do. A failed send is tried again after ``RETRY_SECONDS``, at
most ``SEND_ATTEMPTS`` times while the code is valid; what the provider answered is kept on
the code, never the code in a log.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.alerting import limits
from warden.alerting.sender import Sender
from warden.alerting.transports import registry
from warden.alerting.transports.base import Outcome, Outgoing
from warden.people.models import PhoneCode

log = logging.getLogger(__name__)
SEND_ATTEMPTS = 3
RETRY_SECONDS = 15
BATCH = 50
# A claimed code's sends end well within this (each is bounded by its transport's timeout).
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
    PhoneCode.objects.filter(expires_at__lte=now).delete()
    with transaction.atomic():
        # Claimed: due again only after CLAIM_SECONDS, so that another worker does not send
        # it too, and a worker that dies while sending leaves it to the next.
        claimed = list(
            PhoneCode.objects.select_for_update(skip_locked=True)
            .filter(send_at__lte=now, expires_at__gt=now)
            .order_by("send_at", "id")
            .values_list("pk", flat=True)[:BATCH]
        )
        PhoneCode.objects.filter(pk__in=claimed).update(
            send_at=now + timedelta(seconds=CLAIM_SECONDS)
        )
    due = list(
        PhoneCode.objects.filter(pk__in=claimed)
        .select_related("contact_point__person")
        .order_by("send_at", "id")
    )
    for code in due:
        outcome, provider = send_one(code, sender())
        attempts = code.send_attempts + 1
        fields = {"send_attempts": attempts, "send_error": outcome.error[:300]}
        if outcome.ok:
            fields |= {"sent_at": timezone.now(), "send_at": None}
        elif outcome.permanent or attempts >= SEND_ATTEMPTS:
            fields |= {"send_at": None}
        else:
            fields |= {"send_at": timezone.now() + timedelta(seconds=RETRY_SECONDS)}
        # By key and only the sending's columns: meanwhile the person may have typed a
        # wrong code, or asked for a new one (this one is gone then).
        PhoneCode.objects.filter(pk=code.pk).update(**fields)
        log.info(
            "code for contact point %s via %s: %s", code.contact_point_id, provider, outcome.ok
        )
    return bool(due)


def send_one(code: PhoneCode, sender: Sender) -> tuple[Outcome, str]:
    """Send ``code`` by the first provider of its channel that takes it; (outcome, provider)."""
    point = code.contact_point
    out = Outgoing(
        delivery_id=0,  # not a delivery: the provider's reference names none
        message_id=0,
        channel=point.channel,
        address=point.value,
        language=point.person.language,
        text=code_text(code.code, point.person.language),
    )
    outcome, name = Outcome.retry("no provider for this channel is available"), ""
    for transport in registry.providers(point.channel):
        if limits.is_open(transport.name) or not limits.take_tokens(transport, 1):
            continue
        name = transport.name
        sending = asyncio.run_coroutine_threadsafe(transport.send(out), sender.loop)
        try:
            outcome = sending.result(timeout=transport.timeout + 5)
        except Exception as exc:  # a transport bug or a hung send: try the next provider
            sending.cancel()
            outcome = Outcome.retry(f"{type(exc).__name__}")
        transport.after_batch()
        failed = not outcome.ok and not outcome.permanent
        limits.report(
            name, successes=int(outcome.ok), failures=int(failed), last_error=outcome.error
        )
        if not failed:
            break
    return outcome, name
