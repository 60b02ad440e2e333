"""What a status decision says, and the checks that make it complete for its target."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.missions.models import Post, PostStatus, Scope

S = PostStatus
DEPARTURES = (S.AUTHORIZED_DEPARTURE, S.ORDERED_DEPARTURE)


@dataclass(frozen=True)
class DecisionDetails:
    """The reasons, scope and dates of a change of status.

    ``scope``, ``safe_haven`` are for departures; ``deadline`` for ordered departure;
    ``alternate_post`` for suspension; ``return_date`` for resuming. ``effective_at``
    defaults to the moment the decision takes effect.
    """

    reasons: str
    scope: str = ""
    deadline: datetime | None = None
    safe_haven: str = ""
    is_temporary: bool = False
    review_date: date | None = None
    alternate_post: Post | None = None
    return_date: date | None = None
    committee_notes: str = ""
    effective_at: datetime | None = None


def _problems(post: Post, target: str, d: DecisionDetails) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not d.reasons.strip():
        problems["reasons"] = _("Give the reasons for this decision.")
    if target in DEPARTURES:
        if d.scope not in Scope.values:
            problems["scope"] = _("Say who leaves: family members, non-emergency staff or all.")
        if not d.safe_haven.strip():
            problems["safe_haven"] = _("Name the safe haven people leave for.")
    if target == S.ORDERED_DEPARTURE and d.deadline is None:
        problems["deadline"] = _("An ordered departure needs a deadline.")
    start = d.effective_at or timezone.now()
    if d.deadline is not None and d.deadline <= start:
        problems["deadline"] = _("The deadline must be after the decision takes effect.")
    if d.is_temporary and d.review_date is None:
        problems["review_date"] = _("A temporary decision needs a review date.")
    if d.review_date is not None and d.review_date < start.date():
        problems["review_date"] = _("The review date cannot be before the decision.")
    if target == S.SUSPENDED:
        problems.update(_alternate_problems(post, d.alternate_post))
    return problems


def _alternate_problems(post: Post, alternate: Post | None) -> dict[str, str]:
    if alternate is None:
        return {"alternate_post": _("Name the post that takes over consular services.")}
    if alternate.pk == post.pk:
        return {"alternate_post": _("The alternate post must be another post.")}
    if alternate.status in (S.SUSPENDED, S.ORDERED_DEPARTURE):
        return {
            "alternate_post": _("%(post)s cannot take over: its own staff are leaving.")
            % {"post": alternate.name}
        }
    return {}


def clean_details(post: Post, target: str, details: DecisionDetails) -> DecisionDetails:
    """The details trimmed and reduced to what ``target`` uses, or ValidationError."""
    problems = _problems(post, target, details)
    if problems:
        raise ValidationError(problems)
    return replace(
        details,
        reasons=details.reasons.strip(),
        scope=details.scope if target in DEPARTURES else "",
        safe_haven=details.safe_haven.strip() if target in DEPARTURES else "",
        deadline=details.deadline if target == S.ORDERED_DEPARTURE else None,
        alternate_post=details.alternate_post if target == S.SUSPENDED else None,
        return_date=details.return_date if target in (S.RESUMING, S.NORMAL) else None,
        committee_notes=details.committee_notes.strip(),
    )
