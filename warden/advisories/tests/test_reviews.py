from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from warden.advisories import selectors, services
from warden.advisories.models import Edition, ReviewReminder
from warden.test import publish

pytestmark = pytest.mark.django_db


def _due_in(edition: Edition, days: int) -> None:
    Edition.objects.filter(pk=edition.pk).update(
        review_due=timezone.localdate() + timedelta(days=days)
    )


def test_the_review_list_holds_editions_due_within_14_days(authority, turkey, alice, bob):
    edition = publish(turkey, 4, author=alice, approver=bob)
    assert list(selectors.editions_review_due()) == []
    _due_in(edition, 14)
    assert list(selectors.editions_review_due()) == [edition]
    _due_in(edition, -1)
    assert selectors.review_state(Edition.objects.get(pk=edition.pk)) == "overdue"


def test_reminders_go_to_the_author_once_per_kind(authority, turkey, alice, bob):
    edition = publish(turkey, 3, author=alice, approver=bob)
    _due_in(edition, 5)
    assert services.review_reminders_send() == 1
    assert services.review_reminders_send() == 0
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "Review due soon" in mail.outbox[0].subject
    _due_in(edition, -2)
    assert services.review_reminders_send() == 1
    assert "Review overdue" in mail.outbox[1].subject
    assert ReviewReminder.objects.filter(edition=edition).count() == 2


def test_reminders_fall_back_to_every_analyst(authority, turkey, alice, bob, carol):
    edition = publish(turkey, 3, author=alice, approver=bob)
    alice.groups.clear()
    _due_in(edition, 1)
    services.review_reminders_send()
    assert mail.outbox[0].to == ["carol@example.org"]


def test_many_due_editions_make_one_digest_per_analyst(authority, turkey, alice, bob):
    from warden.geo.models import Country

    greece, _ = Country.objects.get_or_create(
        code="GR", defaults={"alpha3": "GRC", "numeric": "300", "name": "Greece"}
    )
    for country in (turkey, greece):
        _due_in(publish(country, 3, author=alice, approver=bob), -3)
    assert services.review_reminders_send() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "2 advisories are due for review"
    assert "Greece" in mail.outbox[0].body and "Türkiye" in mail.outbox[0].body
    assert services.review_reminders_send() == 0
