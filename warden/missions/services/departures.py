"""Per-person departure state: set by decisions, by the person's own link, or by staff.

Kept apart from welfare status: "at the safe haven" says where someone is in the drawdown,
not whether they are safe.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.missions import links, rules
from warden.missions.models import (
    DepartureEvent,
    DepartureState,
    PostDecision,
    Scope,
    StaffMember,
)

MAX_NOTE = 300


def _move(
    staff: StaffMember,
    target: str,
    *,
    channel: str,
    now: datetime,
    author: User | None = None,
    decision: PostDecision | None = None,
    note: str = "",
) -> DepartureEvent:
    """Write the change and its event; the caller has checked that it is allowed."""
    event = DepartureEvent.objects.create(
        staff=staff,
        from_state=staff.departure_state,
        to_state=target,
        channel=channel,
        author=author,
        decision=decision,
        note=note[:MAX_NOTE],
        occurred_at=now,
    )
    staff.departure_state = target
    staff.departure_updated_at = now
    staff.save(update_fields=["departure_state", "departure_updated_at"])
    return event


def _check_move(staff: StaffMember, target: str) -> None:
    if target not in DepartureState.values:
        raise ValidationError({"state": _("Choose a departure state.")})
    current = DepartureState(staff.departure_state)
    if not rules.can_move(current, target):
        raise ValidationError(
            {
                "state": _("Someone who is “%(current)s” cannot become “%(target)s”.")
                % {"current": current.label, "target": DepartureState(target).label}
            }
        )
    if target == DepartureState.RETURNED and staff.post.status not in rules.RETURN_ALLOWED_IN:
        raise ValidationError(
            {"state": _("People cannot return while the departure is in force at this post.")}
        )


@transaction.atomic
def departure_update(
    *, acting_user: User, staff: StaffMember, state: str, note: str = ""
) -> StaffMember:
    """A mission manager or the crisis cell records where someone is."""
    authorize(acting_user, "post.update_departure")
    staff = StaffMember.objects.select_for_update().select_related("post").get(pk=staff.pk)
    _check_move(staff, state)
    before = staff.departure_state
    _move(staff, state, channel="staff", now=timezone.now(), author=acting_user, note=note)
    record(
        actor=acting_user,
        action="missions.departure.update",
        obj=staff,
        before={"state": before},
        after={"state": state, "post": staff.post_id},
    )
    return staff


@transaction.atomic
def departure_report(*, token: str, state: str) -> StaffMember:
    """The person reports their own progress through their signed link.

    PermissionDenied for a tampered or expired link; ValidationError for a state they may
    not choose themselves (eligibility, orders and exemptions are decided by staff).
    """
    found = links.staff_for_token(token)
    if found is None:
        raise PermissionDenied(_("This link is not valid. Ask your post for a new one."))
    staff = StaffMember.objects.select_for_update().select_related("post").get(pk=found.pk)
    if state not in rules.self_service_targets(staff.departure_state, staff.post.status):
        raise ValidationError({"state": _("You cannot choose this state now.")})
    _check_move(staff, state)
    before = staff.departure_state
    _move(staff, state, channel="link", now=timezone.now())
    record(
        actor=None,
        action="missions.departure.report",
        obj=staff,
        before={"state": before},
        after={"state": state, "post": staff.post_id},
    )
    return staff


def staff_in_scope(decision: PostDecision) -> list[StaffMember]:
    """The staff and family members a departure decision covers."""
    scope = Scope.ALL if decision.to_status == rules.S.SUSPENDED else decision.scope
    return [
        member
        for member in decision.post.staff.select_for_update().order_by("id")
        if rules.in_scope(category=member.category, is_emergency=member.is_emergency, scope=scope)
    ]


def people_follow(decision: PostDecision, *, now: datetime) -> dict[str, int]:
    """Move people as ``decision`` says: into eligibility or orders, or, when a departure is
    lifted, back "at post" if they had not left. Returns how many moved to each state."""
    target = rules.departure_state_for(decision.to_status)
    covered = {m.pk for m in staff_in_scope(decision)} if target else set()
    moved: dict[str, int] = {}
    for member in decision.post.staff.select_for_update().order_by("id"):
        current = member.departure_state
        if member.pk in covered and target is not None:
            new = target if current in rules.MAY_BE_MOVED else None
        else:
            new = DepartureState.AT_POST if current in rules.NOT_LEFT else None
        if new is None or new == current:
            continue
        _move(member, new, channel="decision", now=now, decision=decision)
        moved[new] = moved.get(new, 0) + 1
    return moved
