"""The console's alerting pages: approval with "notify", live progress, cancel, sandbox."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from warden.advisories import services
from warden.alerting.models import Delivery, Message, SandboxMessage
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.test import content
from warden.testing.staff import verified_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]


def _submitted(turkey, alice, level=4):
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(level))
    services.edition_submit(acting_user=alice, edition=edition)
    return edition


def test_the_approval_form_ticks_notify_from_level_3_and_unticking_it_sends_nothing(
    turkey, alice, bob
):
    edition = _submitted(turkey, alice)
    page = verified_client(bob).get(reverse("console:edition", args=[edition.pk])).content.decode()
    assert 'name="notify" id="id_notify" checked' in page
    verified_client(bob).post(
        reverse("console:edition_publish", args=[edition.pk]), {"notify_shown": "1"}
    )
    edition.refresh_from_db()
    assert edition.status == "published"
    assert not Message.objects.exists()


def test_publishing_with_notify_links_the_edition_to_its_message(turkey, alice, bob):
    edition = _submitted(turkey, alice)
    client = verified_client(bob)
    client.post(
        reverse("console:edition_publish", args=[edition.pk]),
        {"notify_shown": "1", "notify": "on"},
    )
    message = Message.objects.get(edition=edition)
    page = client.get(reverse("console:edition", args=[edition.pk])).content.decode()
    assert reverse("console:message", args=[message.pk]) in page


def test_message_pages_show_progress_and_attempts(turkey, alice, bob, sender, settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    expand_all()
    send_all(sender)
    message = Message.objects.get()
    client = verified_client(alice)
    listing = client.get(reverse("console:messages")).content.decode()
    assert reverse("console:message", args=[message.pk]) in listing
    detail = client.get(reverse("console:message", args=[message.pk])).content.decode()
    assert "d…@example.org" in detail
    assert "dana@example.org" not in detail  # addresses are masked
    progress = client.get(reverse("console:message_progress", args=[message.pk])).json()
    assert progress["planned"] == 2 and progress["sent"] == 2 and progress["queued"] == 0
    assert progress["eta_seconds"] == 0
    assert progress["status"] == "Finished"
    assert '<span data-count="status">Finished</span>' in detail
    delivery = Delivery.objects.first()
    assert delivery is not None
    attempts = client.get(reverse("console:delivery", args=[delivery.pk])).content.decode()
    assert "email1-locmem" in attempts


def test_a_message_reads_sending_until_nothing_is_left_to_send(
    turkey, alice, bob, sender, settings
):
    """Being sent, a message reads "Sending" while a delivery waits (here for a retry),
    and "Finished" once every delivery has ended; in Hebrew too."""
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    present("Dana", email="dana@example.org")
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    expand_all()
    message = Message.objects.get()
    client = verified_client(alice)
    url = reverse("console:message_progress", args=[message.pk])
    assert client.get(url).json()["status"] == "Sending"
    listing = client.get(reverse("console:messages")).content.decode()
    assert "<td>Sending</td>" in listing
    send_all(sender)
    assert client.get(url).json()["status"] == "Finished"
    assert "<td>Finished</td>" in client.get(reverse("console:messages")).content.decode()
    with translation.override("he"):
        hebrew = reverse("console:message_progress", args=[message.pk])
    with translation.override("en"):  # the request activates Hebrew in this thread
        assert client.get(hebrew).json()["status"] == "השליחה הסתיימה"
    Delivery.objects.update(state=Delivery.State.QUEUED)  # a retry, due later
    assert client.get(url).json()["status"] == "Sending"


def test_an_approver_cancels_with_a_correction_from_the_console(turkey, alice, bob):
    present()
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    expand_all()
    message = Message.objects.get()
    refused = verified_client(alice).post(
        reverse("console:message_cancel", args=[message.pk]), {"reason": "x"}
    )
    assert refused.status_code == 403
    verified_client(bob).post(
        reverse("console:message_cancel", args=[message.pk]),
        {"reason": "Sent too early", "title_en": "Disregard", "body_en": "Stay put."},
    )
    message.refresh_from_db()
    assert message.state == Message.State.CANCELLED
    assert Message.objects.get(corrects=message).texts["en"]["title"] == "Disregard"
    assert set(Delivery.objects.filter(message=message).values_list("state", flat=True)) == {
        "cancelled"
    }


def test_a_half_written_correction_is_refused_and_cancels_nothing(turkey, alice, bob):
    present()
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    message = Message.objects.get()
    response = verified_client(bob).post(
        reverse("console:message_cancel", args=[message.pk]),
        {"reason": "Oops", "title_en": "Only a title"},
        follow=True,
    )
    assert "both a title and a text" in response.content.decode()
    message.refresh_from_db()
    assert message.state != Message.State.CANCELLED


def test_the_sandbox_inbox_shows_what_the_sandbox_kept_and_the_demo_mail(
    turkey, alice, bob, sender, settings, tmp_path
):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    settings.DATA_DIR = tmp_path
    (tmp_path / "demo-mail").mkdir()
    (tmp_path / "demo-mail" / "1.eml").write_bytes(
        b"To: x@example.org\r\nSubject: From the sink\r\nX-Warden-Delivery: 7\r\n\r\nHello\r\n"
    )
    present("Dana", email="dana@example.org")
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    expand_all()
    send_all(sender)
    client = verified_client(alice)
    page = client.get(reverse("console:sandbox")).content.decode()
    assert "dana@example.org" in page and "From the sink" in page
    # Subjects and texts in either language take their direction from their own words.
    assert "<td><bdi>From the sink</bdi></td>" in page
    kept = SandboxMessage.objects.get()
    one = client.get(reverse("console:sandbox_message", args=[kept.pk])).content.decode()
    assert "Dear Dana," in one
    assert '<pre class="preview-text" dir="auto">' in one
    (tmp_path / "demo-texts.jsonl").write_text(
        '{"at": "2023-10-18T09:00:00+00:00", "to": "+905325550101", '
        '"text": "Warden code: 012379.", "reference": "0"}\n',
        encoding="utf-8",
    )
    texts = client.get(reverse("console:sandbox")).content.decode()
    # A Hebrew text is a right-to-left paragraph, its lines aligned to the right, in the
    # English console too.
    assert '<td dir="auto">Warden code: 012379.</td>' in texts
    assert "<bdi>+905325550101</bdi>" in texts and "18 Oct 2023 09:00:00" in texts
    mail = client.get(reverse("console:sandbox_mail", args=["1.eml"])).content.decode()
    assert "Hello" in mail
    assert '<h1 dir="auto">From the sink</h1>' in mail
    assert client.get(reverse("console:sandbox_mail", args=["..%2Fsecret.eml"])).status_code == 404


def test_people_without_a_console_role_see_no_messages(mallory, turkey, alice, bob):
    services.edition_publish(acting_user=bob, edition=_submitted(turkey, alice))
    message = Message.objects.get()
    client = verified_client(mallory)
    assert client.get(reverse("console:messages")).status_code == 403
    assert client.get(reverse("console:message_progress", args=[message.pk])).status_code == 403


def test_system_checks_name_unusable_providers_and_missing_receipt_tokens(settings):
    from warden.checks import check_alert_providers, check_alert_receipts

    settings.WARDEN_ALERT_SMS_URLS = ["ftp://nowhere.example.org/"]
    assert [m.id for m in check_alert_providers()] == ["warden.E005"]
    settings.WARDEN_ALERT_SMS_URLS = ["https://token@sms.example.org/send"]
    settings.WARDEN_RECEIPT_TOKEN = ""
    assert check_alert_providers() == []
    assert [m.id for m in check_alert_receipts()] == ["warden.W008"]
    settings.WARDEN_RECEIPT_TOKEN = "secret"
    assert check_alert_receipts() == []
    settings.WARDEN_ALERT_SMS_URLS = ["sandbox:"]
    assert [m.id for m in check_alert_receipts()] == ["warden.I002"]
