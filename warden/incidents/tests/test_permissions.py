"""Who may do what: analysts edit and review, others read, the administrator runs feeds."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from warden.incidents import services
from warden.incidents.services import FeedContent, SourceContent
from warden.incidents.tests.helpers import content

pytestmark = pytest.mark.django_db

VIEW = {"alice", "bob", "carol", "dave", "erin"}


@pytest.mark.parametrize("name", ["alice", "bob", "carol", "dave", "erin", "frank", "mallory"])
def test_the_incident_list_is_for_the_roles_that_view_it(cast, staff_client, name):
    response = staff_client(cast[name]).get("/console/incidents/")

    assert response.status_code == (200 if name in VIEW else 403)


@pytest.mark.parametrize("name", ["bob", "dave", "erin", "frank", "mallory"])
def test_only_analysts_write_incidents(cast, name):
    with pytest.raises(PermissionDenied):
        services.incident_create(acting_user=cast[name], content=content())
    with pytest.raises(PermissionDenied):
        services.source_add_text(acting_user=cast[name], content=SourceContent(text="Text."))


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "mallory"])
def test_only_the_administrator_manages_feeds(cast, name):
    feed = FeedContent(name="Wire", url="https://news.example.org/feed", outlet="Wire")
    with pytest.raises(PermissionDenied):
        services.feed_create(acting_user=cast[name], content=feed)


def test_the_administrator_adds_a_feed(frank, staff_client):
    response = staff_client(frank).post(
        "/console/incidents/feeds/",
        {
            "name": "Example Wire",
            "url": "https://news.example.org/feed.xml",
            "outlet": "Example Wire",
            "language": "en",
            "reliability": "B",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    from warden.incidents.models import Feed

    assert Feed.objects.get().reliability == "B"


def test_a_consular_officer_reads_but_cannot_open_the_editor(dave, staff_client):
    client = staff_client(dave)

    assert client.get("/console/incidents/map/").status_code == 200
    assert client.get("/console/incidents/new/").status_code == 403
    assert client.get("/console/incidents/intake/").status_code == 403
