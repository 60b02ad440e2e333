"""Batches in a pipeline: the next batch is claimed and the last one recorded while one is
being handed off, on the sender's own thread; no batch is left in flight."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from warden.alerting import queue
from warden.alerting import sender as sender_module
from warden.alerting.models import Attempt, Delivery, ProviderHealth
from warden.alerting.tests.helpers import expand_all, present
from warden.alerting.transports import registry
from warden.alerting.transports.base import Outcome
from warden.alerting.transports.webhook import WebhookTransport
from warden.test import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]


@pytest.fixture
def five_emails(settings: Any, turkey, alice, bob) -> Any:
    """Five email deliveries queued, sent in batches of two through the sandbox."""
    settings.WARDEN_ALERT_EMAIL_URLS = ["sandbox:"]
    settings.WARDEN_ALERT_BATCH = 2
    registry.reset()
    for index in range(5):
        present(f"Person{index}", email=f"p{index}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    assert Delivery.objects.filter(channel="email").count() == 5
    return settings


def _spy(monkeypatch: Any, calls: list[tuple[str, int]]) -> None:
    """Record each claim and each recording, with how many deliveries it covered."""
    claim, record = queue.claim, queue.record_results

    def claiming(*args: Any, **kwargs: Any) -> list[queue.Claimed]:
        claimed = claim(*args, **kwargs)
        calls.append(("claim", len(claimed)))
        return claimed

    def recording(results: Any, **kwargs: Any) -> dict[str, int]:
        calls.append(("record", len(results)))
        return record(results, **kwargs)

    monkeypatch.setattr(queue, "claim", claiming)
    monkeypatch.setattr(queue, "record_results", recording)


def test_the_next_batch_is_claimed_before_the_one_in_flight_is_recorded(
    five_emails, sender, monkeypatch
):
    calls: list[tuple[str, int]] = []
    _spy(monkeypatch, calls)

    assert sender.send_batches("email", 3) == 5

    # One batch at a time would read claim, record, claim, record, claim, record.
    assert calls == [
        ("claim", 2),
        ("claim", 2),
        ("record", 2),
        ("claim", 1),
        ("record", 2),
        ("record", 1),
    ]
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert Attempt.objects.filter(ok=True).count() == 5


def test_it_stops_when_nothing_is_left_and_sends_no_more_than_asked(
    five_emails, sender, monkeypatch
):
    calls: list[tuple[str, int]] = []
    _spy(monkeypatch, calls)

    assert sender.send_batches("email", 2) == 4
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == 1
    assert sender.send_batches("email", 5) == 1
    assert calls[-3:] == [("claim", 1), ("claim", 0), ("record", 1)]
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()


def test_the_batch_in_flight_is_recorded_when_claiming_the_next_one_fails(
    five_emails, sender, monkeypatch
):
    claim = queue.claim
    claims = 0

    def failing(*args: Any, **kwargs: Any) -> list[queue.Claimed]:
        nonlocal claims
        claims += 1
        if claims == 2:
            raise RuntimeError("the database went away")
        return claim(*args, **kwargs)

    monkeypatch.setattr(queue, "claim", failing)

    with pytest.raises(RuntimeError, match="went away"):
        sender.send_batches("email", 3)

    states = sorted(Delivery.objects.values_list("state", flat=True))
    assert states == ["queued", "queued", "queued", "sent", "sent"]
    assert not Delivery.objects.filter(state=Delivery.State.SENDING).exists()


def test_sends_run_on_the_senders_thread_and_queries_on_the_callers(
    five_emails, sender, monkeypatch
):
    (transport,) = registry.providers("email")
    send = transport.send
    sending: set[int] = set()
    recording: set[int] = set()

    async def watched(out: Any) -> Any:
        sending.add(threading.get_ident())
        return await send(out)

    record = queue.record_results

    def watched_record(*args: Any, **kwargs: Any) -> dict[str, int]:
        recording.add(threading.get_ident())
        return record(*args, **kwargs)

    monkeypatch.setattr(transport, "send", watched)
    monkeypatch.setattr(queue, "record_results", watched_record)

    assert sender.send_batches("email", 3) == 5
    assert sending == {sender.thread.ident}
    assert recording == {threading.get_ident()}
    assert sender.thread.ident != threading.get_ident()


def test_closing_the_sender_stops_its_thread(settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["sandbox:"]
    registry.reset()
    sending = sender_module.Sender()
    assert sending.thread.is_alive()
    registry.providers("email")
    sending.close()
    assert not sending.thread.is_alive()
    assert sending.loop.is_closed()


def test_no_batch_is_started_once_the_time_is_up(five_emails, sender, monkeypatch):
    calls: list[tuple[str, int]] = []
    _spy(monkeypatch, calls)
    clock = [1000.0]
    sender.clock = lambda: clock[0]
    start = sender.start

    def slow(*args: Any, **kwargs: Any) -> Any:
        clock[0] += 0.6  # each batch takes 0.6 s of a 1 s allowance
        return start(*args, **kwargs)

    monkeypatch.setattr(sender, "start", slow)

    assert sender.send_batches("email", 10, seconds=1.0) == 4
    # Two batches started within the second; the third was not, and both were recorded.
    assert calls == [("claim", 2), ("claim", 2), ("record", 2), ("record", 2)]
    assert Delivery.objects.filter(state=Delivery.State.QUEUED).count() == 1


def test_a_success_claimed_before_a_failure_was_recorded_still_resets_the_count(
    five_emails, sender, monkeypatch
):
    five_emails.WARDEN_ALERT_FAILOVER_AFTER = 100
    (transport,) = registry.providers("email")
    ProviderHealth.objects.create(name=transport.name)  # clean
    first = set(Delivery.objects.order_by("id").values_list("pk", flat=True)[:2])
    send = transport.send

    async def failing_first_batch(out: Any) -> Outcome:
        if out.delivery_id in first:
            return Outcome.retry("HTTP 500: busy")
        return await send(out)

    monkeypatch.setattr(transport, "send", failing_first_batch)

    # The second batch is claimed while the row is still clean, before the first batch's
    # two failures are written; its successes must still be written after them.
    assert sender.send_batches("email", 2) == 4

    health = ProviderHealth.objects.get(name=transport.name)
    assert (health.failures, health.last_error) == (0, "HTTP 500: busy")
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 2


def test_closing_closes_the_transports_built_under_settings_since_changed(settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["sandbox:"]
    settings.WARDEN_ALERT_WEBHOOK_URLS = ["direct:"]
    registry.reset()
    sending = sender_module.Sender()
    (hook,) = registry.providers("webhook")
    assert isinstance(hook, WebhookTransport)

    async def open_session() -> Any:  # as a first send does, on the sender's loop
        return hook.http._session()

    session = asyncio.run_coroutine_threadsafe(open_session(), sending.loop).result()
    settings.WARDEN_ALERT_WEBHOOK_URLS = []  # as a test's settings are put back

    assert hook in registry.all_built()
    sending.close()
    assert session.closed
    assert registry.all_built() == []
