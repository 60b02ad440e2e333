"""The demo's drawdown: both posts in Turkey ordered out on 19 October 2023."""

from __future__ import annotations

import pytest

from warden.missions import services
from warden.missions.demo import DEADLINE, ORDERED_AT, REVIEW, load_drawdown
from warden.missions.models import Post, PostDecision, StaffMember, TripwireHit
from warden.people.models import ContactPoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(turkey):
    return tuple(
        services.post_create(
            acting_user=None,
            details=services.PostDetails(name, kind, "TR", city, lat, lon, geonameid=geonameid),
        )
        for name, kind, city, lat, lon, geonameid in (
            ("Embassy of Israel in Ankara", "embassy", "Ankara", 39.92, 32.85, 323786),
            ("Consulate General of Israel in Istanbul", "consulate_general", "Istanbul",
             41.01, 28.95, 745044),
        )
    )  # fmt: skip


def test_it_orders_both_posts_out_temporarily_and_people_move_along(cast, level, posts):
    level(4)
    users = {"mission": cast["erin"], "approver": cast["bob"], "consul": cast["dave"]}

    decisions = load_drawdown(posts=posts, users=users)

    for post, decision in zip(posts, decisions, strict=True):
        post.refresh_from_db()
        assert (post.status, post.is_temporary, post.review_date) == (
            "ordered_departure", True, REVIEW,
        )  # fmt: skip
        assert (decision.effective_at, decision.deadline) == (ORDERED_AT, DEADLINE)
        assert (decision.requested_by, decision.decided_by) == (cast["erin"], cast["bob"])
        assert post.head_of_mission is not None
    states = set(StaffMember.objects.values_list("departure_state", flat=True))
    assert {"departing", "in_transit", "at_safe_haven", "ordered"} <= states
    assert set(
        StaffMember.objects.filter(category="locally_employed").values_list(
            "departure_state", flat=True
        )
    ) == {"at_post"}
    # Both tripwires fired on the level 4 and put the posts on watch first.
    assert TripwireHit.objects.count() == 2
    watches = PostDecision.objects.filter(to_status="watch", requested_by=None)
    assert list(watches.values_list("from_status", flat=True)) == ["normal", "normal"]
    family = StaffMember.objects.filter(category="family_member")
    assert family.count() == 5
    assert {m.family_of.category for m in family if m.family_of} == {"employee"}
    assert not family.filter(family_of=None).exists()
    assert all(
        ContactPoint.objects.filter(person=m.person, state="verified", channel="email").exists()
        for m in StaffMember.objects.all()
    )
    assert Post.objects.filter(status="ordered_departure").count() == 2
