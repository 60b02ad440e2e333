"""The sender's fast paths give what the general ones give: email serialised without the
email package's header objects, answer URLs reversed once per message, webhook documents
serialised once per language and signed with the C HMAC."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import re
from datetime import UTC, datetime

import pytest
from django.utils import translation
from standardwebhooks.webhooks import Webhook

from warden.alerting.links import ANSWERS, answer_token, answer_url
from warden.alerting.models import Message
from warden.alerting.render import Recipient, Renderer
from warden.alerting.transports.base import Outgoing
from warden.alerting.transports.email import build_email, email_bytes
from warden.alerting.transports.webhook import WebhookTransport
from warden.test import publish

HEADERS = ("From", "To", "Message-ID", "X-Warden-Delivery", "Content-Language")
LONG = "A line long enough to be folded or wrapped by any encoder worth its name. " * 20


def _parsed(raw: bytes) -> email.message.EmailMessage:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


@pytest.mark.parametrize(
    "out",
    [
        Outgoing(7, 1, "email", "dana@example.org", "en", subject="Türkiye: level 4 — leave",
                 text=f"Dear Dana,\n\n{LONG}\n.\nEnd.\n", html=f"<p>{LONG}</p>"),
        Outgoing(8, 1, "email", "eli@example.org", "he", subject="טורקיה: רמה 4 " * 8,
                 text="שלום אלי,\r\nעזבו את המדינה.\n", html='<div dir="rtl">עזבו</div>'),
        Outgoing(9, 1, "email", "fay@example.org", "en", subject="Plain", text="Text only.\n"),
    ],
)  # fmt: skip
def test_email_bytes_parse_as_the_email_package_builds_them(out):
    slow, fast = _parsed(build_email(out).as_bytes()), _parsed(email_bytes(out))
    for name in HEADERS:
        assert str(fast[name]) == str(slow[name])
    # Compared with the original: the email package loses a space between encoded words.
    assert str(fast["Subject"]) == out.subject
    assert fast.get_content_type() == slow.get_content_type()
    for kind in ("plain", "html"):
        ours, theirs = fast.get_body((kind,)), slow.get_body((kind,))
        assert (ours is None) == (theirs is None)
        if ours is not None and theirs is not None:
            assert ours.get_content().rstrip("\r\n") == theirs.get_content().rstrip("\r\n")
    assert not any(part.defects for part in fast.walk())
    assert all(len(line) <= 998 for line in email_bytes(out).split(b"\r\n"))


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
@pytest.mark.parametrize("language", ["en", "he"])
def test_answer_urls_reversed_once_match_reverse(turkey, alice, bob, language):
    publish(turkey, 4, author=alice, approver=bob)
    renderer = Renderer(Message.objects.get())
    token = answer_token(123456)
    with translation.override(language):
        urls = renderer.answer_urls(token, language)
        assert urls[None] == answer_url(token)
        for answer in ANSWERS:
            assert urls[answer] == answer_url(token, answer)
        out = renderer.outgoing(Recipient(123456, "email", language, "d@example.org", "Dana"))
        # outgoing() signs its own token, whose timestamp may fall in the next second.
        expected = re.compile(re.escape(answer_url("TOKEN", "safe")).replace("TOKEN", r"[\w:-]+"))
        assert expected.search(out.text)
    # The worker renders in whatever language it runs in: the links follow the recipient's.
    other = "he" if language == "en" else "en"
    with translation.override(other):
        fresh = Renderer(Message.objects.get())
        out = fresh.outgoing(Recipient(123456, "email", language, "d@example.org", "Dana"))
    assert expected.search(out.text)


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
@pytest.mark.parametrize(
    "name", ["Dana", 'Dana "D" Levi', "back\\slash \\u0000name\\u0000", "דנה", ""]
)
def test_a_webhook_document_is_the_message_with_this_delivery_filled_in(
    name, turkey, alice, bob
) -> None:
    """The document is serialised once per language and each delivery's id, name and
    token are put in by replacement: it must parse to exactly what serialising the
    delivery's own fields gives, whatever the name holds."""
    publish(turkey, 4, author=alice, approver=bob)
    renderer = Renderer(Message.objects.get())
    out = renderer.outgoing(Recipient(41, "webhook", "en", "https://hooks.example.org/", name))
    data = json.loads(out.body)
    token = renderer.signer.sign(41)
    urls = renderer.answer_urls(token, "en")
    assert data == renderer.webhook_data(41, "en", out.subject, urls)
    assert data["delivery"] == 41
    assert token in data["answers"]["safe"]
    assert "\x00" not in out.body and "\\u0000link" not in out.body
    other = renderer.outgoing(Recipient(42, "webhook", "en", "https://hooks.example.org/", name))
    assert json.loads(other.body)["delivery"] == 42


def test_webhook_signatures_are_those_of_the_standard_webhooks_library(settings) -> None:
    settings.WARDEN_WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"k" * 24).decode()
    transport = WebhookTransport("direct:", name="hook", timeout=5, concurrency=1)
    moment = datetime(2023, 10, 17, 6, 30, 5, tzinfo=UTC)
    body = '{"title":"Leave now","name":"דנה \\"D\\""}'
    ours = transport.sign("delivery_7", int(moment.timestamp()), body.encode())
    assert ours == Webhook(settings.WARDEN_WEBHOOK_SECRET).sign("delivery_7", moment, body)
    assert ours != transport.sign("delivery_8", int(moment.timestamp()), body.encode())
    # The keyed HMAC is copied for each signature, never written to.
    assert ours == transport.sign("delivery_7", int(moment.timestamp()), body.encode())
