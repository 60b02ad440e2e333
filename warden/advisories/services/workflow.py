"""Steps that editions and statements share: status checks, submission, return."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.advisories.models import Edition, Statement, Status
from warden.advisories.rules import can_transition

Workflowed = Edition | Statement


def require_status(obj: Workflowed, target: str) -> None:
    if not can_transition(obj.status, target):
        raise ValidationError(
            _("A %(status)s item cannot become %(target)s.")
            % {"status": obj.get_status_display().lower(), "target": Status(target).label.lower()}
        )


def mark_submitted(obj: Workflowed, *, acting_user: User) -> None:
    """Move a complete draft to the approvers; the caller has checked it is complete."""
    require_status(obj, Status.SUBMITTED)
    obj.status = Status.SUBMITTED
    obj.submitted_by = acting_user
    obj.submitted_at = timezone.now()
    obj.returned_comment = ""
    obj.save()


def mark_returned(obj: Workflowed, *, comment: str) -> str:
    """Send a submitted item back to its author; returns the cleaned comment."""
    require_status(obj, Status.RETURNED)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Tell the author what to change.")})
    obj.status = Status.RETURNED
    obj.returned_comment = comment
    obj.save()
    return comment
