"""Intake in the console: add a text or a web address, review proposals, manage feeds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.console.access import StaffRequest, staff_required
from warden.incidents import services
from warden.incidents.forms import (
    FeedForm,
    IncidentForm,
    RejectForm,
    SourceTextForm,
    SourceUrlForm,
)
from warden.incidents.models import Feed, Incident, Proposal
from warden.incidents.proposals import initial, marked_text
from warden.incidents.selectors import feeds_overview, proposals_pending
from warden.incidents.views.common import attempt


def _after_intake(request: StaffRequest, intake: services.Intake) -> HttpResponse:
    if intake.duplicate:
        messages.info(request, _("This source is already known; nothing new was proposed."))
        return redirect("console:incidents_intake")
    assert intake.proposal is not None
    messages.success(request, _("Source added. Review what was found in it."))
    return redirect("console:incidents_proposal", pk=intake.proposal.pk)


@staff_required("incident.intake")
def intake_home(request: StaffRequest) -> HttpResponse:
    text_form = SourceTextForm(request.POST if "add_text" in request.POST else None)
    url_form = SourceUrlForm(request.POST if "add_url" in request.POST else None)
    if "add_text" in request.POST and text_form.is_valid():
        intake = attempt(
            request,
            text_form,
            lambda: services.source_add_text(acting_user=request.user, content=text_form.content()),
        )
        if intake is not None:
            return _after_intake(request, intake)
    if "add_url" in request.POST and url_form.is_valid():
        d = url_form.cleaned_data
        intake = attempt(
            request,
            url_form,
            lambda: services.source_add_url(
                acting_user=request.user,
                url=d["url"],
                outlet=d["outlet"],
                reliability=d["reliability"],
            ),
        )
        if intake is not None:
            return _after_intake(request, intake)
    return render(
        request,
        "incidents/console/intake.html",
        {
            "proposals": proposals_pending(),
            "text_form": text_form,
            "url_form": url_form,
        },
    )


def _claims(proposal: Proposal, chosen: list[str]) -> tuple[services.ClaimContent, ...]:
    found = proposal.data.get("claims") or []
    return tuple(
        services.ClaimContent(
            claimant=c["claimant"],
            content=c["content"],
            cue=c.get("cue", ""),
            relay_chain=tuple(c.get("relay_chain") or ()),
        )
        for index, c in enumerate(found)
        if str(index) in chosen
    )


@staff_required("incident.intake")
def proposal_review(request: StaffRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("source", "incident"), pk=pk)
    form = IncidentForm(
        request.POST if "accept" in request.POST else None,
        initial={**initial(proposal), "verification": "unverified", "time_precision": 1},
    )
    reject_form = RejectForm(request.POST if "reject" in request.POST else None)
    chosen = request.POST.getlist("claim") if request.method == "POST" else None
    if "accept" in request.POST:
        into = _into(request)
        if into is not None or form.is_valid():
            incident = attempt(
                request,
                form,
                lambda: services.proposal_accept(
                    acting_user=request.user,
                    proposal=proposal,
                    content=None if into is not None else form.content(),
                    claims=_claims(proposal, chosen or []),
                    into=into,
                ),
            )
            if incident is not None:
                messages.success(request, _("Proposal accepted as an incident."))
                return redirect("console:incidents_detail", pk=incident.pk)
    return render(
        request,
        "incidents/console/proposal.html",
        {
            "proposal": proposal,
            "form": form,
            "reject_form": reject_form,
            "segments": marked_text(proposal),
            "data": proposal.data,
            "claims": _claim_rows(proposal, chosen),
        },
    )


def _into(request: StaffRequest) -> Incident | None:
    raw = request.POST.get("into", "").strip()
    return Incident.objects.filter(pk=int(raw)).first() if raw.isdigit() else None


def _claim_rows(proposal: Proposal, chosen: list[str] | None) -> list[dict[str, Any]]:
    return [
        {
            **claim,
            "index": i,
            "chain": " → ".join(claim.get("relay_chain") or []),
            "checked": chosen is None or str(i) in chosen,
        }
        for i, claim in enumerate(proposal.data.get("claims") or [])
    ]


@staff_required("incident.intake")
@require_POST
def proposal_reject(request: StaffRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        rejected = attempt(
            request,
            form,
            lambda: services.proposal_reject(
                acting_user=request.user, proposal=proposal, reason=reason
            ),
        )
        if rejected is not None:
            messages.success(request, _("Proposal rejected."))
            return redirect("console:incidents_intake")
    for error in form.non_field_errors():
        messages.error(request, str(error))
    return redirect("console:incidents_proposal", pk=pk)


@staff_required("incident.feed_manage")
def feeds(request: StaffRequest) -> HttpResponse:
    form = FeedForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        feed = attempt(
            request,
            form,
            lambda: services.feed_create(acting_user=request.user, content=form.content()),
        )
        if feed is not None:
            messages.success(request, _("Feed added. The worker will poll it."))
            return redirect("console:incidents_feeds")
    return render(
        request, "incidents/console/feeds.html", {"feeds": feeds_overview(), "form": form}
    )


@staff_required("incident.feed_manage")
def feed_edit(request: StaffRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    values = {k: getattr(feed, k) for k in FeedForm.base_fields}
    form = FeedForm(request.POST or None, initial=values)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            form,
            lambda: services.feed_update(
                acting_user=request.user, feed=feed, content=form.content()
            ),
        )
        if saved is not None:
            messages.success(request, _("Feed saved."))
            return redirect("console:incidents_feeds")
    return render(
        request,
        "incidents/console/feed_form.html",
        {
            "feed": feed,
            "form": form,
            "polls": feed.polls.all()[:20],
        },
    )


@staff_required("incident.feed_manage")
@require_POST
def feed_poll(request: StaffRequest, pk: int) -> HttpResponse:
    feed = get_object_or_404(Feed, pk=pk)
    poll = services.feed_poll_now(acting_user=request.user, feed=feed)
    if poll.outcome == poll.Outcome.ERROR:
        messages.error(request, poll.error)
    else:
        messages.success(
            request,
            _("Polled: %(new)s new, %(dup)s already known.")
            % {"new": poll.new_sources, "dup": poll.duplicates},
        )
    return redirect("console:incidents_feed", pk=pk)
