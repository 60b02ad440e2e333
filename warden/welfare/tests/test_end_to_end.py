"""End to end with a real SMTP server: the demo publishes Turkey at level 4, the worker opens
the check-in round, mails reach the demo's mail sink, a person follows "I am safe" from the
mail they received, and the dashboard and `warden rounds` count it."""

from __future__ import annotations

import email
import email.policy
import re
import socket
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from warden.alerting.models import Delivery, Message
from warden.alerting.tests.helpers import expand_all, send_all
from warden.demo import scenario
from warden.demo.mailsink import mail_sink
from warden.ops import worker
from warden.testing.staff import verified_client
from warden.welfare import steps
from warden.welfare.models import CheckInRound, RoundMember

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
SAFE_LINK = re.compile(r"I am safe: (https?://\S+/answer/\S+/safe/)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _mails(directory: Path) -> list[email.message.EmailMessage]:
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(directory.glob("*.eml"))
    ]


def _text(mail: email.message.EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_safe_answer_from_a_received_mail_is_counted(tmp_path, settings, sender, monkeypatch):
    monkeypatch.setattr(scenario, "DEMO_PEOPLE", 60)
    monkeypatch.setattr(scenario, "DEMO_PEOPLE_IN_TURKEY", 12)
    port = _free_port()
    settings.WARDEN_ALERT_EMAIL_URLS = [f"smtp://127.0.0.1:{port}"]
    settings.WARDEN_ALERT_SMS_URLS = ["sandbox:"]
    settings.WARDEN_ALERT_MESSAGING_URLS = ["sandbox:"]
    settings.WARDEN_ALERT_WEBHOOK_URLS = ["sandbox:"]
    announced: list[str] = []
    with mail_sink(tmp_path / "mail", port=port, announce=announced.append):
        demo = scenario.load(stdout=StringIO())  # publishes Turkey at level 4
        assert steps.checkins() is True  # the worker opens the round
        checkin = CheckInRound.objects.get(edition=demo.turkey)
        asked = checkin.members.count()
        assert asked >= 12  # the synthetic people in Turkey, and the posts' staff
        expand_all()
        send_all(sender)
    mails = _mails(tmp_path / "mail")
    advisory = Message.objects.get(edition=demo.turkey)
    sent = Delivery.objects.filter(message=advisory, channel="email", state="sent")
    assert len(announced) == len(mails) >= sent.count() > 0
    # A person in Turkey reads their mail and follows "I am safe".
    delivery = sent.filter(language="en").order_by("id").first()
    assert delivery is not None
    mail = next(m for m in mails if m["X-Warden-Delivery"] == str(delivery.pk))
    assert "level 4" in str(mail["Subject"])
    match = SAFE_LINK.search(_text(mail))
    assert match is not None
    path = "/" + match.group(1).split("://", 1)[1].split("/", 1)[1]
    client = Client()
    page = client.get(path)
    assert page.status_code == 200 and "I am safe" in page.content.decode()
    assert RoundMember.objects.filter(round=checkin).exclude(status="").count() == 0
    assert client.post(path, {"note": ""}).status_code == 200

    worker.welfare_answers()  # the worker records the answer
    steps.checkins()  # and copies who was reached
    member = RoundMember.objects.get(round=checkin, person_id=delivery.person_id)
    assert member.status == "safe" and member.reached_at is not None
    dave = demo_consul()
    live = verified_client(dave).get(f"/console/welfare/rounds/{checkin.pk}/live/").json()
    assert live["counts"]["safe"] == 1
    assert live["counts"]["audience"] == asked
    assert live["counts"]["no_answer"] == asked - 1
    assert live["counts"]["reached"] >= 1
    out = StringIO()
    call_command("rounds", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith(f"#{checkin.pk} "))
    cells = line.split()
    assert cells[1] == "TR"
    reached = str(live["counts"]["reached"])
    assert cells[-7:] == [str(asked), reached, "1", "0", "0", "0", str(asked - 1)]


def demo_consul():  # the demo's consular officer
    from django.contrib.auth.models import User

    return User.objects.get(username="consul")
