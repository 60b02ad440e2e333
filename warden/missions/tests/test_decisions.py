"""Status decisions: single-step changes, requests and approvals by two people, validation,
and what a decision does to the post, its people and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from warden.alerting.models import Message
from warden.audit.models import AuditEvent
from warden.missions import services
from warden.missions.models import DepartureEvent, PostDecision, PostStatus
from warden.missions.tests.conftest import order_details

pytestmark = pytest.mark.django_db

D = services.DecisionDetails


def watch(post, user):
    return services.status_change(
        acting_user=user, post=post, to_status="watch", details=D(reasons="Protests nearby.")
    )


def test_a_mission_manager_moves_a_post_to_watch_at_once(erin, ankara):
    decision = watch(ankara, erin)

    ankara.refresh_from_db()
    assert (ankara.status, ankara.current_decision) == ("watch", decision)
    assert (decision.state, decision.requested_by, decision.decided_by) == ("approved", erin, erin)
    assert decision.needs_approval is False
    event = AuditEvent.objects.get(action="missions.decision.apply")
    assert event.after is not None
    assert (event.after["to"], event.after["state"]) == ("watch", "approved")
    assert event.actor_id == erin.pk


@pytest.mark.parametrize("target", ["authorized_departure", "ordered_departure", "suspended"])
def test_a_serious_step_cannot_be_taken_alone(erin, ankara, target):
    with pytest.raises(ValidationError, match="approval of a second person"):
        services.status_change(
            acting_user=erin, post=ankara, to_status=target, details=order_details()
        )
    ankara.refresh_from_db()
    assert ankara.status == "normal"


def test_an_invalid_transition_is_refused_with_its_name(erin, ankara):
    with pytest.raises(ValidationError, match="“Normal operations” cannot move to “Resuming"):
        services.status_change(
            acting_user=erin, post=ankara, to_status="resuming", details=D(reasons="x")
        )


def test_reasons_are_required(erin, ankara):
    with pytest.raises(ValidationError) as refused:
        services.status_change(acting_user=erin, post=ankara, to_status="watch", details=D("  "))
    assert "reasons" in refused.value.message_dict


def test_a_request_needs_a_different_approver(erin, bob, carol, ankara, staff, level):
    level(4)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    ankara.refresh_from_db()
    assert (decision.state, ankara.status) == ("requested", "normal")

    services.decision_approve(acting_user=bob, decision=decision)

    ankara.refresh_from_db()
    decision.refresh_from_db()
    assert (ankara.status, decision.state, decision.decided_by) == (
        "authorized_departure",
        "approved",
        bob,
    )
    assert (ankara.is_temporary, ankara.review_date) == (True, decision.review_date)


def test_nobody_approves_their_own_request(dave, ankara, level, cast):
    """dave (crisis cell) requests; give him the approver role too: still refused."""
    from django.contrib.auth.models import Group

    dave.groups.add(Group.objects.get_or_create(name="approver")[0])
    dave = type(dave).objects.get(pk=dave.pk)  # roles are cached on the instance
    level(4)
    decision = services.decision_request(
        acting_user=dave, post=ankara, to_status="ordered_departure", details=order_details()
    )
    with pytest.raises(services.TwoPersonRuleError, match="different person"):
        services.decision_approve(acting_user=dave, decision=decision)
    decision.refresh_from_db()
    ankara.refresh_from_db()
    assert (decision.state, ankara.status) == ("requested", "normal")


def test_the_database_refuses_a_self_approved_serious_decision(erin, ankara):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        PostDecision.objects.create(
            post=ankara, from_status="normal", to_status="suspended", state="approved",
            needs_approval=True, reasons="x", requested_by=erin, requested_at=now,
            decided_by=erin, decided_at=now,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "action"),
    [
        ("alice", "request"),
        ("bob", "request"),
        ("mallory", "request"),
        ("erin", "approve"),
        ("dave", "approve"),
        ("dave", "change"),
        ("frank", "change"),
    ],
)
def test_roles(cast, ankara, level, name, action):
    level(4)
    user = cast[name]
    with pytest.raises(PermissionDenied):
        if action == "request":
            services.decision_request(
                acting_user=user, post=ankara, to_status="suspended", details=order_details()
            )
        elif action == "change":
            watch(ankara, user)
        else:
            decision = services.decision_request(
                acting_user=cast["erin"],
                post=ankara,
                to_status="authorized_departure",
                details=order_details(),
            )
            services.decision_approve(acting_user=user, decision=decision)


def test_one_open_request_at_a_time(erin, dave, ankara):
    services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    with pytest.raises(ValidationError, match="waiting for approval"):
        services.decision_request(
            acting_user=dave, post=ankara, to_status="authorized_departure",
            details=order_details(),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="waiting for approval"):
        watch(ankara, erin)


def test_a_stale_request_cannot_be_approved(erin, bob, ankara, istanbul):
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    ankara.status = "watch"  # changed behind the request's back
    ankara.save()
    with pytest.raises(ValidationError, match="has changed since this request"):
        services.decision_approve(acting_user=bob, decision=decision)


def test_reject_needs_a_comment_and_cancel_is_for_the_requester(erin, dave, bob, ankara):
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    with pytest.raises(ValidationError):
        services.decision_reject(acting_user=bob, decision=decision, comment=" ")
    with pytest.raises(PermissionDenied, match="Only the person who asked"):
        services.decision_cancel(acting_user=dave, decision=decision)

    services.decision_reject(acting_user=bob, decision=decision, comment="Not yet.")

    decision.refresh_from_db()
    assert (decision.state, decision.decision_comment) == ("rejected", "Not yet.")
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.decision_approve(acting_user=bob, decision=decision)
    again = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure", details=order_details()
    )
    assert services.decision_cancel(acting_user=erin, decision=again).state == "cancelled"


# target -> (field that must be given, details without it)
MISSING = [
    ("authorized_departure", "scope", {"scope": ""}),
    ("authorized_departure", "safe_haven", {"safe_haven": " "}),
    ("ordered_departure", "deadline", {"deadline": None}),
    ("ordered_departure", "deadline", {"deadline": timezone.now() - timedelta(hours=1)}),
    ("suspended", "alternate_post", {}),
    ("authorized_departure", "review_date", {"review_date": None}),
    ("authorized_departure", "review_date", {"review_date": timezone.now().date() - timedelta(1)}),
]


@pytest.mark.parametrize(("target", "field", "overrides"), MISSING)
def test_each_decision_says_what_it_needs(erin, ankara, level, target, field, overrides):
    level(4)
    with pytest.raises(ValidationError) as refused:
        services.decision_request(
            acting_user=erin, post=ankara, to_status=target, details=order_details(**overrides)
        )
    assert field in refused.value.message_dict


def test_suspension_names_another_working_post(erin, bob, ankara, istanbul, level):
    level(4)
    with pytest.raises(ValidationError, match="must be another post"):
        services.decision_request(
            acting_user=erin, post=ankara, to_status="suspended",
            details=order_details(alternate_post=ankara),
        )  # fmt: skip
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="suspended",
        details=order_details(alternate_post=istanbul),
    )  # fmt: skip
    services.decision_approve(acting_user=bob, decision=decision)

    ankara.refresh_from_db()
    assert (ankara.status, ankara.alternate_post) == ("suspended", istanbul)
    with pytest.raises(ValidationError, match="its own staff are leaving"):
        services.decision_request(
            acting_user=erin, post=istanbul, to_status="suspended",
            details=order_details(alternate_post=ankara),
        )  # fmt: skip


def test_an_ordered_departure_moves_the_people_in_scope_and_messages_each(
    erin, bob, ankara, staff, level
):
    level(4)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="ordered_departure", details=order_details()
    )
    services.decision_approve(acting_user=bob, decision=decision)

    states = {name: m.__class__.objects.get(pk=m.pk).departure_state for name, m in staff.items()}
    assert states == {"head": "at_post", "officer": "ordered", "spouse": "ordered",
                      "local": "at_post"}  # fmt: skip
    messages = Message.objects.filter(reference=f"missions.decision:{decision.pk}")
    assert sorted(pk for m in messages for pk in m.people or []) == sorted(
        [staff["officer"].person_id, staff["spouse"].person_id]
    )
    message = messages.earliest("id")
    assert (message.kind, message.priority, message.answers) == ("drawdown", 0, True)
    assert message.texts["en"]["title"] == "Ordered departure at Embassy in Ankara"
    assert "Safe haven: Athens" in message.texts["en"]["body"]
    assert "/missions/departure/" in message.texts["en"]["url"]
    assert set(message.texts) == {"en", "he"}
    events = DepartureEvent.objects.filter(decision=decision)
    assert events.count() == 2 and {e.channel for e in events} == {"decision"}
    # A staff check-in round opens with the order, for exactly the people it covers.
    from warden.welfare.models import CheckInRound

    checkin = CheckInRound.objects.get(people__isnull=False)
    assert sorted(checkin.people or []) == sorted(
        [staff["officer"].person_id, staff["spouse"].person_id]
    )
    assert (checkin.country_id, checkin.title) == ("TR", "Staff check-in: Embassy in Ankara")
    assert checkin.members.count() == 2


def test_stepping_down_puts_those_who_had_not_left_back_at_post(erin, bob, ankara, staff, level):
    level(4)
    request = services.decision_request(
        acting_user=erin, post=ankara, to_status="authorized_departure",
        details=order_details(scope="all"),
    )  # fmt: skip
    services.decision_approve(acting_user=bob, decision=request)
    services.departure_update(acting_user=erin, staff=staff["spouse"], state="departing")

    services.status_change(
        acting_user=erin, post=ankara, to_status="resuming",
        details=D(reasons="Calmer.", return_date=timezone.now().date()),
    )  # fmt: skip

    def state(name):
        return staff[name].__class__.objects.get(pk=staff[name].pk).departure_state

    assert [state(n) for n in ("head", "officer", "spouse", "local")] == [
        "at_post", "at_post", "departing", "at_post",
    ]  # fmt: skip
    ankara.refresh_from_db()
    assert ankara.status == PostStatus.RESUMING


def test_reminders_go_to_those_who_have_not_left(erin, bob, dave, ankara, staff, level):
    level(4)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="ordered_departure", details=order_details()
    )
    services.decision_approve(acting_user=bob, decision=decision)
    services.departure_update(acting_user=dave, staff=staff["spouse"], state="departing")

    sent = services.drawdown_remind(acting_user=dave, post=ankara)

    reminders = Message.objects.filter(texts__en__title__startswith="Reminder")
    assert sent == 1
    assert [m.people for m in reminders] == [[staff["officer"].person_id]]


def test_no_reminder_without_a_departure(dave, ankara):
    with pytest.raises(ValidationError, match="No departure is in force"):
        services.drawdown_remind(acting_user=dave, post=ankara)
