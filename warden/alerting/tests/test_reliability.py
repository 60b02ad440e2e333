"""Faults, for real: workers killed with SIGKILL or stopped with SIGTERM mid-run, and a
provider that throttles and fails, with the backoff that follows.

The workers are ``warden worker`` subprocesses on the test database (a file on SQLite, see
conftest.py), sending to an SMTP sink in this process that records each message's
``X-Warden-Delivery`` header: what arrived is reconciled with the rows.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.utils import timezone

from warden.alerting.models import Attempt, Delivery, Message
from warden.alerting.stub import StubState, sms_stub
from warden.alerting.tests.helpers import crowd, expand_all, present
from warden.test import publish

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("authority")]
# Worker processes see only committed rows: their tests commit, then the tables are emptied
# and the migrations' rows restored.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)
HEADER = re.compile(rb"^X-Warden-Delivery: (\d+)\r?$", re.MULTILINE)
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


@dataclass
class Sink:
    """What an SMTP sink received: delivery ids in order of arrival, repeats included."""

    port: int = 0
    ids: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self) -> int:
        with self.lock:
            return len(self.ids)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        found = HEADER.search(envelope.content)
        if found:
            with self.lock:
                self.ids.append(int(found.group(1)))
        return "250 OK"


@pytest.fixture
def sink() -> Iterator[Sink]:
    received = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        received.port = probe.getsockname()[1]
    controller = Controller(received, hostname="127.0.0.1", port=received.port)
    controller.start()
    try:
        yield received
    finally:
        controller.stop()


def database_env() -> dict[str, str]:
    """The test database, as a worker process finds it in its environment."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"DATABASE_URL": "", "SQLITE_PATH": str(db["NAME"])}
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}{port}/{db['NAME']}"}


