"""From a publication to deliveries in the sandbox: messages, expansion, sending."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from warden.alerting.models import Attempt, Delivery, Message, SandboxMessage
from warden.alerting.sender import Sender
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.audit.models import AuditEvent
from warden.test import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]
SANDBOX = override_settings(WARDEN_ALERT_EMAIL_URLS=["locmem:"], WARDEN_ALERT_SMS_URLS=["sandbox:"])


def test_publishing_level_4_creates_its_message_in_the_same_transaction(turkey, alice, bob):
    edition = publish(turkey, 4, author=alice, approver=bob)
    message = Message.objects.get(edition=edition)
    assert message.kind == Message.Kind.ADVISORY
    assert message.area_code == "TR"
    assert message.priority == Message.Priority.URGENT
    assert message.answers is True
    assert message.state == Message.State.PLANNED
    assert set(message.texts) == {"en", "he"}
    assert message.texts["en"]["title"].startswith("Türkiye: level 4")
    assert message.texts["en"]["url"].endswith("/countries/TR/")
    assert AuditEvent.objects.filter(action="alerting.message.create").count() == 1


@pytest.mark.parametrize(
    ("level", "notify", "expected"),
    [(2, None, 0), (3, None, 1), (4, False, 0), (2, True, 1)],
)
def test_notify_defaults_on_from_level_3_and_can_be_changed(
    turkey, alice, bob, level, notify, expected
):
    from warden.advisories import services
    from warden.test import content

    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(level))
    services.edition_submit(acting_user=alice, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition, notify=notify)
    assert Message.objects.filter(edition=edition).count() == expected


@SANDBOX
def test_every_contact_point_of_everyone_present_gets_one_delivery(turkey, alice, bob, sender):
    dana = present("Dana", email="dana@example.org", phone="+90 532 123 45 67")
    present("Eli", email="eli@example.org", language="he")
    present("Far", email="far@example.org", country="FR")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    message = Message.objects.get()
    assert message.state == Message.State.SENDING
    assert message.planned == 3
    deliveries = Delivery.objects.filter(message=message)
    assert sorted(deliveries.values_list("channel", flat=True)) == ["email", "email", "sms"]
    # Expanding again adds nothing.
    expand_all()
    assert Delivery.objects.count() == 3

    send_all(sender)
    assert set(deliveries.values_list("state", flat=True)) == {Delivery.State.SENT}
    assert Attempt.objects.filter(ok=True).count() == 3
    kept = {m.recipient: m for m in SandboxMessage.objects.all()}
    assert set(kept) == {"dana@example.org", "eli@example.org", "+905321234567"}
    mail = kept["dana@example.org"]
    assert "Dear Dana," in mail.body
    assert "/answer/" in mail.body and "/safe/" in mail.body
    assert "EXERCISE" not in mail.body
    assert "Dana" in mail.html
    hebrew = kept["eli@example.org"]
    assert "טורקיה" in hebrew.subject
    sms = kept["+905321234567"]
    assert "Reply SAFE, HELP or LEFT" in sms.body
    assert dana.pk in set(deliveries.values_list("person_id", flat=True))


@SANDBOX
def test_an_exercise_reaches_only_participants_and_says_exercise_everywhere(
    turkey, alice, bob, sender
):
    present("Part", email="part@example.org", phone="+90 532 123 45 68", exercise=True)
    present("Other", email="other@example.org")
    from warden.advisories import services
    from warden.test import content

    edition = services.edition_draft(
        acting_user=alice, country=turkey, content=content(4), is_exercise=True
    )
    services.edition_submit(acting_user=alice, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition)
    expand_all()
    send_all(sender)
    kept = list(SandboxMessage.objects.all())
    assert {m.recipient for m in kept} == {"part@example.org", "+905321234568"}
    for message in kept:
        assert "EXERCISE" in message.body
    assert all("EXERCISE" in m.subject for m in kept if m.channel == "email")


def test_a_send_failure_of_one_batch_is_retried_then_failed(turkey, alice, bob, settings):
    settings.WARDEN_ALERT_EMAIL_URLS = ["smtp://127.0.0.1:9?rate=1000"]  # nothing listens
    settings.WARDEN_ALERT_MAX_ATTEMPTS = ["email:2"]
    settings.WARDEN_ALERT_RETRY_BASE_SECONDS = 0
    settings.WARDEN_ALERT_TIMEOUT_SECONDS = 2
    present()
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    sending = Sender()
    try:
        send_all(sending)
    finally:
        sending.close()
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 2
    attempts = list(Attempt.objects.filter(delivery=delivery))
    assert [a.ok for a in attempts] == [False, False]
    assert all(a.error for a in attempts)


def test_a_preference_sends_only_to_each_persons_nth_contact_point(alice):
    from warden.alerting.services import MessageText, message_create

    dana = present("Dana", email="dana@example.org", phone="+90 532 123 45 67")
    eli = present("Eli", email="eli@example.org")
    texts = {"en": MessageText("Check-in", "Are you safe?")}
    everyone = [dana.pk, eli.pk]
    first = message_create(
        acting_user=alice, kind="checkin", texts=texts, people=everyone, preference=1
    )
    second = message_create(
        acting_user=alice, kind="checkin", texts=texts, people=everyone, preference=2
    )
    expand_all()
    firsts = Delivery.objects.filter(message=first).order_by("person_id")
    assert list(firsts.values_list("person_id", "channel")) == [
        (dana.pk, "email"),
        (eli.pk, "email"),
    ]
    # Eli has no second contact point; Dana's second is her phone.
    seconds = Delivery.objects.filter(message=second)
    assert list(seconds.values_list("person_id", "channel")) == [(dana.pk, "sms")]


def test_a_list_of_people_is_expanded_past_those_who_do_not_take_part(alice):
    from warden.alerting import expand
    from warden.alerting.services import MessageText, message_create

    outsiders = [present(f"Out{i}", email=f"out{i}@example.org") for i in range(3)]
    player = present("Player", email="player@example.org", exercise=True)
    message = message_create(
        acting_user=alice,
        kind="notice",
        texts={"en": MessageText("Drill", "This is a drill.")},
        people=[p.pk for p in [*outsiders, player]],
        exercise=True,
    )
    # One person a page: the three who do not take part come first and must be skipped.
    assert expand.next_page(message, page=1) == [player.pk]
    expand_all()
    assert list(Delivery.objects.values_list("person_id", flat=True)) == [player.pk]


def test_webhooks_of_an_exercise_say_so_in_their_title(turkey, alice, bob):
    from warden.advisories import services
    from warden.alerting.render import Recipient, Renderer
    from warden.test import content

    edition = services.edition_draft(
        acting_user=alice, country=turkey, content=content(4), is_exercise=True
    )
    services.edition_submit(acting_user=alice, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition)
    renderer = Renderer(Message.objects.get())
    out = renderer.outgoing(Recipient(7, "webhook", "en", "https://hooks.example.org/", "Dana"))
    data = json.loads(out.body)
    assert data["exercise"] is True
    assert data["title"].startswith("EXERCISE")
    assert set(data["answers"]) == {"safe", "needs_help", "left"}
