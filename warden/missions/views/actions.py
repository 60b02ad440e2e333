"""The post page's buttons: each POST calls one service and returns to the post."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.console.access import StaffRequest, staff_required
from warden.console.views.common import perform
from warden.missions import forms, rules, services
from warden.missions.models import Post, PostDecision, StaffMember, Tripwire


def _back(post_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("console:post", pk=post_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _invalid(request: StaffRequest, form: django_forms.Form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@staff_required("post.view")
@require_POST
def post_decide(request: StaffRequest, pk: int) -> HttpResponse:
    """One form for every status change: serious ones become requests, others apply at once."""
    post = get_object_or_404(Post, pk=pk)
    form = forms.DecisionForm(request.POST, post=post)
    if not form.is_valid():
        _invalid(request, form)
        return _back(post.pk, "decide")
    target = form.cleaned_data["to_status"]
    if rules.needs_two_people(target):
        perform(
            request,
            lambda: services.decision_request(
                acting_user=request.user,
                post=post,
                to_status=target,
                details=form.details(),
                advisory=form.cleaned_data["advisory"],
            ),
            _("Requested. A second person must approve it before it takes effect."),
        )
    else:
        perform(
            request,
            lambda: services.status_change(
                acting_user=request.user, post=post, to_status=target, details=form.details()
            ),
            _("The post's status is changed."),
        )
    return _back(post.pk)


@staff_required("post.approve")
@require_POST
def decision_approve(request: StaffRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(PostDecision, pk=pk)
    perform(
        request,
        lambda: services.decision_approve(acting_user=request.user, decision=decision),
        _("Approved. The decision is in force and the people it covers are being told."),
    )
    return _back(decision.post_id)


@staff_required("post.approve")
@require_POST
def decision_reject(request: StaffRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(PostDecision, pk=pk)
    comment = request.POST.get("comment", "")
    perform(
        request,
        lambda: services.decision_reject(
            acting_user=request.user, decision=decision, comment=comment
        ),
        _("Rejected. The requester can see your comment."),
    )
    return _back(decision.post_id)


@staff_required("post.request")
@require_POST
def decision_cancel(request: StaffRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(PostDecision, pk=pk)
    perform(
        request,
        lambda: services.decision_cancel(acting_user=request.user, decision=decision),
        _("Your request is cancelled."),
    )
    return _back(decision.post_id)


@staff_required("post.update_departure")
@require_POST
def departure_update(request: StaffRequest, pk: int) -> HttpResponse:
    staff = get_object_or_404(StaffMember, pk=pk)
    form = forms.DepartureForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.departure_update(
                acting_user=request.user,
                staff=staff,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
            ),
            _("Departure updated."),
        )
    else:
        _invalid(request, form)
    return _back(staff.post_id, "staff")


@staff_required("post.update_departure")
@require_POST
def drawdown_remind(request: StaffRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    perform(
        request,
        lambda: services.drawdown_remind(acting_user=request.user, post=post),
        _("Reminders are on their way to everyone who has not left yet."),
    )
    return _back(post.pk)


@staff_required("post.manage_tripwires")
@require_POST
def tripwire_create(request: StaffRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    form = forms.TripwireForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: services.tripwire_create(acting_user=request.user, post=post, **data),
            _("Tripwire added."),
        )
    else:
        _invalid(request, form)
    return _back(post.pk, "tripwires")


@staff_required("post.manage_tripwires")
@require_POST
def tripwire_deactivate(request: StaffRequest, pk: int) -> HttpResponse:
    tripwire = get_object_or_404(Tripwire, pk=pk)
    perform(
        request,
        lambda: services.tripwire_deactivate(acting_user=request.user, tripwire=tripwire),
        _("Tripwire switched off."),
    )
    return _back(tripwire.post_id, "tripwires")


@staff_required("post.request")
@require_POST
def tripwire_pull(request: StaffRequest, pk: int) -> HttpResponse:
    tripwire = get_object_or_404(Tripwire, pk=pk)
    note = request.POST.get("note", "")
    perform(
        request,
        lambda: services.tripwire_pull(acting_user=request.user, tripwire=tripwire, note=note),
        _("Tripwire pulled. The emergency action committee is being told."),
    )
    return _back(tripwire.post_id, "tripwires")


@staff_required("post.report")
@require_POST
def report_write(request: StaffRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post, pk=pk)
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.after_action_report_write(
                acting_user=request.user, post=post, **form.cleaned_data
            ),
            _("After-action report saved."),
        )
    else:
        _invalid(request, form)
    return _back(post.pk, "report")
