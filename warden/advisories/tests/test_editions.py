from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from warden.advisories import services
from warden.advisories.models import Edition, Status
from warden.advisories.services import TwoPersonRuleError
from warden.audit.models import AuditEvent
from warden.test import content, publish

pytestmark = pytest.mark.django_db


def test_it_publishes_a_submitted_edition_and_supersedes_the_current(authority, turkey, alice, bob):
    first = publish(turkey, 2, author=alice, approver=bob)
    second = publish(turkey, 4, author=alice, approver=bob)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert second.status == Status.PUBLISHED
    assert second.previous == first
    assert services.current_edition(turkey) == second


def test_it_refuses_to_let_the_author_publish_level_3_or_higher(authority, turkey, carol):
    edition = services.edition_draft(acting_user=carol, country=turkey, content=content(4))
    services.edition_submit(acting_user=carol, edition=edition)
    with pytest.raises(TwoPersonRuleError):
        services.edition_publish(acting_user=carol, edition=edition)
    edition.refresh_from_db()
    assert edition.status == Status.SUBMITTED


def test_it_lets_an_approving_author_publish_a_low_level_change(authority, turkey, carol):
    edition = services.edition_draft(acting_user=carol, country=turkey, content=content(2))
    services.edition_submit(acting_user=carol, edition=edition)
    services.edition_publish(acting_user=carol, edition=edition)
    assert services.current_edition(turkey) == edition


def test_it_needs_a_second_person_to_lower_from_level_4(authority, turkey, alice, bob, carol):
    publish(turkey, 4, author=alice, approver=bob)
    edition = services.edition_draft(acting_user=carol, country=turkey, content=content(2))
    services.edition_submit(acting_user=carol, edition=edition)
    with pytest.raises(TwoPersonRuleError):
        services.edition_publish(acting_user=carol, edition=edition)


def test_a_contributor_cannot_approve(authority, turkey, alice, bob, carol):
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(3))
    services.edition_revise(acting_user=carol, edition=edition, content=content(3))
    services.edition_submit(acting_user=alice, edition=edition)
    with pytest.raises(TwoPersonRuleError):
        services.edition_publish(acting_user=carol, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition)


def test_withdrawing_reinstates_the_previous_edition(authority, turkey, alice, bob):
    first = publish(turkey, 2, author=alice, approver=bob)
    second = publish(turkey, 4, author=alice, approver=bob)
    services.edition_withdraw(acting_user=bob, edition=second, reason="Issued in error.")
    assert services.current_edition(turkey) == first
    second.refresh_from_db()
    assert second.status == Status.WITHDRAWN


def test_exercise_editions_never_touch_the_actual_level(authority, turkey, alice, bob):
    actual = publish(turkey, 2, author=alice, approver=bob)
    drill = services.edition_draft(
        acting_user=alice, country=turkey, content=content(4), is_exercise=True
    )
    services.edition_submit(acting_user=alice, edition=drill)
    services.edition_publish(acting_user=bob, edition=drill)
    assert services.current_edition(turkey) == actual
    assert services.current_edition(turkey, exercise=True) == drill


def test_submit_requires_a_change_note_and_english_text(authority, turkey, alice):
    edition = services.edition_draft(
        acting_user=alice, country=turkey, content=content(2, change_note="", texts={})
    )
    with pytest.raises(ValidationError) as err:
        services.edition_submit(acting_user=alice, edition=edition)
    assert set(err.value.message_dict) == {"texts", "change_note"}


def test_a_level_change_is_never_minor(authority, turkey, alice, bob):
    publish(turkey, 2, author=alice, approver=bob)
    edition = services.edition_draft(
        acting_user=alice, country=turkey, content=content(3, is_minor=True, change_note="")
    )
    with pytest.raises(ValidationError) as err:
        services.edition_submit(acting_user=alice, edition=edition)
    assert "A level change is never a minor edit." in err.value.message_dict["is_minor"]


def test_review_due_defaults_by_level(authority, turkey, alice, bob):
    high = publish(turkey, 4, author=alice, approver=bob)
    effective = timezone.localdate(high.effective_at)
    assert 180 <= (high.review_due - effective).days <= 184


def test_future_effective_time_is_refused(authority, turkey, alice, bob):
    edition = services.edition_draft(
        acting_user=alice,
        country=turkey,
        content=content(2, effective_at=timezone.now() + timedelta(days=2)),
    )
    services.edition_submit(acting_user=alice, edition=edition)
    with pytest.raises(ValidationError) as err:
        services.edition_publish(acting_user=bob, edition=edition)
    assert "effective_at" in err.value.message_dict
    assert Edition.objects.get(pk=edition.pk).status == Status.SUBMITTED


def test_publishing_a_stale_draft_is_refused(authority, turkey, alice, bob):
    publish(turkey, 2, author=alice, approver=bob)
    stale = services.edition_draft(acting_user=alice, country=turkey, content=content(3))
    services.edition_submit(acting_user=alice, edition=stale)
    publish(turkey, 1, author=alice, approver=bob, reasons=())
    with pytest.raises(ValidationError):
        services.edition_publish(acting_user=bob, edition=stale)


def test_roles_are_checked(authority, turkey, alice, bob, mallory):
    with pytest.raises(PermissionDenied):
        services.edition_draft(acting_user=bob, country=turkey, content=content(2))
    with pytest.raises(PermissionDenied):
        services.edition_draft(acting_user=mallory, country=turkey, content=content(2))
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(2))
    services.edition_submit(acting_user=alice, edition=edition)
    with pytest.raises(PermissionDenied):
        services.edition_publish(acting_user=alice, edition=edition)


def test_every_step_writes_an_audit_event(authority, turkey, alice, bob):
    before = AuditEvent.objects.count()
    edition = publish(turkey, 3, author=alice, approver=bob)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions == [
        "advisory.edition.draft",
        "advisory.edition.submit",
        "advisory.edition.publish",
        "alerting.message.create",  # level 3 notifies by default
    ]
    assert (
        AuditEvent.objects.filter(
            object_type="advisories.edition", object_id=str(edition.pk)
        ).count()
        == 3
    )


def test_it_announces_public_changes_after_commit_only(
    authority, turkey, alice, bob, django_capture_on_commit_callbacks
):
    from warden.advisories.signals import publication_committed

    received: list[list[str]] = []

    def receiver(sender, country_codes, **kwargs):
        received.append(country_codes)

    publication_committed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            publish(turkey, 4, author=alice, approver=bob)
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [["TR"]]
        with django_capture_on_commit_callbacks(execute=True):
            drill = services.edition_draft(
                acting_user=alice, country=turkey, content=content(2), is_exercise=True
            )
            services.edition_submit(acting_user=alice, edition=drill)
            services.edition_publish(acting_user=bob, edition=drill)
        assert received == [["TR"]]  # exercises change nothing public
    finally:
        publication_committed.disconnect(receiver)
