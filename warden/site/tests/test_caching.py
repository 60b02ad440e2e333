from __future__ import annotations

import pytest

from warden.advisories import services
from warden.site.caching import publication_stamp
from warden.test import content, publish

pytestmark = pytest.mark.django_db


def test_the_stamp_moves_with_actual_publications_only(authority, turkey, alice, bob):
    assert publication_stamp() is None
    edition = publish(turkey, 2, author=alice, approver=bob)
    assert publication_stamp() == edition.published_at
    drill = services.edition_draft(
        acting_user=alice, country=turkey, content=content(4), is_exercise=True
    )
    services.edition_submit(acting_user=alice, edition=drill)
    services.edition_publish(acting_user=bob, edition=drill)
    assert publication_stamp() == edition.published_at  # a drill reveals nothing
    services.edition_withdraw(acting_user=bob, edition=edition, reason="Error.")
    edition.refresh_from_db()
    assert publication_stamp() == edition.withdrawn_at


def test_a_release_change_changes_every_etag(client, settings, authority, turkey, alice, bob):
    publish(turkey, 2, author=alice, approver=bob)
    first = client.get("/feeds/advisories.atom")["ETag"]
    assert client.get("/feeds/advisories.atom", HTTP_IF_NONE_MATCH=first).status_code == 304
    settings.WARDEN_RELEASE = "next"
    second = client.get("/feeds/advisories.atom")
    assert second.status_code == 200 and second["ETag"] != first
