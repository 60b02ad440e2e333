"""Shared by the console views: run a service call and report its outcome as messages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize, can
from warden.advisories.models import Status

PENDING = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


def perform(request: HttpRequest, call: Callable[[], object], done: str) -> bool:
    """Call a service; on success say ``done``, otherwise show why. Never lets it become a 500.

    The services check roles and the two-person rule themselves, so a refused request
    (PermissionDenied, including TwoPersonRuleError) or bad input (ValidationError) ends
    here as an error message.
    """
    try:
        call()
    except PermissionDenied as refused:
        messages.error(request, str(refused) or _("You may not do this."))
    except ValidationError as invalid:
        for message in invalid.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        return True
    return False


def require_draft_access(request: HttpRequest, status: str) -> None:
    """Drafts, submissions and returned items are for analysts and approvers only."""
    if status in PENDING:
        authorize(request.user, "advisory.view_drafts")


def may(request: HttpRequest, action: str) -> bool:
    return can(request.user, action)
