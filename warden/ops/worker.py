"""The worker: a loop over one-step functions.

A step does one bounded piece of work and returns whether it found any. The loop runs every
step that is due, pass after pass; when a whole pass finds nothing it sleeps (or, in burst
mode, exits). Stopping is asked for between steps, so a step is never cut off half-way.

To add a step (delivery sending, lease sweeping, check-in deadlines...), write a function
``() -> bool`` in the app that owns the work and add one ``Step`` line to ``STEPS``. A step
that must not run on every pass gives an ``interval``; an urgent one (sending alerts) gives
none and comes first. Intervals hold in burst mode too; a burst exits once a pass finds no
work and the steps that pass skipped for their interval, run at once, find none either.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from warden.audit.context import origin
from warden.incidents import worker as incident_worker
from warden.ops.conf import review_interval, worker_idle_seconds
from warden.welfare import steps as welfare_steps

log = logging.getLogger(__name__)
# The garbage collector's young generation while the worker runs (Python's default: 700).
GC_YOUNG = 10_000


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[], bool]
    # Seconds between two runs, read on each pass; None runs the step on every pass.
    interval: Callable[[], float] | None = None
    # Called once when the worker stops (release connections).
    close: Callable[[], None] | None = None


def alert_expand() -> bool:
    """Create the deliveries of new messages, page by page (alerting)."""
    from warden.alerting.steps import alert_expand as step

    return step()


def alert_send() -> bool:
    """Claim, send and record a few batches per channel (alerting)."""
    from warden.alerting.steps import alert_send as step

    return step()


def alert_codes() -> bool:
    """Send the codes that verify phone numbers and messaging addresses (alerting)."""
    from warden.alerting.steps import alert_codes as step

    return step()


def alert_sweep() -> bool:
    """Queue again deliveries whose worker's lease expired (alerting)."""
    from warden.alerting.steps import alert_sweep as step

    return step()


def _alert_close() -> None:
    from warden.alerting.steps import close

    close()


def welfare_answers() -> bool:
    """Record a batch of the answers people sent (welfare inbox). Only a full batch counts
    as finding work: after a partial one the worker may rest, and answers gather into the
    next batch instead of going one transaction each while they stream in."""
    from warden.welfare.services.inbox import answers_apply

    return answers_apply() >= settings.WARDEN_ANSWER_BATCH


def _codes_interval() -> float:
    """A person waits for the code: looked for every second, not on every pass (a pass
    takes a fraction of a second while alerts are being sent)."""
    return 1.0


def _sweep_interval() -> float:
    return 5.0


def post_tripwires() -> bool:
    """Evaluate every post's tripwires; hits move posts to watch (missions)."""
    from warden.missions.services import tripwires_check

    return tripwires_check()


def _tripwire_interval() -> float:
    return float(settings.WARDEN_TRIPWIRE_INTERVAL)


def review_reminders() -> bool:
    """Send the review reminders that are due (advisories)."""
    from warden.advisories.services import review_reminders_send

    return review_reminders_send() > 0


def public_snapshots() -> bool:
    """Re-render the public snapshots that a publication made stale (site; off by default)."""
    from warden.site.snapshots import refresh_if_stale

    return refresh_if_stale()


def people_retention_purge() -> bool:
    """Delete people whose last departure is past the retention period (people)."""
    from warden.people.retention import retention_purge

    return retention_purge() > 0


def _retention_interval() -> float:
    from warden.people.retention import retention_interval

    return retention_interval()


# In order of urgency: alerting steps (expand audiences, send deliveries, retry, sweep
# leases) and recording people's answers go before the others.
STEPS: tuple[Step, ...] = (
    Step("alert_codes", alert_codes, interval=_codes_interval),
    Step("alert_send", alert_send, close=_alert_close),
    Step("alert_expand", alert_expand),
    Step("welfare_answers", welfare_answers),
    Step("alert_sweep", alert_sweep, interval=_sweep_interval),
    Step("checkins", welfare_steps.checkins, interval=welfare_steps.interval),
    Step("public_snapshots", public_snapshots),
    Step("review_reminders", review_reminders, interval=review_interval),
    Step("people_retention_purge", people_retention_purge, interval=_retention_interval),
    Step("post_tripwires", post_tripwires, interval=_tripwire_interval),
    Step("incident_feeds", incident_worker.feeds_poll, interval=incident_worker.feeds_interval),
)


def refresh_connections() -> None:
    """Drop broken or expired database connections between passes.

    A connection inside a transaction is left alone: the worker never holds one between
    passes, but a test that runs it inside its own transaction does.
    """
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


class Worker:
    """Runs ``steps`` until stopped; with ``burst``, until a pass finds no work."""

    def __init__(
        self,
        steps: Sequence[Step],
        *,
        burst: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.steps = tuple(steps)
        self.burst = burst
        self.clock = clock
        self.stopping = threading.Event()
        self.last_run: dict[str, float] = {}
        self.skipped: list[Step] = []
        self.failures = 0

    def stop(self) -> None:
        self.stopping.set()

    def is_due(self, step: Step) -> bool:
        """A step without an interval always is; one with an interval once that much time
        has passed since it last ran (in burst mode too: sending alerts must not wait for
        the hourly steps on every pass)."""
        if step.interval is None or step.name not in self.last_run:
            return True
        return self.clock() - self.last_run[step.name] >= step.interval()

    def run_step(self, step: Step) -> bool:
        self.last_run[step.name] = self.clock()
        with origin(channel="worker"):
            try:
                return step.run()
            except Exception:
                self.failures += 1
                log.exception("worker step %s failed", step.name)
                return False

    def run_pass(self, steps: Sequence[Step] | None = None) -> bool:
        """Run ``steps`` (default: every step that is due); whether any found work. The
        steps left out for their interval are kept in ``skipped``."""
        found = False
        self.skipped = []
        for step in self.steps if steps is None else steps:
            if self.stopping.is_set():
                break
            if steps is not None or self.is_due(step):
                found = self.run_step(step) or found
            else:
                self.skipped.append(step)
        return found

    def run(self) -> None:
        log.info("worker started: %s", ", ".join(step.name for step in self.steps))
        # What is loaded by now (Django, the apps, the URL conf) lives as long as the
        # process. Frozen, the garbage collector stops walking it at each full collection:
        # 80 ms each, twice in 6 seconds of sending alerts. And a young generation of
        # GC_YOUNG objects instead of 700: sending allocates a few dozen per delivery,
        # nearly all freed by reference counting, so that most collections found nothing.
        # Both undone on the way out, for a worker run inside a longer-lived process (the
        # tests).
        threshold = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(GC_YOUNG, *threshold[1:])
        try:
            self._loop()
        finally:
            gc.set_threshold(*threshold)
            gc.unfreeze()
        log.info("worker stopped")

    def _loop(self) -> None:
        while not self.stopping.is_set():
            refresh_connections()
            found = self.run_pass()
            if self.burst and not found and self.skipped:
                # A burst ends when nothing is left: the steps that waited for their
                # interval run now, and the burst goes on if any of them finds work.
                found = self.run_pass(self.skipped)
            if self.burst and not found:
                break
            if not found:
                self.stopping.wait(worker_idle_seconds())
        for step in self.steps:
            if step.close is not None:
                try:
                    step.close()
                except Exception:
                    log.exception("closing worker step %s failed", step.name)
        refresh_connections()
