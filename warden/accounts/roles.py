"""Staff roles and the actions each may take.

Roles are Django groups with these names. Every service calls ``authorize()`` before it
writes; every console view checks the same action, so the matrix below is the one place
that says who may do what. Superusers get no domain actions from being superusers.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ANALYST = "analyst"
    APPROVER = "approver"
    CONSULAR_OFFICER = "consular_officer"
    MISSION_MANAGER = "mission_manager"
    ADMINISTRATOR = "administrator"


ROLE_LABELS = {
    Role.ANALYST: _("Analyst"),
    Role.APPROVER: _("Approver"),
    Role.CONSULAR_OFFICER: _("Consular officer"),
    Role.MISSION_MANAGER: _("Mission manager"),
    Role.ADMINISTRATOR: _("Administrator"),
}

ALL_ROLES = frozenset(Role)
A, P, C, M, X = (
    Role.ANALYST,
    Role.APPROVER,
    Role.CONSULAR_OFFICER,
    Role.MISSION_MANAGER,
    Role.ADMINISTRATOR,
)

# action -> roles allowed to take it
ACTIONS: dict[str, frozenset[Role]] = {
    "console.view": ALL_ROLES,
    "advisory.view_drafts": frozenset({A, P}),
    "advisory.draft": frozenset({A}),
    "advisory.submit": frozenset({A}),
    "advisory.return": frozenset({P}),
    "advisory.publish": frozenset({P}),
    "advisory.withdraw": frozenset({P}),
    "statement.draft": frozenset({A}),
    "statement.submit": frozenset({A}),
    "statement.return": frozenset({P}),
    "statement.publish": frozenset({P}),
    "statement.withdraw": frozenset({P}),
    "area.manage": frozenset({A}),
    "authority.manage": frozenset({X}),
    "audit.view": frozenset({P, X}),
    "staff.manage": frozenset({X}),
    "people.view": frozenset({C, X}),
    "people.import": frozenset({C, X}),
    "people.manage": frozenset({C, X}),
    "message.view": frozenset({A, P, C, M, X}),
    "message.cancel": frozenset({P}),
    "welfare.view": frozenset({P, C, M, X}),
    "welfare.round": frozenset({C, M}),
    "welfare.record": frozenset({C}),
    "welfare.case": frozenset({C}),
    "welfare.export": frozenset({C}),
    "incident.view": frozenset({A, P, C, M}),
    "incident.edit": frozenset({A}),
    "incident.intake": frozenset({A}),
    "incident.feed_manage": frozenset({X}),
    "post.view": ALL_ROLES,
    "post.view_staff": frozenset({P, C, M, X}),
    "post.manage": frozenset({M, X}),
    "post.change_status": frozenset({M}),
    "post.request": frozenset({C, M}),
    "post.approve": frozenset({P}),
    "post.update_departure": frozenset({C, M}),
    "post.manage_tripwires": frozenset({M}),
    "post.report": frozenset({C, M}),
}


def user_roles(user: User | AnonymousUser | None) -> frozenset[Role]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_warden_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        setattr(user, "_warden_roles", cached)  # noqa: B010 (cache on the instance)
    return cached


def can(user: User | AnonymousUser | None, action: str) -> bool:
    return bool(ACTIONS[action] & user_roles(user))


def authorize(user: User | AnonymousUser | None, action: str) -> None:
    """Raise PermissionDenied unless one of ``user``'s roles may take ``action``."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")
    if not can(user, action):
        roles = ", ".join(sorted(str(ROLE_LABELS[r]) for r in ACTIONS[action]))
        raise PermissionDenied(_("This needs one of these roles: %(roles)s.") % {"roles": roles})
