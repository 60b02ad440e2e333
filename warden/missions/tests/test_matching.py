"""No double standard: an ordered departure needs the public advisory at level 3 or more,
or a draft raising it submitted in the same action."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from warden.advisories import services as advisories
from warden.advisories.models import Status
from warden.missions import services
from warden.missions.models import PostDecision
from warden.missions.tests.conftest import order_details
from warden.test import content

pytestmark = pytest.mark.django_db


def order(user, post, **kwargs):
    return services.decision_request(
        acting_user=user, post=post, to_status="ordered_departure", details=order_details(),
        **kwargs,
    )  # fmt: skip


@pytest.fixture
def carol_manager(carol):
    """carol is analyst and approver; make her a mission manager too (she drafts and asks)."""
    carol.groups.add(Group.objects.get_or_create(name="mission_manager")[0])
    return type(carol).objects.get(pk=carol.pk)


@pytest.mark.parametrize("published", [None, 1, 2])
def test_ordering_is_refused_below_level_3(erin, ankara, level, published):
    if published:
        level(published)
    with pytest.raises(ValidationError, match="No double standard") as refused:
        order(erin, ankara)
    assert refused.value.error_dict["advisory"][0].code == "double_standard"
    assert not PostDecision.objects.exists()


@pytest.mark.parametrize("published", [3, 4])
def test_ordering_is_accepted_at_level_3_or_higher(erin, ankara, level, published):
    level(published)
    assert order(erin, ankara).advisory is None


def test_authorized_departure_does_not_need_the_level(erin, ankara, level):
    level(2)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    assert decision.state == "requested"


def test_a_draft_raising_the_level_is_submitted_with_the_order(
    carol_manager, bob, ankara, level, turkey
):
    level(2)
    draft = advisories.edition_draft(acting_user=carol_manager, country=turkey, content=content(4))

    decision = order(carol_manager, ankara, advisory=draft)

    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert draft.submitted_by == carol_manager
    assert decision.advisory == draft
    services.decision_approve(acting_user=bob, decision=decision)
    ankara.refresh_from_db()
    assert ankara.status == "ordered_departure"


def test_a_submitted_edition_by_someone_else_is_accepted(erin, alice, ankara, level, turkey):
    level(2)
    draft = advisories.edition_draft(acting_user=alice, country=turkey, content=content(3))
    advisories.edition_submit(acting_user=alice, edition=draft)

    assert order(erin, ankara, advisory=draft).advisory == draft


def test_someone_elses_draft_is_not_submitted_for_them(erin, alice, ankara, level, turkey):
    level(2)
    draft = advisories.edition_draft(acting_user=alice, country=turkey, content=content(4))
    with pytest.raises(ValidationError, match="Submit only a draft you wrote"):
        order(erin, ankara, advisory=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_draft_that_does_not_raise_to_3_does_not_count(carol_manager, ankara, level, turkey):
    level(1)
    draft = advisories.edition_draft(acting_user=carol_manager, country=turkey, content=content(2))
    with pytest.raises(ValidationError, match="raise the level to 3"):
        order(carol_manager, ankara, advisory=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_approval_is_refused_once_the_draft_went_back_to_its_author(
    erin, alice, bob, ankara, level, turkey
):
    level(2)
    draft = advisories.edition_draft(acting_user=alice, country=turkey, content=content(4))
    advisories.edition_submit(acting_user=alice, edition=draft)
    decision = order(erin, ankara, advisory=draft)
    advisories.edition_return(acting_user=bob, edition=draft, comment="Too early.")

    with pytest.raises(ValidationError, match="No double standard"):
        services.decision_approve(acting_user=bob, decision=decision)
    ankara.refresh_from_db()
    assert ankara.status == "normal"


def test_approval_is_refused_if_the_level_was_lowered_meanwhile(erin, bob, ankara, level):
    level(4)
    decision = order(erin, ankara)
    level(2)
    with pytest.raises(ValidationError, match="at level 2"):
        services.decision_approve(acting_user=bob, decision=decision)
