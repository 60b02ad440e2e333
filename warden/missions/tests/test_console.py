"""The console pages of posts: who may see and do what, and what the pages show."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from warden.missions import services
from warden.missions.models import PostDecision
from warden.missions.tests.conftest import order_details
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db

STAFF = ("alice", "bob", "carol", "dave", "erin", "frank")


@pytest.mark.parametrize("name", [*STAFF, "mallory"])
def test_every_staff_role_sees_the_posts_and_outsiders_do_not(cast, ankara, name):
    client = verified_client(cast[name])
    pages = [reverse("console:posts"), reverse("console:post", args=[ankara.pk])]
    expected = 403 if name == "mallory" else 200
    assert [client.get(page).status_code for page in pages] == [expected, expected]


@pytest.mark.parametrize(("name", "sees"), [("alice", False), ("bob", True), ("dave", True),
                                           ("erin", True), ("frank", True)])  # fmt: skip
def test_names_of_staff_only_for_those_who_work_with_them(cast, ankara, staff, name, sees):
    page = verified_client(cast[name]).get(reverse("console:post", args=[ankara.pk]))
    assert ("Omer" in page.content.decode()) is sees


def test_the_list_groups_posts_by_status_and_feeds_the_map(cast, ankara, istanbul, erin):
    services.status_change(
        acting_user=erin, post=istanbul, to_status="watch", details=services.DecisionDetails("x")
    )
    page = verified_client(erin).get(reverse("console:posts"))
    body = page.content.decode()
    assert body.index('id="status-watch"') < body.index('id="status-normal"')
    assert 'href="/console/posts/"' in body  # the nav link
    data = json.loads(page.context["map_json"])
    assert {(p["name"], p["status"]) for p in data["posts"]} == {
        ("Embassy in Ankara", "normal"),
        ("Consulate General in Istanbul", "watch"),
    }
    assert re.search(r'data-outlines="/outlines/countries.geojson\?v=\w+"', body)


def test_a_request_and_its_approval_through_the_console(cast, ankara, staff, level):
    level(4)
    erin, bob = verified_client(cast["erin"]), verified_client(cast["bob"])
    url = reverse("console:post", args=[ankara.pk])
    form = {
        "to_status": "ordered_departure",
        "reasons": "Threats.",
        "scope": "non_emergency",
        "deadline": "2099-01-02T10:00",
        "safe_haven": "Athens",
        "is_temporary": "on",
        "review_date": "2099-02-01",
    }

    response = erin.post(reverse("console:post_decide", args=[ankara.pk]), form, follow=True)

    assert "Requested. A second person must approve it" in response.content.decode()
    decision = PostDecision.objects.get()
    own = erin.get(url).content.decode()
    assert "A different person must approve it" not in own  # erin is no approver: no buttons
    assert "Cancel my request" in own
    page = bob.get(url).content.decode()
    assert "Approve the request" in page and "erin asks for: Ordered departure" in page

    approved = bob.post(reverse("console:post_decision_approve", args=[decision.pk]), follow=True)

    assert "Approved. The decision is in force" in approved.content.decode()
    ankara.refresh_from_db()
    assert ankara.status == "ordered_departure"


def test_an_approver_who_asked_sees_no_approve_button(cast, ankara, level):
    from django.contrib.auth.models import Group

    dave = cast["dave"]
    dave.groups.add(Group.objects.get_or_create(name="approver")[0])
    level(4)
    services.decision_request(
        acting_user=dave, post=ankara, to_status="authorized_departure", details=order_details()
    )
    page = verified_client(dave).get(reverse("console:post", args=[ankara.pk])).content.decode()
    assert "A different person must approve it" in page
    assert "Approve the request" not in page


def test_a_refused_order_is_shown_as_an_error(cast, ankara, level):
    level(2)
    response = verified_client(cast["erin"]).post(
        reverse("console:post_decide", args=[ankara.pk]),
        {"to_status": "ordered_departure", "reasons": "x", "scope": "all",
         "deadline": "2099-01-02T10:00", "safe_haven": "Athens"},
        follow=True,
    )  # fmt: skip
    assert "No double standard" in response.content.decode()
    assert not PostDecision.objects.exists()


@pytest.mark.parametrize(
    ("name", "view", "allowed"),
    [
        ("erin", "post_departure", True),
        ("dave", "post_departure", True),
        ("bob", "post_departure", False),
        ("alice", "post_decision_approve", False),
        ("erin", "post_decision_approve", False),
        ("dave", "post_tripwire_create", False),
        ("erin", "post_tripwire_create", True),
        ("bob", "post_report", False),
    ],
)
def test_actions_need_their_role(cast, ankara, staff, level, name, view, allowed):
    level(4)
    decision = services.decision_request(
        acting_user=cast["erin"], post=ankara, to_status="authorized_departure",
        details=order_details(),
    )  # fmt: skip
    target = {
        "post_departure": staff["officer"].pk,
        "post_decision_approve": decision.pk,
        "post_tripwire_create": ankara.pk,
        "post_report": ankara.pk,
    }[view]
    response = verified_client(cast[name]).post(reverse(f"console:{view}", args=[target]), {})
    assert response.status_code == (302 if allowed else 403)


def test_the_departure_form_updates_a_person(cast, ankara, staff, level):
    response = verified_client(cast["dave"]).post(
        reverse("console:post_departure", args=[staff["officer"].pk]),
        {"state": "exempt", "note": "Needed at post."},
        follow=True,
    )
    assert "Departure updated." in response.content.decode()
    staff["officer"].refresh_from_db()
    assert staff["officer"].departure_state == "exempt"


def test_the_after_action_report_form_appears_back_at_normal(cast, ankara, level):
    erin, bob = cast["erin"], cast["bob"]
    level(4)
    services.decision_approve(
        acting_user=bob,
        decision=services.decision_request(
            acting_user=erin, post=ankara, to_status="authorized_departure",
            details=order_details(),
        ),
    )  # fmt: skip
    client = verified_client(erin)
    url = reverse("console:post", args=[ankara.pk])
    assert 'id="report-form"' not in client.get(url).content.decode()
    with pytest.raises(Exception, match="back to normal after a drawdown"):
        services.after_action_report_write(acting_user=erin, post=ankara, summary="x")
    services.status_change(
        acting_user=erin, post=ankara, to_status="normal", details=services.DecisionDetails("Over")
    )
    assert 'id="report-form"' in client.get(url).content.decode()

    report = {"summary": "Everyone left in time.", "to_improve": "Earlier tickets."}
    client.post(reverse("console:post_report", args=[ankara.pk]), report)

    page = client.get(url).content.decode()
    assert "Everyone left in time." in page and 'id="report-form"' not in page
