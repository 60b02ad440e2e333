"""A fixed-window request counter kept in the database.

Django's cache would be simpler, but Warden configures no ``CACHES``: the default
LocMemCache lives in one process, and with several gunicorn workers each would count
alone. One small table (``RateCounter``) is shared by every process; old windows are
deleted as new ones start.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from warden.people.models import RateCounter


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def counter_key(kind: str, value: str) -> str:
    """What is stored: a hash, so the table holds no address (IP or email index)."""
    return hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest()


def hit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one request for ``key``; False when it is over ``limit`` in this window."""
    now = timezone.now()
    start = _window(now, seconds)
    RateCounter.objects.filter(window_start__lt=now - timedelta(seconds=2 * seconds)).delete()
    updated = RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    if not updated:
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, count=1)
        except IntegrityError:  # another request created it in between
            RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
    count = RateCounter.objects.filter(key=key, window_start=start).values_list("count", flat=True)
    return (count.first() or 0) <= limit
