"""Shared by the people services: who may act."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

from warden.accounts.roles import authorize

Actor = User | AnonymousUser | None


def authorize_staff(acting_user: Actor, action: str = "people.manage") -> None:
    """Staff need the action's role; ``None`` is the person themselves or the system."""
    if acting_user is not None:
        authorize(acting_user, action)
