"""Codes that verify a phone number: asked for, texted by the worker, typed in."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from warden.alerting import codes, sms
from warden.alerting.sender import Sender
from warden.alerting.stub import StubState, sms_stub
from warden.alerting.transports import registry
from warden.audit.models import AuditEvent
from warden.ops import worker
from warden.people.models import ContactPoint, PhoneCode, RateCounter
from warden.people.services import CodeRefused, phone_code_confirm, phone_code_request
from warden.people.services import codes as code_service
from warden.people.tests.helpers import contact, person

pytestmark = pytest.mark.django_db

NUMBER = "+972 54 321 1234"
E164 = "+972543211234"


def _pending(language: str = "en") -> ContactPoint:
    return contact(person("Noa", "Cohen", language=language), "sms", NUMBER)


def _texted(state: StubState) -> str:
    """The code in the last text the gateway took."""
    match = re.search(r"\b(\d{6})\b", state.accepted[-1]["text"])
    assert match is not None, state.accepted[-1]
    return match.group(1)


def test_a_code_is_texted_and_typing_it_verifies_the_number(settings, sender):
    point = _pending()
    state = StubState()
    with sms_stub(state) as stub:
        settings.WARDEN_ALERT_SMS_URLS = [stub.url]
        phone_code_request(contact_point=point, ip="192.0.2.1")
        assert codes.codes_send(lambda: sender) is True
        assert codes.codes_send(lambda: sender) is False  # sent once
    assert [text["to"] for text in state.accepted] == [E164]
    sent = PhoneCode.objects.get()
    assert sent.sent_at is not None and sent.send_at is None and sent.send_attempts == 1
    verified = phone_code_confirm(contact_point=point, code=f" {_texted(state)} ")
    assert verified.state == ContactPoint.State.VERIFIED
    assert verified.verification_method == ContactPoint.Method.CODE
    assert not PhoneCode.objects.exists()
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "people.contact_point.code" in actions and "people.contact_point.verify" in actions
    # The code is in no audit event.
    assert not AuditEvent.objects.filter(after__icontains=_texted(state)).exists()


def test_the_text_is_in_the_person_s_language_and_fits_one_segment(settings, sender):
    settings.WARDEN_VERIFICATION_CODE_MINUTES = 10
    for language in ("en", "he"):
        text = codes.code_text("123456", language)
        assert "123456" in text and sms.segments(text) == 1
    assert codes.code_text("123456", "he") != codes.code_text("123456", "en")
    assert re.search("[\u0590-\u05ff]", codes.code_text("123456", "he"))


def test_a_failed_send_is_tried_again_then_given_up(settings, sender):
    point = _pending()
    state = StubState(mode="500")
    with sms_stub(state) as stub:
        settings.WARDEN_ALERT_SMS_URLS = [stub.url]
        phone_code_request(contact_point=point, ip="192.0.2.1")
        for attempt in range(1, codes.SEND_ATTEMPTS + 1):
            assert codes.codes_send(lambda: sender) is True
            code = PhoneCode.objects.get()
            assert code.send_attempts == attempt and code.sent_at is None
            assert "HTTP 500" in code.send_error
            if attempt < codes.SEND_ATTEMPTS:
                assert code.send_at is not None and code.send_at > timezone.now()
                assert codes.codes_send(lambda: sender) is False  # not due yet
                PhoneCode.objects.update(send_at=timezone.now())
        assert PhoneCode.objects.get().send_at is None  # given up
        assert codes.codes_send(lambda: sender) is False
    assert state.requests == codes.SEND_ATTEMPTS


def test_a_code_is_tried_again_through_the_next_provider(settings, sender):
    """The first provider fails: the code's second try goes through the second provider at
    once, long before the first one's circuit would open (five failures; a code has
    three tries)."""
    point = _pending()
    failing, working = StubState(mode="500"), StubState()
    with sms_stub(failing) as first, sms_stub(working) as second:
        settings.WARDEN_ALERT_SMS_URLS = [first.url, second.url]
        phone_code_request(contact_point=point, ip="192.0.2.1")
        assert codes.codes_send(lambda: sender) is True
        assert (failing.requests, working.requests) == (1, 0)
        code = PhoneCode.objects.get()
        assert code.sent_at is None and "HTTP 500" in code.send_error
        PhoneCode.objects.update(send_at=timezone.now())
        assert codes.codes_send(lambda: sender) is True
    assert (failing.requests, working.requests) == (1, 1)
    assert [text["to"] for text in working.accepted] == [E164]
    assert PhoneCode.objects.get().sent_at is not None
    assert phone_code_confirm(contact_point=point, code=_texted(working)).is_verified


def test_with_no_code_due_the_step_only_reads(settings, sender):
    """It runs every second on every worker: with nothing to send or forget, it must not
    write (on SQLite a write takes the one write lock, which the alerts being sent need)."""
    point = _pending()
    phone_code_request(contact_point=point, ip="192.0.2.1")
    PhoneCode.objects.update(send_at=timezone.now() + timedelta(minutes=1))
    with CaptureQueriesContext(connection) as queries:
        assert codes.codes_send(lambda: sender) is False
    statements = [query["sql"].lstrip().split()[0].upper() for query in queries]
    assert statements and set(statements) == {"SELECT"}, statements
    assert not any("FOR UPDATE" in query["sql"] for query in queries)
    assert PhoneCode.objects.get().sent_at is None


def test_without_a_provider_the_code_waits_and_says_why(settings, sender):
    settings.WARDEN_ALERT_SMS_URLS = []
    phone_code_request(contact_point=_pending(), ip="192.0.2.1")
    assert codes.codes_send(lambda: sender) is True
    code = PhoneCode.objects.get()
    assert code.sent_at is None and "no provider" in code.send_error


def test_a_wrong_code_counts_and_too_many_end_the_code():
    point = _pending()
    right = phone_code_request(contact_point=point, ip="192.0.2.1").code
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for typed in range(1, PhoneCode.TRIES + 1):
        with pytest.raises(CodeRefused, match="not the one we sent"):
            phone_code_confirm(contact_point=point, code=wrong)
        assert PhoneCode.objects.get().wrong == typed
    with pytest.raises(CodeRefused, match="tried too often"):
        phone_code_confirm(contact_point=point, code=right)
    point.refresh_from_db()
    assert point.state == ContactPoint.State.PENDING


def test_an_expired_code_is_refused_and_the_worker_forgets_it(sender):
    point = _pending()
    right = phone_code_request(contact_point=point, ip="192.0.2.1").code
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(CodeRefused, match="expired"):
        phone_code_confirm(contact_point=point, code=right)
    assert codes.codes_send(lambda: sender) is False
    assert not PhoneCode.objects.exists()


def test_asking_again_replaces_the_code(monkeypatch):
    # Two different codes for certain (two random ones are the same once in a million).
    drawn = iter([123456, 654321])
    monkeypatch.setattr(code_service.secrets, "randbelow", lambda _limit: next(drawn))
    point = _pending()
    first = phone_code_request(contact_point=point, ip="192.0.2.1").code
    second = phone_code_request(contact_point=point, ip="192.0.2.1").code
    assert (first, second) == ("123456", "654321")
    assert PhoneCode.objects.count() == 1
    with pytest.raises(CodeRefused):
        phone_code_confirm(contact_point=point, code=first)
    assert phone_code_confirm(contact_point=point, code=second).is_verified


def test_asking_is_limited_per_number_and_per_ip_address():
    point = _pending()
    for _ in range(3):
        phone_code_request(contact_point=point, ip="192.0.2.1")
    with pytest.raises(ValidationError, match="Too many codes"):
        phone_code_request(contact_point=point, ip="192.0.2.2")
    others = [contact(person(f"P{i}", "Levi"), "sms", f"+972 54 321 12{i:02d}") for i in range(11)]
    for other in others[:10]:
        phone_code_request(contact_point=other, ip="192.0.2.9")
    with pytest.raises(ValidationError, match="Too many codes"):
        phone_code_request(contact_point=others[10], ip="192.0.2.9")
    assert RateCounter.objects.exists()


def test_only_pending_numbers_and_messaging_addresses_get_codes():
    who = person("Noa", "Cohen")
    with pytest.raises(ValidationError, match="Only phone numbers"):
        phone_code_request(contact_point=contact(who, "email", "noa@example.org"), ip="")
    point = contact(who, "sms", NUMBER, verified_by=ContactPoint.Method.LINK)
    with pytest.raises(ValidationError, match="verified already"):
        phone_code_request(contact_point=point, ip="")
    assert not PhoneCode.objects.exists()


def test_the_worker_sends_codes_first():
    assert worker.STEPS[0].name == "alert_codes"


def test_the_gateway_stub_hands_each_text_it_takes_on(settings, sender):
    """``warden demo`` keeps and prints what its gateway stub takes (warden.demo.textlog),
    so that a code can be read there."""
    kept: list[dict[str, Any]] = []
    with sms_stub(StubState(kept=kept.append)) as stub:
        settings.WARDEN_ALERT_SMS_URLS = [stub.url]
        phone_code_request(contact_point=_pending(), ip="192.0.2.1")
        codes.codes_send(lambda: sender)
    code = PhoneCode.objects.get().code
    assert [(text["to"], text["text"]) for text in kept] == [(E164, codes.code_text(code, "en"))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_leave_one_code():
    """A double click: both requests answer, and one code is left (the later one)."""
    point = _pending()
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def ask(ip: str) -> None:
        try:
            start.wait(timeout=10)
            phone_code_request(contact_point=point, ip=ip)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask, args=(f"192.0.2.{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert PhoneCode.objects.filter(contact_point=point).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_code_being_sent_is_no_other_worker_s_to_send(settings):
    """Two workers: while one sends a code (to a slow gateway), the other finds none due."""
    point = _pending()
    state = StubState(mode="slow", slow_seconds=1.5)
    senders = [Sender(), Sender()]
    found: list[bool] = []
    try:
        with sms_stub(state) as stub:
            settings.WARDEN_ALERT_SMS_URLS = [stub.url]
            registry.reset()
            phone_code_request(contact_point=point, ip="192.0.2.1")

            def first() -> None:
                try:
                    found.append(codes.codes_send(lambda: senders[0]))
                finally:
                    connections.close_all()

            sending = threading.Thread(target=first)
            sending.start()
            deadline = time.monotonic() + 10
            while not state.requests and time.monotonic() < deadline:
                time.sleep(0.05)
            assert state.requests == 1  # the first worker is sending it
            assert codes.codes_send(lambda: senders[1]) is False
            sending.join(timeout=30)
    finally:
        for sender in senders:
            sender.close()
    assert found == [True] and state.requests == 1
    assert PhoneCode.objects.get().sent_at is not None


def test_a_burst_of_the_worker_sends_the_code(settings):
    """The step as the worker runs it: ``warden worker --burst`` leaves no code unsent."""
    state = StubState()
    with sms_stub(state) as stub:
        settings.WARDEN_ALERT_SMS_URLS = [stub.url]
        registry.reset()
        phone_code_request(contact_point=_pending(), ip="192.0.2.1")
        worker.Worker(worker.STEPS, burst=True).run()
    assert [text["to"] for text in state.accepted] == [E164]
    assert PhoneCode.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_codes_of_a_step_are_sent_together_not_one_after_another(settings):
    """A slow gateway holds each text for a while: all three are in flight before the
    first is answered, so a slow provider does not hold the worker for each code in turn."""
    state = StubState(mode="slow", slow_seconds=2)
    sender = Sender()
    in_flight: list[int] = []
    try:
        with sms_stub(state) as stub:
            settings.WARDEN_ALERT_SMS_URLS = [stub.url]
            registry.reset()
            for number in range(3):
                phone_code_request(
                    contact_point=contact(
                        person(f"P{number}", "Levi"), "sms", f"+972 54 321 12{number}0"
                    ),
                    ip="192.0.2.1",
                )

            def step() -> None:
                try:
                    codes.codes_send(lambda: sender)
                finally:
                    connections.close_all()

            sending = threading.Thread(target=step)
            sending.start()
            while sending.is_alive() and not state.accepted:
                in_flight.append(state.requests)
                time.sleep(0.02)
            sending.join(timeout=30)
    finally:
        sender.close()
    assert max(in_flight) == 3  # every text had arrived while none was answered yet
    assert PhoneCode.objects.filter(sent_at__isnull=False).count() == 3