@pytest.fixture
def start_worker(tmp_path: Path, sink: Sink) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts ``warden worker`` processes that send email to the sink; kills what is left."""
    started: list[subprocess.Popen[bytes]] = []
    base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env = {
        **base,
        **database_env(),
        "DJANGO_SETTINGS_MODULE": "warden.settings",
        "WARDEN_DATA_DIR": str(tmp_path),
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.WARDEN_FIELD_ENCRYPTION_KEYS),
        "BLIND_INDEX_KEY": settings.WARDEN_BLIND_INDEX_KEY,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "SMS_URLS": "",
        "MESSAGING_URLS": "",
        "WEBHOOK_URLS": "",
        "ALERT_LEASE_SECONDS": "3",
        "ALERT_BATCH": "200",
        "WORKER_IDLE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }

    def start(*args: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        worker = subprocess.Popen(
            [sys.executable, "-m", "warden", "worker", *args],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=30)


def wait_until(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def in_flight() -> int:
    return Delivery.objects.filter(state=Delivery.State.SENDING).count()


@COMMITTED
def test_workers_killed_at_random_moments_lose_nothing_and_repeat_only_what_was_in_flight(
    start_worker, sink, turkey, alice, bob
):
    total = 20_000
    crowd(total)
    publish(turkey, 4, author=alice, approver=bob)
    chance = random.Random()
    held_at_kills = 0
    for low, high in ((1_000, 6_000), (8_000, 14_000)):
        threshold = chance.randint(low, high)
        worker = start_worker()
        wait_until(lambda: sink.count() >= threshold, seconds=120, what=f"{threshold} arrivals")  # noqa: B023
        time.sleep(chance.uniform(0, 0.3))
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        held_at_kills += in_flight()

    last = start_worker("--burst")
    assert last.wait(timeout=180) == 0

    message = Message.objects.get()
    deliveries = Delivery.objects.filter(message=message)
    assert deliveries.count() == total
    assert set(deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    arrived = set(sink.ids)
    assert arrived == set(deliveries.values_list("pk", flat=True))  # lost: none
    duplicates = len(sink.ids) - len(arrived)
    assert duplicates <= held_at_kills


@COMMITTED
def test_a_worker_stopped_with_sigterm_finishes_its_batch_and_exits_0(
    start_worker, sink, turkey, alice, bob
):
    crowd(3000)
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    worker = start_worker()
    wait_until(lambda: sink.count() >= 300, seconds=60, what="the first arrivals")
    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=60) == 0

    name = f"{socket.gethostname()}:{worker.pid}"
    assert not Delivery.objects.filter(state=Delivery.State.SENDING, leased_by=name).exists()
    sent = set(Delivery.objects.filter(state=Delivery.State.SENT).values_list("pk", flat=True))
    assert 300 <= len(sent) < 3000  # it stopped early...
    assert sorted(sink.ids) == sorted(sent)  # ...and recorded exactly what it handed off


@pytest.fixture
def throttled(settings: Any) -> Any:
    settings.WARDEN_ALERT_EMAIL_URLS = []
    settings.WARDEN_ALERT_TIMEOUT_SECONDS = 2
    settings.WARDEN_ALERT_FAILOVER_AFTER = 100
    settings.WARDEN_ALERT_MAX_ATTEMPTS = ["sms:5"]
    return settings


def _sms_delivery(turkey: Any, alice: Any, bob: Any) -> Delivery:
    present(email=None, phone="+90 532 123 45 67")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    return Delivery.objects.get()


def _wait_after(delivery: Delivery, number: int) -> float:
    """Seconds from the start of attempt ``number`` to the next attempt it scheduled."""
    delivery.refresh_from_db()
    attempt = Attempt.objects.get(delivery=delivery, number=number)
    return (delivery.next_attempt_at - attempt.started_at).total_seconds()


@pytest.mark.django_db
def test_a_429_waits_at_least_its_retry_after(throttled, sender, turkey, alice, bob):
    throttled.WARDEN_ALERT_RETRY_BASE_SECONDS = 0  # the backoff alone would retry at once
    with sms_stub(StubState(script=["429"])) as stub:  # the stub asks for Retry-After: 1
        throttled.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_delivery(turkey, alice, bob)
        assert sender.send_channel("sms") == 1
        assert 1.0 <= _wait_after(delivery, 1) < 3.0
        assert sender.send_channel("sms") == 0  # not due yet
        time.sleep(1.1)
        assert sender.send_channel("sms") == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 2


@pytest.mark.django_db
def test_failures_back_off_exponentially_up_to_the_cap_then_fail(
    throttled, sender, turkey, alice, bob
):
    throttled.WARDEN_ALERT_RETRY_BASE_SECONDS = 1
    throttled.WARDEN_ALERT_RETRY_MAX_SECONDS = 4
    with sms_stub(StubState(mode="500")) as stub:
        throttled.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_delivery(turkey, alice, bob)
        waits = []
        for number in range(1, 6):
            assert sender.send_channel("sms") == 1
            if number < 5:
                waits.append(_wait_after(delivery, number))
                Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert stub.state.requests == 5
    # base * 2^(n-1), capped at 4 s, with jitter down to half; a little slack for the clock.
    for wait, (low, high) in zip(waits, [(0.5, 1), (1, 2), (2, 4), (2, 4)], strict=True):
        assert low <= wait < high + 1.0, waits
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 5
    assert Attempt.objects.filter(delivery=delivery, ok=False).count() == 5


@pytest.mark.django_db
def test_accept_then_drop_is_retried_and_sent_once_accepted(throttled, sender, turkey, alice, bob):
    throttled.WARDEN_ALERT_RETRY_BASE_SECONDS = 0
    with sms_stub(StubState(script=["drop", "slow"], slow_seconds=5)) as stub:
        throttled.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_delivery(turkey, alice, bob)
        for _ in range(3):
            sender.send_channel("sms")
            time.sleep(0.05)
        assert len(stub.state.accepted) == 1
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 3
    errors = list(
        Attempt.objects.filter(delivery=delivery).order_by("number").values_list("error", flat=True)
    )
    assert errors[0] and "timeout" in errors[1].lower() and errors[2] == ""
    assert delivery.next_attempt_at <= timezone.now() + timedelta(seconds=1)
