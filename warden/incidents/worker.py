"""The incidents app's worker step (registered in ``warden.ops.worker.STEPS``)."""

from __future__ import annotations


def feeds_poll() -> bool:
    """Poll the news feeds that are due and propose incidents from new entries."""
    from warden.incidents.services.feeds import feeds_poll_step

    return feeds_poll_step()


def feeds_interval() -> float:
    from warden.incidents.services.feeds import feed_interval

    return feed_interval()
