"""Who may open a console page: signed in, second factor verified, and the action's role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from warden.accounts.mfa import is_verified
from warden.accounts.roles import ACTIONS, authorize

View = TypeVar("View", bound=Callable[..., HttpResponse])


class StaffRequest(HttpRequest):
    """What a view behind ``staff_required`` receives: a signed-in, verified staff user."""

    user: User


def staff_required(action: str) -> Callable[[View], View]:
    """Decorate a console view with the action it needs (see ``warden.accounts.roles``).

    Anonymous or password-only (unverified) sessions are sent to sign in; a signed-in user
    without the role gets the 403 page, which names the roles that may do it.
    """
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_verified(request):
                return redirect_to_login(request.get_full_path())
            authorize(request.user, action)
            return view(request, *args, **kwargs)

        wrapped.staff_action = action  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorator
