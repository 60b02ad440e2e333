"""Real local providers: an SMS gateway stub that misbehaves, an SMTP sink, a webhook
receiver. Each delivery must end in the right state with every attempt recorded."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook

from warden.alerting.models import Attempt, Delivery, ProviderHealth
from warden.alerting.stub import StubState, sms_stub
from warden.alerting.tests.helpers import expand_all, present, send_all, smtp_server
from warden.alerting.transports.http import HttpClient
from warden.alerting.transports.webhook import signing_secret
from warden.people.tests.helpers import verified
from warden.test import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]
PHONE = "+90 532 123 45 67"


@pytest.fixture
def fast_retries(settings: Any) -> Any:
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    settings.WARDEN_ALERT_RETRY_BASE_SECONDS = 0
    settings.WARDEN_ALERT_TIMEOUT_SECONDS = 1
    settings.WARDEN_ALERT_MAX_ATTEMPTS = ["sms:6", "email:3", "webhook:3"]
    return settings


def _sms_only(turkey, alice, bob) -> Delivery:
    present(email=None, phone=PHONE)
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    return Delivery.objects.get(channel="sms")


def test_500_429_and_dropped_connections_are_retried_until_accepted(
    fast_retries, sender, turkey, alice, bob
):
    state = StubState(script=["500", "429", "drop"])
    with sms_stub(state) as stub:
        fast_retries.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_only(turkey, alice, bob)
        send_all(sender)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    assert delivery.attempts == 4
    assert delivery.provider_ref == "stub-1"
    attempts = list(Attempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.ok for a in attempts] == [False, False, False, True]
    assert "HTTP 500" in attempts[0].error
    assert "HTTP 429" in attempts[1].error
    assert attempts[2].error  # the dropped connection
    assert len(state.accepted) == 1
    assert state.accepted[0]["reference"] == str(delivery.pk)
    assert "Reply SAFE, HELP or LEFT" in state.accepted[0]["text"]


def test_a_slow_provider_times_out_and_is_retried(fast_retries, sender, turkey, alice, bob):
    state = StubState(script=["slow"], slow_seconds=8)
    with sms_stub(state) as stub:
        fast_retries.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_only(turkey, alice, bob)
        send_all(sender)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT
    first = Attempt.objects.filter(delivery=delivery).order_by("number").first()
    assert first is not None and not first.ok and "timeout" in first.error.lower()


def _one_slow_batch(
    settings: Any, sender: Any, turkey: Any, alice: Any, bob: Any,
    *, sms: int, slow: float, lease: float, timeout: float,
) -> StubState:  # fmt: skip
    """One batch of ``sms`` text messages over one lane, to a gateway that answers each
    after ``slow`` seconds, with the ``lease`` and send ``timeout`` given; returns what the
    gateway saw."""
    settings.WARDEN_ALERT_LEASE_SECONDS = lease
    settings.WARDEN_ALERT_TIMEOUT_SECONDS = timeout
    settings.WARDEN_ALERT_CONCURRENCY = 1
    for index in range(sms):
        present(f"P{index}", email=None, phone=f"+90 532 123 45 6{index}")
    state = StubState(mode="slow", slow_seconds=slow)
    with sms_stub(state) as stub:
        settings.WARDEN_ALERT_SMS_URLS = [stub.url]
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        assert sender.send_channel("sms") == sms
    return state


def test_a_batch_that_would_outlast_its_lease_ends_while_the_lease_is_held(
    fast_retries, sender, turkey, alice, bob
):
    """A provider slower than the lease: the batch ends while its deliveries are still this
    worker's (the send in flight as timed out, the rest queued again, unattempted), so no
    other worker sweeps the lease and sends them a second time."""
    # The transport alone would wait 30 s; the deadline is 1.6 s after the claim.
    stub = _one_slow_batch(
        fast_retries, sender, turkey, alice, bob, sms=3, slow=6, lease=2, timeout=30
    )
    assert stub.requests == 1
    deliveries = list(Delivery.objects.order_by("pk"))
    assert {d.state for d in deliveries} == {Delivery.State.QUEUED}
    assert [d.attempts for d in deliveries] == [1, 0, 0]
    assert {d.leased_by for d in deliveries} == {""}
    attempt = Attempt.objects.get()
    assert attempt.delivery_id == deliveries[0].pk
    assert not attempt.ok and attempt.error == "timeout"


def test_a_lane_starts_no_send_that_could_not_end_before_the_deadline(
    fast_retries, sender, turkey, alice, bob
):
    """Sends of 1 s, each allowed 1.5 s, a deadline 4 s after the claim: the sends started
    at about 0, 1 and 2 s end in time; at about 3 s another could run to 4.5 s, so it is
    not started. Nothing is cut off, and the rest is queued again unattempted."""
    stub = _one_slow_batch(
        fast_retries, sender, turkey, alice, bob, sms=5, slow=1, lease=5, timeout=1.5
    )
    assert stub.requests == 3
    deliveries = list(Delivery.objects.order_by("pk"))
    assert [d.state for d in deliveries] == ["sent"] * 3 + ["queued"] * 2
    assert [d.attempts for d in deliveries] == [1, 1, 1, 0, 0]
    assert Attempt.objects.filter(ok=True).count() == 3
    assert not Attempt.objects.filter(ok=False).exists()


def test_an_smtp_session_cut_off_at_the_deadline_is_not_used_again(
    fast_retries, sender, turkey, alice, bob
):
    fast_retries.WARDEN_ALERT_LEASE_SECONDS = 2
    fast_retries.WARDEN_ALERT_TIMEOUT_SECONDS = 30
    fast_retries.WARDEN_ALERT_CONCURRENCY = 1
    slow = threading.Event()
    slow.set()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            if slow.is_set():
                await asyncio.sleep(4)
            return "250 OK"

    with smtp_server(Handler()) as controller:
        fast_retries.WARDEN_ALERT_EMAIL_URLS = [f"smtp://127.0.0.1:{controller.port}"]
        present("Dana", email="dana@example.org")
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        assert sender.send_channel("email") == 1  # cut off in the middle of DATA
        slow.clear()
        assert sender.send_channel("email") == 1
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.SENT
    attempts = list(Attempt.objects.order_by("number").values_list("ok", "error"))
    assert attempts == [(False, "timeout"), (True, "")]


def test_a_rejected_number_fails_at_once(fast_retries, sender, turkey, alice, bob):
    with sms_stub(StubState(mode="reject")) as stub:
        fast_retries.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_only(turkey, alice, bob)
        send_all(sender)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 1
    assert "HTTP 400" in delivery.error


def test_a_provider_that_keeps_failing_gives_up_after_the_channel_limit(
    fast_retries, sender, turkey, alice, bob
):
    fast_retries.WARDEN_ALERT_MAX_ATTEMPTS = ["sms:3"]
    fast_retries.WARDEN_ALERT_FAILOVER_AFTER = 100
    with sms_stub(StubState(mode="500")) as stub:
        fast_retries.WARDEN_ALERT_SMS_URLS = [stub.url]
        delivery = _sms_only(turkey, alice, bob)
        send_all(sender)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 3


def test_failover_to_the_second_provider_when_the_first_keeps_failing(
    fast_retries, sender, turkey, alice, bob
):
    fast_retries.WARDEN_ALERT_FAILOVER_AFTER = 2
    for index in range(3):
        present(f"P{index}", email=None, phone=f"+90 532 123 45 6{index}")
    with sms_stub(StubState(mode="500")) as bad, sms_stub(StubState()) as good:
        fast_retries.WARDEN_ALERT_SMS_URLS = [bad.url, good.url]
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        send_all(sender)
        assert len(good.state.accepted) == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert set(Delivery.objects.values_list("provider", flat=True)) == {"sms2-http"}
    health = ProviderHealth.objects.get(name="sms1-http")
    assert health.open_until is not None and "HTTP 500" in health.last_error


def test_a_shared_rate_limit_caps_each_batch(fast_retries, sender, turkey, alice, bob):
    for index in range(5):
        present(f"P{index}", email=None, phone=f"+90 532 123 45 6{index}")
    with sms_stub(StubState()) as stub:
        fast_retries.WARDEN_ALERT_SMS_URLS = [stub.url + "?rate=2"]
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        assert sender.send_channel("sms") == 2  # the bucket holds one second's worth
        send_all(sender)
        assert len(stub.state.accepted) == 5


@pytest.fixture
def smtp_sink() -> Iterator[tuple[Controller, list[bytes]]]:
    received: list[bytes] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope.content)
            return "250 OK"

    with smtp_server(Handler()) as controller:
        yield controller, received


def test_email_goes_over_smtp_with_the_delivery_header(
    fast_retries, sender, smtp_sink, turkey, alice, bob
):
    controller, received = smtp_sink
    fast_retries.WARDEN_ALERT_EMAIL_URLS = [f"smtp://127.0.0.1:{controller.port}"]
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org", language="he")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    send_all(sender)
    assert len(received) == 2
    mails = [email.message_from_bytes(raw, policy=email.policy.default) for raw in received]
    ids = {int(m["X-Warden-Delivery"]) for m in mails}
    assert ids == set(Delivery.objects.values_list("pk", flat=True))
    assert sorted(str(m["Content-Language"]) for m in mails) == ["en", "he"]
    hebrew = next(m for m in mails if m["Content-Language"] == "he")
    body = hebrew.get_body(("html",))
    assert body is not None
    html = body.get_content()
    assert 'dir="rtl"' in html
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}


class _WebhookReceiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_webhooks_are_signed_and_a_2xx_is_the_receipt(fast_retries, sender, turkey, alice, bob):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WebhookReceiver)
    _WebhookReceiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        who = present(email=None)
        # Webhook contact points must be https; the receiver here is plain http on loopback.
        point = verified(who, "webhook", "https://hooks.example.org/warden")
        from warden.people.models import ContactPoint

        ContactPoint.objects.filter(pk=point.pk).update(
            value=f"http://127.0.0.1:{server.server_port}/warden"
        )
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        send_all(sender)
    finally:
        server.shutdown()
    ((headers, body),) = _WebhookReceiver.received
    delivery = Delivery.objects.get()
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["webhook-id"] == f"delivery_{delivery.pk}"
    payload = Webhook(signing_secret()).verify(body, lowered)
    assert payload["delivery"] == delivery.pk
    assert payload["kind"] == "advisory"
    assert set(payload["answers"]) == {"safe", "needs_help", "left"}
    assert json.loads(body)["area"] == "TR"
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SENT


class _CookieSetter(BaseHTTPRequestHandler):
    cookies: list[str | None] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).cookies.append(self.headers.get("Cookie"))
        self.send_response(204)
        self.send_header("Set-Cookie", "session=theirs; Path=/")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_outgoing_http_keeps_no_cookie_a_receiver_sets() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CookieSetter)
    _CookieSetter.cookies = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = HttpClient(timeout=5, concurrency=1)
    url = f"http://localhost:{server.server_port}/hook"  # a name: jars refuse IP hosts

    async def twice() -> list[Any]:
        try:
            return [await client.post(url, body=b"{}", headers={}) for _ in range(2)]
        finally:
            await client.close()

    try:
        answers = asyncio.run(twice())
    finally:
        server.shutdown()
    assert [failure for failure, _text, _data in answers] == [None, None]
    assert _CookieSetter.cookies == [None, None]


class _Answer(BaseHTTPRequestHandler):
    status = 200
    content_type = ""
    body = b""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(type(self).status)
        if type(self).content_type:
            self.send_header("Content-Type", type(self).content_type)
        self.send_header("Content-Length", str(len(type(self).body)))
        self.end_headers()
        self.wfile.write(type(self).body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.parametrize(
    ("status", "content_type", "body", "failed", "text", "data"),
    [
        (204, "", b"", False, "HTTP 204: ", None),
        (200, "application/json", b'{"id": "x1"}', False, 'HTTP 200: {"id": "x1"}', {"id": "x1"}),
        (200, "application/json", b"{not json", False, "HTTP 200: {not json", None),
        # Not UTF-8: read with replacement characters, not an error after the provider
        # accepted the message (a retry would send it twice).
        (202, "text/plain", b"ok \xff", False, "HTTP 202: ok \ufffd", None),
        (503, "text/plain; charset=latin-1", b"busy \xe9", True, "HTTP 503: busy \xe9", None),
    ],
)
def test_a_providers_answer_is_read_whatever_its_body(
    status, content_type, body, failed, text, data
):
    _Answer.status, _Answer.content_type, _Answer.body = status, content_type, body
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = HttpClient(timeout=5, concurrency=1)

    async def post() -> Any:
        try:
            return await client.post(
                f"http://127.0.0.1:{server.server_port}/", body=b"{}", headers={}
            )
        finally:
            await client.close()

    try:
        failure, answer, parsed = asyncio.run(post())
    finally:
        server.shutdown()
    assert (failure is not None, answer, parsed) == (failed, text, data)
    if failed:
        assert failure.error == text
