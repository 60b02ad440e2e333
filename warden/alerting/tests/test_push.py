"""Web Push end to end: VAPID keys from `warden vapid`, an encrypted payload posted to a
local push endpoint, decrypted there with the subscriber's keys."""

from __future__ import annotations

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from warden.alerting.models import Delivery
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.people.models import ContactPoint
from warden.people.tests.helpers import verified
from warden.test import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class _PushService(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(201)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_warden_vapid_prints_a_usable_key_pair():
    out = StringIO()
    call_command("vapid", stdout=out)
    lines = dict(
        line.split("=", 1) for line in out.getvalue().splitlines() if line.startswith("WEBPUSH_")
    )
    public = base64.urlsafe_b64decode(lines["WEBPUSH_PUBLIC_KEY"] + "==")
    assert len(public) == 65 and public[0] == 4  # an uncompressed P-256 point
    assert len(base64.urlsafe_b64decode(lines["WEBPUSH_PRIVATE_KEY"] + "==")) == 32


def test_a_push_message_is_encrypted_for_the_subscriber_and_signed(
    turkey, alice, bob, sender, settings
):
    out = StringIO()
    call_command("vapid", stdout=out)
    keys = dict(
        line.split("=", 1) for line in out.getvalue().splitlines() if line.startswith("WEBPUSH_")
    )
    settings.WARDEN_WEBPUSH_PRIVATE_KEY = keys["WEBPUSH_PRIVATE_KEY"]
    settings.WARDEN_WEBPUSH_PUBLIC_KEY = keys["WEBPUSH_PUBLIC_KEY"]
    settings.WARDEN_WEBPUSH_SUBJECT = "mailto:ops@example.org"
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    subscriber = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    p256dh = subscriber.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PushService)
    _PushService.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        who = present(email=None)
        subscription = {
            "endpoint": "https://push.example.org/send/abc",
            "keys": {"p256dh": _b64(p256dh), "auth": _b64(auth)},
        }
        point = verified(who, "push", json.dumps(subscription))
        subscription["endpoint"] = f"http://127.0.0.1:{server.server_port}/send/abc"
        ContactPoint.objects.filter(pk=point.pk).update(value=json.dumps(subscription))
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        send_all(sender)
    finally:
        server.shutdown()
    ((headers, body),) = _PushService.received
    lowered = {k.lower(): v for k, v in headers.items()}
    assert lowered["content-encoding"] == "aes128gcm"
    assert lowered["authorization"].startswith("vapid t=")
    assert keys["WEBPUSH_PUBLIC_KEY"] in lowered["authorization"]
    plain = http_ece.decrypt(body, private_key=subscriber, auth_secret=auth, version="aes128gcm")
    payload = json.loads(plain)
    delivery = Delivery.objects.get()
    assert payload["delivery"] == delivery.pk
    assert payload["title"].startswith("Türkiye: level 4")
    assert "/answer/" in payload["url"]
    assert delivery.state == Delivery.State.SENT
