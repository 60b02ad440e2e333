"""SMS length rules (GSM-7 / UCS-2 segments), and messaging apps through Apprise."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from warden.alerting import sms
from warden.alerting.models import Delivery
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.people.models import ContactPoint
from warden.people.tests.helpers import verified
from warden.test import publish


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # an extension character takes two septets
        ("€" * 81, 2),
        ("ש" * 70, 1),  # Hebrew needs UCS-2
        ("ש" * 71, 2),
        ("ש" * 134, 2),
        ("ש" * 135, 3),
    ],
)
def test_segments_follow_gsm_7_and_ucs_2(text, count):
    assert sms.segments(text) == count


@given(st.text(min_size=0, max_size=2000), st.text(max_size=40), st.text(max_size=60))
def test_fit_never_exceeds_the_segment_limit_and_keeps_head_and_tail(body, head, tail):
    fitted = sms.fit(head, body, tail)
    if sms.segments(head + sms.ELLIPSIS + tail) <= sms.MAX_SEGMENTS:
        assert sms.segments(fitted) <= sms.MAX_SEGMENTS
        assert fitted.startswith(head) and fitted.endswith(tail)


def test_a_short_body_is_left_whole():
    assert sms.fit("Title\n", "Leave now.", "\nReply SAFE") == "Title\nLeave now.\nReply SAFE"


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_messaging_apps_go_through_apprise(turkey, alice, bob, sender, settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    settings.WARDEN_ALERT_MESSAGING_URLS = ["apprise:"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        who = present(email=None)
        point = verified(who, "messaging", "ntfy://ntfy.example.org/dana")
        # Apprise's generic JSON service stands in for a messaging app on this machine.
        ContactPoint.objects.filter(pk=point.pk).update(
            value=f"json://127.0.0.1:{server.server_port}/"
        )
        publish(turkey, 4, author=alice, approver=bob)
        expand_all()
        send_all(sender)
    finally:
        server.shutdown()
    (payload,) = _Receiver.received
    assert payload["title"].startswith("Türkiye: level 4")
    assert "/answer/" in payload["message"]
    assert Delivery.objects.get().state == Delivery.State.SENT
