"""Reads that only the console needs: counts, authors, audit trails, who may publish."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from warden.accounts.roles import ROLE_LABELS, user_roles
from warden.advisories.models import Edition, Statement, Status
from warden.advisories.rules import author_ids, blocked_by_two_person_rule
from warden.advisories.services import current_edition
from warden.audit.models import AuditEvent

PENDING = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class PendingCounts:
    drafts: int
    submitted: int
    returned: int
    statements_submitted: int

    @property
    def total(self) -> int:
        return self.drafts + self.submitted + self.returned


def pending_counts() -> PendingCounts:
    editions = Edition.objects.aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
    )
    statements = Statement.objects.filter(status=Status.SUBMITTED).count()
    return PendingCounts(statements_submitted=statements, **editions)


@dataclass(frozen=True)
class Author:
    user: User
    part: str  # what they did: "author, submitted it"
    roles: str


def authors(obj: Edition | Statement) -> list[Author]:
    """Everyone who wrote, edited or submitted ``obj``, the first author first."""
    parts: dict[int, tuple[User, list[str]]] = {obj.author_id: (obj.author, [_("author")])}
    for user in obj.contributors.order_by("username"):
        parts.setdefault(user.pk, (user, []))[1].append(_("contributor"))
    if obj.submitted_by is not None:
        submitter = obj.submitted_by
        parts.setdefault(submitter.pk, (submitter, []))[1].append(_("submitted it"))
    return [Author(user, ", ".join(labels), _role_labels(user)) for user, labels in parts.values()]


def _role_labels(user: User) -> str:
    return ", ".join(str(ROLE_LABELS[role]) for role in sorted(user_roles(user)))


def comparison_base(edition: Edition) -> Edition | None:
    """What an approver compares against: the current edition, or what this one replaced."""
    if edition.status in PENDING:
        current = current_edition(edition.country, exercise=edition.is_exercise)
        return current if current is None or current.pk != edition.pk else None
    return edition.previous


def second_person_block(user: AbstractBaseUser | AnonymousUser, edition: Edition) -> str:
    """Why ``user`` cannot publish or withdraw ``edition`` themselves, or "" if they can.

    This only explains; the services enforce the same rule on every request.
    """
    other = edition.previous if edition.status == Status.PUBLISHED else comparison_base(edition)
    if not blocked_by_two_person_rule(user_id=user.pk, edition=edition, other=other):
        return ""
    return _(
        "You wrote, edited or submitted this edition, and it involves level 3 or "
        "higher. Another approver must decide on it."
    )


def statement_second_person_block(
    user: AbstractBaseUser | AnonymousUser, statement: Statement
) -> str:
    if user.pk not in author_ids(statement):
        return ""
    return _("You wrote, edited or submitted this statement. Another approver must decide on it.")


def object_events(obj: Edition | Statement) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("id")


def pending_editions_for(country_code: str) -> QuerySet[Edition]:
    return (
        Edition.objects.filter(country_id=country_code, status__in=PENDING)
        .select_related("author")
        .order_by("-updated_at")
    )


def statements_for_console(*, include_drafts: bool) -> QuerySet[Statement]:
    qs = Statement.objects.prefetch_related("texts", "countries").select_related("author")
    if not include_drafts:
        qs = qs.exclude(status__in=PENDING)
    return qs.order_by("-updated_at")


def audit_object_types() -> list[str]:
    return list(
        AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct()
    )


def audit_search(
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    **_ignored: Any,
) -> QuerySet[AuditEvent]:
    """Audit events matching every filter given, newest first."""
    qs = AuditEvent.objects.all()
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs.order_by("-id")
