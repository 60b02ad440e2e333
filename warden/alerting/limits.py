"""State every worker shares through the database: rate buckets and provider health.

Rate: a token bucket per provider (``?rate=N`` on its URL: N sends per second, bursts up to
one second's worth). A worker takes tokens before it claims a batch, so all workers
together stay under the provider's limit.

Health: consecutive failures per provider. After ``ALERT_FAILOVER_AFTER`` of them the
provider's circuit opens for ``ALERT_FAILOVER_SECONDS`` and its channel uses the next
provider; one success closes it.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from warden.alerting.models import ProviderHealth, RateBucket
from warden.alerting.transports.base import Transport


def take_tokens(transport: Transport, want: int) -> int:
    """How many sends ``transport`` may start now (up to ``want``)."""
    if transport.rate is None or want <= 0:
        return want
    rate = transport.rate
    now = timezone.now()
    with transaction.atomic():
        bucket, _created = RateBucket.objects.select_for_update().get_or_create(
            key=transport.name, defaults={"tokens": rate, "updated_at": now}
        )
        elapsed = max(0.0, (now - bucket.updated_at).total_seconds())
        tokens = min(max(rate, 1.0), bucket.tokens + elapsed * rate)
        granted = min(want, math.floor(tokens))
        bucket.tokens = tokens - granted
        bucket.updated_at = now
        bucket.save(update_fields=["tokens", "updated_at"])
    return granted


def give_back(transport: Transport, unused: int) -> None:
    """Return tokens taken for sends that were not claimed."""
    if transport.rate is None or unused <= 0:
        return
    with transaction.atomic():
        bucket = RateBucket.objects.select_for_update().filter(key=transport.name).first()
        if bucket is not None:
            bucket.tokens = min(max(transport.rate, 1.0), bucket.tokens + unused)
            bucket.save(update_fields=["tokens"])


def is_open(name: str) -> bool:
    """True while the provider's circuit is open (it is skipped)."""
    health = ProviderHealth.objects.filter(name=name).only("open_until").first()
    return bool(health and health.open_until and health.open_until > timezone.now())


def report(name: str, *, successes: int, failures: int, last_error: str = "") -> None:
    """Record a batch's results for ``name``: any success closes the circuit; a run of
    failures opens it."""
    if not successes and not failures:
        return
    with transaction.atomic():
        health, _ = ProviderHealth.objects.select_for_update().get_or_create(name=name)
        if successes:
            health.failures = failures
            health.open_until = None
        else:
            health.failures += failures
        if failures:
            health.last_error = last_error[:500]
        if health.failures >= settings.WARDEN_ALERT_FAILOVER_AFTER and not successes:
            health.open_until = timezone.now() + timedelta(
                seconds=settings.WARDEN_ALERT_FAILOVER_SECONDS
            )
        health.save()
