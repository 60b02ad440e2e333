"""The worker step of check-in rounds (registered in ``warden.ops.worker.STEPS``)."""

from __future__ import annotations

from django.conf import settings

from warden.welfare import members, schedule, tally


def checkins() -> bool:
    """Open the rounds of new editions, write members, copy delivery outcomes, send due
    reminders and cascade steps, and fold the running totals of busy rounds."""
    opened = schedule.auto_open_step()
    populated = members.populate_step()
    synced = members.sync_step()
    advanced = schedule.advance_step()
    compacted = tally.compact_step()
    return opened or populated or synced or advanced or compacted


def interval() -> float:
    return float(settings.WARDEN_CHECKIN_INTERVAL)
