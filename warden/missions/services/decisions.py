"""A post's status, changed by decisions.

Watch, resuming, normal and steps down that need no second person take effect at once
(``status_change``). Authorized departure, ordered departure and suspension are requested
by one person (``decision_request``) and take effect when a different person approves them
(``decision_approve``); the request and the approval are both on the decision row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.advisories.models import Edition
from warden.audit.services import record
from warden.missions import notify, rules
from warden.missions.models import Post, PostDecision, PostStatus
from warden.missions.services.departures import people_follow
from warden.missions.services.details import DecisionDetails, clean_details
from warden.missions.services.matching import advisory_match, advisory_still_matches

State = PostDecision.State


class TwoPersonRuleError(PermissionDenied):
    """The approver is the person who asked for the decision."""


def _lock(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("country").get(pk=post.pk)


def _check_target(post: Post, target: str) -> None:
    if target not in PostStatus.values:
        raise ValidationError({"to_status": _("Choose a status.")})
    if not rules.can_transition(post.status, target):
        raise ValidationError(
            {
                "to_status": _("A post in “%(current)s” cannot move to “%(target)s”.")
                % {
                    "current": PostStatus(post.status).label,
                    "target": PostStatus(target).label,
                }
            }
        )


def _check_no_open_request(post: Post) -> None:
    if post.decisions.filter(state=State.REQUESTED).exists():
        raise ValidationError(
            _("A request is waiting for approval: approve, reject or cancel it first.")
        )


def _snapshot(decision: PostDecision) -> dict[str, Any]:
    return {
        "post": decision.post_id,
        "from": decision.from_status,
        "to": decision.to_status,
        "state": decision.state,
        "scope": decision.scope,
        "deadline": decision.deadline.isoformat() if decision.deadline else None,
        "temporary": decision.is_temporary,
        "review_date": decision.review_date.isoformat() if decision.review_date else None,
        "alternate_post": decision.alternate_post_id,
        "advisory": decision.advisory_id,
    }


def _new_decision(
    post: Post, target: str, details: DecisionDetails, *, user: User | None, now: datetime
) -> PostDecision:
    return PostDecision(
        post=post,
        from_status=post.status,
        to_status=target,
        needs_approval=rules.needs_two_people(target),
        reasons=details.reasons,
        scope=details.scope,
        deadline=details.deadline,
        safe_haven=details.safe_haven,
        is_temporary=details.is_temporary,
        review_date=details.review_date,
        alternate_post=details.alternate_post,
        return_date=details.return_date,
        committee_notes=details.committee_notes,
        effective_at=details.effective_at,
        requested_by=user,
        requested_at=now,
    )


def apply_decision(decision: PostDecision, *, decider: User | None, now: datetime) -> None:
    """Put an approved decision in force: the post's status and its people follow it."""
    post = decision.post
    decision.state = State.APPROVED
    decision.decided_by = decider
    decision.decided_at = now
    decision.effective_at = decision.effective_at or now
    decision.save()
    post.status = decision.to_status
    post.status_since = decision.effective_at
    post.is_temporary = decision.is_temporary
    post.review_date = decision.review_date
    post.alternate_post = decision.alternate_post
    post.current_decision = decision
    post.save()
    moved = people_follow(decision, now=decision.effective_at)
    record(
        actor=decider,
        action="missions.decision.apply",
        obj=decision,
        after=_snapshot(decision) | {"moved": moved},
    )


@transaction.atomic
def status_change(
    *, acting_user: User, post: Post, to_status: str, details: DecisionDetails
) -> PostDecision:
    """Change a post's status at once: watch, resuming, normal, or a step down that needs
    no second person."""
    authorize(acting_user, "post.change_status")
    post = _lock(post)
    _check_target(post, to_status)
    if rules.needs_two_people(to_status):
        raise ValidationError(
            {"to_status": _("This change needs a request and the approval of a second person.")}
        )
    _check_no_open_request(post)
    details = clean_details(post, to_status, details)
    now = timezone.now()
    decision = _new_decision(post, to_status, details, user=acting_user, now=now)
    apply_decision(decision, decider=acting_user, now=now)
    return decision


