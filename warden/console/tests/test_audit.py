from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from warden.advisories import services
from warden.audit.models import AuditEvent
from warden.audit.services import record
from warden.test import content, publish
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db


def _rows(response) -> list[AuditEvent]:
    return list(response.context["page"].object_list)


@pytest.fixture
def history(authority, turkey, alice, bob):
    return publish(turkey, 4, author=alice, approver=bob)


def test_it_filters_by_actor_action_and_object(history, bob):
    client = verified_client(bob)
    url = reverse("console:audit")
    by_alice = _rows(client.get(url, {"actor": "ALI"}))
    assert {e.actor_name for e in by_alice} == {"alice"}
    publishing = _rows(client.get(url, {"action": "advisory.edition.pub"}))
    assert [e.action for e in publishing] == ["advisory.edition.publish"]
    edition_events = _rows(
        client.get(url, {"object_type": "advisories.edition", "object_id": str(history.pk)})
    )
    assert [e.action for e in edition_events] == [
        "advisory.edition.publish",
        "advisory.edition.submit",
        "advisory.edition.draft",
    ]


def test_it_filters_by_date(history, bob):
    client = verified_client(bob)
    today = timezone.localdate()
    assert _rows(client.get(reverse("console:audit"), {"date_from": today.isoformat()}))
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert _rows(client.get(reverse("console:audit"), {"date_from": tomorrow})) == []
    yesterday = (today - timedelta(days=1)).isoformat()
    assert _rows(client.get(reverse("console:audit"), {"date_to": yesterday})) == []


def test_it_shows_before_after_and_source_ip(authority, turkey, alice, bob):
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(2))
    services.edition_submit(acting_user=alice, edition=edition)
    client = verified_client(bob)
    client.post(reverse("console:edition_publish", args=[edition.pk]), REMOTE_ADDR="192.0.2.7")
    html = client.get(
        reverse("console:audit"), {"action": "advisory.edition.publish"}
    ).content.decode()
    assert "&quot;status&quot;: &quot;submitted&quot;" in html  # before
    assert "&quot;status&quot;: &quot;published&quot;" in html  # after
    assert "192.0.2.7" in html


def test_it_pages_by_fifty(db, bob):
    for number in range(120):
        record(actor=None, action="test.event", summary=f"event {number}")
    client = verified_client(bob)
    first = client.get(reverse("console:audit"), {"action": "test."})
    assert len(_rows(first)) == 50
    assert first.context["page"].paginator.num_pages == 3
    third = client.get(reverse("console:audit"), {"action": "test.", "page": "3"})
    assert [e.summary for e in _rows(third)][-1] == "event 0"
    assert "action=test.&amp;page=2" in third.content.decode()
