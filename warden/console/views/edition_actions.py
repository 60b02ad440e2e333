"""The approval buttons: each POST calls one service and returns to the edition."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.advisories import services
from warden.advisories.models import Edition
from warden.console.access import StaffRequest, staff_required
from warden.console.views.common import perform


def _back(edition: Edition) -> HttpResponse:
    return redirect("console:edition", pk=edition.pk)


@staff_required("advisory.submit")
@require_POST
def edition_submit(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    perform(
        request,
        lambda: services.edition_submit(acting_user=request.user, edition=edition),
        _("Submitted for approval. Another approver can now publish it."),
    )
    return _back(edition)


@staff_required("advisory.publish")
@require_POST
def edition_publish(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    # Without the form's checkbox (an older page, a script): the service's default.
    notify = request.POST.get("notify") == "on" if request.POST.get("notify_shown") else None
    perform(
        request,
        lambda: services.edition_publish(acting_user=request.user, edition=edition, notify=notify),
        _("Published. This edition is now in force."),
    )
    return _back(edition)


@staff_required("advisory.return")
@require_POST
def edition_return(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    comment = request.POST.get("comment", "")
    perform(
        request,
        lambda: services.edition_return(acting_user=request.user, edition=edition, comment=comment),
        _("Returned to the author with your comment."),
    )
    return _back(edition)


@staff_required("advisory.withdraw")
@require_POST
def edition_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk)
    reason = request.POST.get("reason", "")
    perform(
        request,
        lambda: services.edition_withdraw(acting_user=request.user, edition=edition, reason=reason),
        _("Withdrawn. The edition it replaced is in force again, if there was one."),
    )
    return _back(edition)
