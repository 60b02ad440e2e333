from __future__ import annotations

import gc
import os
import signal
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from warden.audit.models import AuditEvent
from warden.ops import worker
from warden.ops.worker import Step, Worker
from warden.test import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue(authority, turkey, alice, bob):
    """A current edition whose review date passed a month ago."""
    effective = timezone.now() - timedelta(days=400)
    return publish(turkey, 2, author=alice, approver=bob, effective_at=effective)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def counting_step(
    name: str, calls: list[str], *, found: bool = False, interval: float | None = None
) -> Step:
    def run() -> bool:
        calls.append(name)
        return found

    return Step(name, run, interval=(lambda: interval) if interval is not None else None)


def test_each_step_has_its_own_name():
    names = [step.name for step in worker.STEPS]
    assert len(names) == len(set(names))


def test_the_snapshot_step_finds_no_work_when_snapshots_are_off(settings, overdue):
    settings.WARDEN_SNAPSHOT_DIR = ""
    assert worker.public_snapshots() is False


def test_the_review_step_says_whether_it_found_work(overdue):
    assert worker.review_reminders() is True
    assert worker.review_reminders() is False
    assert len(mail.outbox) == 1


def test_a_burst_sends_each_review_reminder_once_across_runs(overdue, alice):
    call_command("worker", "--burst")
    call_command("worker", "--burst")

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [alice.email]
    assert mail.outbox[0].subject.startswith("Review overdue")


def test_the_worker_writes_audit_rows_as_the_worker(overdue):
    call_command("worker", "--burst")

    event = AuditEvent.objects.get(action="advisory.review.overdue")
    assert (event.channel, event.actor_name, event.actor_id) == ("worker", "worker", None)


def test_a_burst_with_nothing_to_do_returns_at_once():
    call_command("worker", "--burst")

    assert mail.outbox == []


def test_a_scheduled_step_waits_for_its_interval():
    calls: list[str] = []
    clock = Clock()
    loop = Worker([counting_step("hourly", calls, interval=3600)], clock=clock)

    loop.run_pass()
    clock.now += 3599
    loop.run_pass()
    clock.now += 1
    loop.run_pass()

    assert calls == ["hourly", "hourly"]


def test_a_burst_honours_intervals_once_a_step_has_run():
    calls: list[str] = []
    remaining = [5]

    def send() -> bool:
        calls.append("send")
        remaining[0] -= 1
        return remaining[0] >= 0

    clock = Clock()
    steps = [Step("send", send), counting_step("checkins", calls, interval=15)]
    Worker(steps, burst=True, clock=clock).run()

    # Once while sending, then once more before exiting (the pass that found nothing).
    assert calls.count("checkins") == 2
    assert calls.count("send") == 6
    assert calls[-2:] == ["send", "checkins"]


def test_a_burst_runs_the_waiting_steps_before_exiting_and_goes_on_if_they_find_work():
    calls: list[str] = []
    pages = [2]

    def paged() -> bool:
        calls.append("paged")
        pages[0] -= 1
        return pages[0] >= 0

    clock = Clock()
    steps = [counting_step("send", calls), Step("paged", paged, interval=lambda: 3600)]
    Worker(steps, burst=True, clock=clock).run()

    assert calls.count("paged") == 3
    assert calls[-1] == "paged"


def test_a_burst_that_skips_nothing_exits_after_one_pass():
    calls: list[str] = []
    Worker([counting_step("send", calls), counting_step("hourly", calls, interval=3600)],
           burst=True).run()  # fmt: skip

    assert calls == ["send", "hourly"]


def test_a_due_step_runs_in_a_burst_when_its_interval_has_passed():
    calls: list[str] = []
    clock = Clock()
    loop = Worker([counting_step("hourly", calls, interval=3600)], burst=True, clock=clock)

    loop.run_pass()
    loop.run_pass()
    clock.now += 3600
    loop.run_pass()

    assert calls == ["hourly", "hourly"]


def test_a_burst_repeats_passes_until_one_finds_nothing():
    remaining = [3]

    def drain() -> bool:
        remaining[0] -= 1
        return remaining[0] >= 0

    Worker([Step("drain", drain)], burst=True).run()

    assert remaining == [-1]


def test_sigterm_lets_the_current_step_finish_then_stops(monkeypatch):
    calls: list[str] = []

    def interrupted() -> bool:
        calls.append("started")
        os.kill(os.getpid(), signal.SIGTERM)
        calls.append("finished")
        return True  # there is more work: only the signal ends the loop

    monkeypatch.setattr(worker, "STEPS", (Step("interrupted", interrupted),))
    before = signal.getsignal(signal.SIGTERM)
    call_command("worker")

    assert calls == ["started", "finished"]
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_failing_step_does_not_stop_the_others_but_fails_a_burst(monkeypatch):
    calls: list[str] = []

    def broken() -> bool:
        raise RuntimeError("provider down")

    steps = (Step("broken", broken), counting_step("next", calls))
    monkeypatch.setattr(worker, "STEPS", steps)

    with pytest.raises(CommandError, match="1 worker step failed"):
        call_command("worker", "--burst")
    assert calls == ["next"]


def test_what_is_loaded_is_frozen_for_the_collector_while_the_worker_runs():
    assert gc.get_freeze_count() == 0
    before = gc.get_threshold()
    seen: list[tuple[int, tuple[int, ...]]] = []

    def step() -> bool:
        seen.append((gc.get_freeze_count(), gc.get_threshold()))
        return False

    Worker([Step("look", step)], burst=True).run()

    frozen, threshold = seen[0]
    assert frozen > 0
    assert threshold == (worker.GC_YOUNG, *before[1:]) != before
    assert gc.get_freeze_count() == 0  # unfrozen: a test process goes on collecting
    assert gc.get_threshold() == before


def test_an_exception_out_of_the_loop_still_unfreezes_and_restores_the_collector(monkeypatch):
    def broken() -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(worker, "refresh_connections", broken)
    with pytest.raises(KeyboardInterrupt):
        before = gc.get_threshold()
        Worker([Step("idle", lambda: False)], burst=True).run()
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
