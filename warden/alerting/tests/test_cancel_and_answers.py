"""Cancelling and correcting a message; answer links; receipts and SMS replies."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from unittest.mock import patch

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from warden.alerting.links import answer_token
from warden.alerting.models import Delivery, Message, SandboxMessage
from warden.alerting.services import MessageText, message_cancel
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.audit.models import AuditEvent
from warden.test import publish, record_answers
from warden.welfare.models import WelfareEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]
SANDBOX = override_settings(
    WARDEN_ALERT_EMAIL_URLS=["locmem:"],
    WARDEN_ALERT_SMS_URLS=["sandbox:"],
    WARDEN_RECEIPT_TOKEN="receipt-secret",
)
FIX = {"en": MessageText("Correction: stay where you are", "The earlier message was wrong.")}


@SANDBOX
def test_cancelling_stops_every_unsent_delivery_and_corrects_those_reached(
    turkey, alice, bob, sender
):
    for index in range(4):
        present(f"P{index}", email=f"p{index}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    assert sender.send_channel("email", batch=2) == 2  # two reached, two still queued
    message = Message.objects.get()
    stopped, correction = message_cancel(
        acting_user=bob, message=message, reason="Wrong country", correction=FIX
    )
    assert stopped == 2
    states = sorted(Delivery.objects.filter(message=message).values_list("state", flat=True))
    assert states == ["cancelled", "cancelled", "sent", "sent"]
    assert correction is not None and correction.corrects_id == message.pk
    expand_all()
    send_all(sender)
    reached = set(
        Delivery.objects.filter(message=message, state="sent").values_list("person_id", flat=True)
    )
    corrected = Delivery.objects.filter(message=correction)
    assert set(corrected.values_list("person_id", flat=True)) == reached
    assert set(corrected.values_list("state", flat=True)) == {"sent"}
    subjects = [m.subject for m in SandboxMessage.objects.filter(delivery__message=correction)]
    assert len(subjects) == 2 and all(s.startswith("Correction:") for s in subjects)
    assert AuditEvent.objects.filter(action="alerting.message.cancel").count() == 1


def test_only_an_approver_may_cancel_and_must_say_why(turkey, alice, bob):
    publish(turkey, 4, author=alice, approver=bob)
    message = Message.objects.get()
    with pytest.raises(PermissionDenied):
        message_cancel(acting_user=alice, message=message, reason="no")
    with pytest.raises(ValidationError):
        message_cancel(acting_user=bob, message=message, reason="  ")
    message_cancel(acting_user=bob, message=message, reason="Test")
    with pytest.raises(ValidationError):
        message_cancel(acting_user=bob, message=message, reason="Again")


def test_a_claimed_batch_of_a_cancelled_message_is_not_sent(turkey, alice, bob, sender, settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    present()
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    Message.objects.update(state=Message.State.CANCELLED)  # cancelled while being claimed
    assert sender.send_channel("email") == 1
    assert Delivery.objects.get().state == Delivery.State.CANCELLED
    assert not SandboxMessage.objects.exists()


def _sent_delivery(turkey, alice, bob, sender) -> tuple[Delivery, str]:
    present(email="dana@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    send_all(sender)
    mail = SandboxMessage.objects.get()
    link = re.search(r"https?://\S+/answer/\S+/safe/", mail.body)
    assert link is not None
    return Delivery.objects.get(), link.group(0).split("://", 1)[1].split("/", 1)[1]


@SANDBOX
def test_the_answer_link_asks_for_one_click_and_records_the_answer(turkey, alice, bob, sender):
    delivery, path = _sent_delivery(turkey, alice, bob, sender)
    client = Client()
    page = client.get("/" + path)
    assert page.status_code == 200
    assert not WelfareEvent.objects.exists()  # opening the link records nothing
    assert "I am safe" in page.content.decode()
    done = client.post("/" + path, {"note": "At the hotel"})
    assert done.status_code == 200
    assert record_answers() == 1
    event = WelfareEvent.objects.get()
    assert (event.status, event.channel, event.delivery_id) == ("safe", "link", delivery.pk)
    assert event.note == "At the hotel"
    delivery.refresh_from_db()
    assert delivery.answered_at is not None
    audit = AuditEvent.objects.get(action="welfare.answer")
    assert "At the hotel" not in json.dumps(audit.after)


@SANDBOX
def test_the_answer_pages_need_no_cookie_and_link_to_each_language(turkey, alice, bob, sender):
    """A mail app's browser may drop cookies: the confirmation posts without a CSRF token
    (the token in the path is the credential) and no page sets a cookie."""
    _delivery, path = _sent_delivery(turkey, alice, bob, sender)
    client = Client(enforce_csrf_checks=True)
    page = client.get("/" + path)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="csrfmiddlewaretoken"' not in html
    assert f'href="/he/{path}"' in html  # the same page in Hebrew, by its path
    assert 'content="noindex, nofollow"' in html
    done = client.post("/" + path, {"note": ""})
    assert done.status_code == 200
    assert "We have your answer: “I am safe”." in done.content.decode()
    # The thank-you page leads to itself in Hebrew, not back to the form.
    assert 'href="/he/answer/thanks/safe/"' in done.content.decode()
    assert not page.cookies and not done.cookies
    assert record_answers() == 1
    hebrew = client.get(f"/he/{path}")
    assert 'dir="rtl"' in hebrew.content.decode()
    assert 'href="/' + path + '"' in hebrew.content.decode()


@SANDBOX
def test_i_have_left_asks_where_to_and_the_other_answers_do_not(turkey, alice, bob, sender):
    delivery, path = _sent_delivery(turkey, alice, bob, sender)
    client = Client()
    left = "/" + path.replace("/safe/", "/left/")
    assert 'name="left_to"' in client.get(left).content.decode()
    assert 'name="left_to"' not in client.get("/" + path).content.decode()
    bad = client.post(left, {"note": "", "left_to": "XX"})
    assert bad.status_code == 400  # not a country: the form says so, nothing is taken
    assert record_answers() == 0
    assert client.post(left, {"note": "", "left_to": "GR"}).status_code == 200
    assert record_answers() == 1
    event = WelfareEvent.objects.get()
    assert (event.status, event.left_to_id, event.delivery_id) == ("left", "GR", delivery.pk)


@SANDBOX
def test_the_thank_you_page_is_the_same_for_everyone_and_rendered_once(turkey, alice, bob, sender):
    """It names no one and holds no token: each answer and language is rendered once and
    kept, and it is a page of its own, where its language links lead."""
    cache.clear()
    delivery, path = _sent_delivery(turkey, alice, bob, sender)
    client = Client()
    done = client.post("/" + path, {"note": "At the hotel"}).content.decode()
    assert answer_token(delivery.pk) not in done and "At the hotel" not in done
    with patch("warden.alerting.views.render_to_string", side_effect=AssertionError("again")):
        again = client.post("/" + path, {"note": ""})
        alone = client.get("/answer/thanks/safe/")
    assert again.content.decode() == done == alone.content.decode()
    assert "public" in alone["Cache-Control"] and "max-age=3600" in alone["Cache-Control"]
    assert record_answers() == 2

    hebrew = client.get("/he/answer/thanks/needs_help/").content.decode()
    assert 'dir="rtl"' in hebrew and 'href="/answer/thanks/needs_help/"' in hebrew
    english = client.get("/answer/thanks/needs_help/").content.decode()
    assert "An officer will contact you." in english
    assert "An officer will contact you." not in done
    assert client.get("/answer/thanks/maybe/").status_code == 404
    assert client.post("/answer/thanks/safe/").status_code == 405
    assert record_answers() == 0


@SANDBOX
def test_tampered_expired_and_unknown_answers_are_refused(turkey, alice, bob, sender, settings):
    delivery, _path = _sent_delivery(turkey, alice, bob, sender)
    client = Client()
    token = answer_token(delivery.pk)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/answer/{tampered}/safe/").status_code == 400
    assert client.get(f"/answer/{token}/maybe/").status_code == 400
    settings.WARDEN_ANSWER_LINK_DAYS = 0
    from django.utils import timezone

    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(days=1)
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        response = client.post(f"/answer/{token}/safe/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not WelfareEvent.objects.exists()


@SANDBOX
def test_sms_receipts_need_the_token_and_move_the_delivery_to_delivered(turkey, alice, bob, sender):
    present(email=None, phone="+90 532 123 45 67")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    send_all(sender)
    delivery = Delivery.objects.get()
    client = Client()
    body = json.dumps({"reference": str(delivery.pk), "status": "delivered"})
    refused = client.post("/hooks/sms/receipts", body, content_type="application/json")
    assert refused.status_code == 401
    auth: dict[str, Any] = {"HTTP_AUTHORIZATION": "Bearer receipt-secret"}
    bad = client.post("/hooks/sms/receipts", "{", content_type="application/json", **auth)
    assert bad.status_code == 400 and "JSON" in bad.json()["error"]
    wrong = client.post(
        "/hooks/sms/receipts",
        json.dumps({"reference": "x", "status": "delivered"}),
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 400
    ok = client.post("/hooks/sms/receipts", body, content_type="application/json", **auth)
    assert ok.status_code == 200 and ok.json()["changed"] is True
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and delivery.delivered_at is not None


@SANDBOX
@pytest.mark.parametrize(
    ("text", "status", "note"),
    [
        ("SAFE", "safe", ""),
        ("safe - at the airport", "safe", "at the airport"),
        ("Help! no passport", "needs_help", "no passport"),
        ("עזבתי לאתונה", "left", "לאתונה"),
        ("  בטוח ", "safe", ""),
    ],
)
def test_sms_replies_record_answers(turkey, alice, bob, sender, text, status, note):
    present(email=None, phone="+90 532 123 45 67")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    send_all(sender)
    response = Client().post(
        "/hooks/sms/inbound",
        json.dumps({"from": "+905321234567", "text": text}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer receipt-secret",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert record_answers() == 1
    event = WelfareEvent.objects.get()
    assert (event.status, event.channel, event.note) == (status, "sms", note)
    assert Delivery.objects.get().answered_at is not None


@SANDBOX
@pytest.mark.parametrize("text", ["", "maybe later", "???", "SAFEHELP"])
def test_malformed_sms_replies_get_a_helpful_reply(turkey, alice, bob, text):
    present(email=None, phone="+90 532 123 45 67")
    response = Client().post(
        "/hooks/sms/inbound",
        json.dumps({"from": "+905321234567", "text": text}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer receipt-secret",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is False
    assert "SAFE, HELP or LEFT" in response.json()["reply"]
    assert not WelfareEvent.objects.exists()


@SANDBOX
def test_anymail_tracking_events_update_email_deliveries(turkey, alice, bob, sender):
    from anymail.signals import AnymailTrackingEvent, tracking

    present(email="dana@example.org")
    present("Eli", email="eli@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    send_all(sender)
    first, second = Delivery.objects.order_by("id")
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(event_type="delivered", metadata={"delivery": str(first.pk)}),
        esp_name="Test",
    )
    tracking.send(
        sender=object,
        event=AnymailTrackingEvent(
            event_type="bounced",
            metadata={"delivery": str(second.pk)},
            description="Mailbox does not exist",
        ),
        esp_name="Test",
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Delivery.State.DELIVERED
    assert (second.state, second.error) == (Delivery.State.FAILED, "Mailbox does not exist")