@transaction.atomic
def decision_request(
    *,
    acting_user: User,
    post: Post,
    to_status: str,
    details: DecisionDetails,
    advisory: Edition | None = None,
) -> PostDecision:
    """Ask for authorized departure, ordered departure or suspension.

    For ordered departure, ``advisory`` may name a draft (by the requester) or a submitted
    edition raising the country to level 3 or higher; a draft is submitted here.
    """
    authorize(acting_user, "post.request")
    post = _lock(post)
    _check_target(post, to_status)
    if not rules.needs_two_people(to_status):
        raise ValidationError({"to_status": _("This change needs no approval: make it directly.")})
    _check_no_open_request(post)
    details = clean_details(post, to_status, details)
    decision = _new_decision(post, to_status, details, user=acting_user, now=timezone.now())
    if rules.needs_matching_advisory(to_status):
        decision.advisory = advisory_match(acting_user=acting_user, post=post, edition=advisory)
    decision.state = State.REQUESTED
    decision.save()
    record(
        actor=acting_user,
        action="missions.decision.request",
        obj=decision,
        after=_snapshot(decision),
    )
    return decision


def _lock_request(decision: PostDecision) -> PostDecision:
    decision = PostDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.state != State.REQUESTED:
        raise ValidationError(_("This decision is no longer waiting for approval."))
    decision.post = _lock(decision.post)
    return decision


@transaction.atomic
def decision_approve(*, acting_user: User, decision: PostDecision) -> PostDecision:
    """Approve someone else's request; it takes effect and its people are told."""
    authorize(acting_user, "post.approve")
    decision = _lock_request(decision)
    if decision.requested_by_id == acting_user.pk:
        raise TwoPersonRuleError(
            _("You asked for this decision. A different person must approve it.")
        )
    if decision.post.status != decision.from_status:
        raise ValidationError(
            _("The post's status has changed since this request. Reject it and ask again.")
        )
    if rules.needs_matching_advisory(decision.to_status):
        advisory_still_matches(decision.post, decision.advisory)
    apply_decision(decision, decider=acting_user, now=timezone.now())
    notify.notify_staff(decision)
    return decision


@transaction.atomic
def decision_reject(*, acting_user: User, decision: PostDecision, comment: str) -> PostDecision:
    authorize(acting_user, "post.approve")
    decision = _lock_request(decision)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the request is rejected.")})
    decision.state = State.REJECTED
    decision.decided_by = acting_user
    decision.decided_at = timezone.now()
    decision.decision_comment = comment.strip()
    decision.save()
    record(
        actor=acting_user,
        action="missions.decision.reject",
        obj=decision,
        summary=comment.strip()[:500],
        after=_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_cancel(*, acting_user: User, decision: PostDecision) -> PostDecision:
    """The requester withdraws their own request before anyone decides on it."""
    authorize(acting_user, "post.request")
    decision = _lock_request(decision)
    if decision.requested_by_id != acting_user.pk:
        raise PermissionDenied(_("Only the person who asked can cancel a request."))
    decision.state = State.CANCELLED
    decision.decided_at = timezone.now()
    decision.save()
    record(
        actor=acting_user,
        action="missions.decision.cancel",
        obj=decision,
        after=_snapshot(decision),
    )
    return decision


@transaction.atomic
def drawdown_remind(*, acting_user: User, post: Post) -> int:
    """Remind the people covered by the departure in force who have not left yet."""
    authorize(acting_user, "post.update_departure")
    post = _lock(post)
    decision = post.current_decision
    if decision is None or post.status not in rules.DEPARTED:
        raise ValidationError(_("No departure is in force at this post."))
    sent = notify.remind_staff(decision, acting_user=acting_user)
    record(
        actor=acting_user,
        action="missions.decision.remind",
        obj=decision,
        after={"post": post.pk, "messages": sent},
    )
    return sent
