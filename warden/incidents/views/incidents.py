"""Incidents in the console: list, map, detail with claims side by side, editors, merge."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.accounts.roles import can
from warden.advisories.models import Edition, Statement
from warden.console.access import StaffRequest, staff_required
from warden.incidents import services
from warden.incidents.forms import (
    ClaimForm,
    GradeForm,
    IncidentFilterForm,
    IncidentForm,
    LinkForm,
    MergeForm,
)
from warden.incidents.models import Claim, Incident, IncidentLink
from warden.incidents.selectors import (
    IncidentFilters,
    claims_by_subject,
    incident_events,
    incidents_list,
    map_points,
)
from warden.incidents.views.common import attempt

LIST_LIMIT = 500


def _filters(request: StaffRequest) -> tuple[IncidentFilterForm, IncidentFilters]:
    form = IncidentFilterForm(request.GET or None)
    if not form.is_valid():
        return form, IncidentFilters()
    d = form.cleaned_data
    return form, IncidentFilters(
        country=d.get("country") or "",
        event_type=d.get("event_type") or "",
        verification=d.get("verification") or "",
        since=d.get("since"),
        until=d.get("until"),
        text=d.get("q") or "",
        within_km=d.get("within_km"),
    )


@staff_required("incident.view")
def incident_list(request: StaffRequest) -> HttpResponse:
    form, filters = _filters(request)
    incidents = incidents_list(filters)
    return render(
        request,
        "incidents/console/list.html",
        {
            "form": form,
            "incidents": incidents[:LIST_LIMIT],
            "total": incidents.count(),
            "query": request.GET.urlencode(),
        },
    )


@staff_required("incident.view")
def incident_map(request: StaffRequest) -> HttpResponse:
    form, filters = _filters(request)
    incidents = incidents_list(filters)
    points = map_points(incidents)
    return render(
        request,
        "incidents/console/map.html",
        {
            "form": form,
            "points": points,
            "total": incidents.count(),
            "located": sum(p["count"] for p in points),
            "query": request.GET.urlencode(),
            "map_json": json.dumps(
                {"points": points, "url": reverse("console:incidents_detail", args=[0])}
            ),
            "outlines_url": reverse("site:outlines"),
        },
    )


@staff_required("incident.view")
def incident_detail(request: StaffRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(
        Incident.objects.select_related("country", "subdivision", "nearest_post", "merged_into"),
        pk=pk,
    )
    sources = incident.sources.order_by("published_at", "pk")
    return render(
        request,
        "incidents/console/detail.html",
        {
            "incident": incident,
            "sources": sources,
            "claim_groups": claims_by_subject(incident),
            "links": incident.links.select_related("edition", "statement"),
            "revisions": incident.revisions.select_related("changed_by"),
            "events": incident_events(incident),
            "merged": incident.merged.all(),
            "counts": [
                (k, v) for k, v in incident.counts().items() if any(x is not None for x in v)
            ],
            "may_edit": can(request.user, "incident.edit") and incident.merged_into_id is None,
            "claim_form": ClaimForm(sources=sources),
            "merge_form": MergeForm(),
            "link_form": LinkForm(),
            "grade_form": GradeForm(),
        },
    )


def _initial(incident: Incident) -> dict[str, Any]:
    content = services.incident_content(incident)
    values = {k: v for k, v in content.__dict__.items() if k not in ("counts", "actors")}
    values["actors"] = ", ".join(content.actors)
    values["subdivision"] = content.subdivision or ""
    for kind, (low, best, high) in content.counts.items():
        values.update({f"{kind}_low": low, f"{kind}_best": best, f"{kind}_high": high})
    return values


@staff_required("incident.edit")
def incident_new(request: StaffRequest) -> HttpResponse:
    form = IncidentForm(request.POST or None, initial={"verification": "unverified"})
    if request.method == "POST" and form.is_valid():
        incident = attempt(
            request,
            form,
            lambda: services.incident_create(
                acting_user=request.user,
                content=form.content(),
                note=form.cleaned_data.get("change_note", ""),
            ),
        )
        if incident is not None:
            messages.success(request, _("Incident saved."))
            return redirect("console:incidents_detail", pk=incident.pk)
    return render(request, "incidents/console/form.html", {"form": form, "incident": None})


@staff_required("incident.edit")
def incident_edit(request: StaffRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    form = IncidentForm(request.POST or None, initial=_initial(incident))
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            form,
            lambda: services.incident_update(
                acting_user=request.user,
                incident=incident,
                content=form.content(),
                note=form.cleaned_data.get("change_note", ""),
            ),
        )
        if saved is not None:
            messages.success(request, _("Incident saved."))
            return redirect("console:incidents_detail", pk=pk)
    return render(request, "incidents/console/form.html", {"form": form, "incident": incident})


def _report(request: StaffRequest, form: Any, done: str) -> None:
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, done)


@staff_required("incident.edit")
@require_POST
def claim_new(request: StaffRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    form = ClaimForm(request.POST, sources=incident.sources.all())
    if form.is_valid():
        attempt(
            request,
            form,
            lambda: services.claim_add(
                acting_user=request.user, incident=incident, content=form.content_value()
            ),
        )
    _report(request, form, _("Claim added."))
    return redirect("console:incidents_detail", pk=pk)


@staff_required("incident.edit")
@require_POST
def claim_grade(request: StaffRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim, pk=claim_pk, incident_id=pk)
    form = GradeForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            form,
            lambda: services.claim_grade(
                acting_user=request.user,
                claim=claim,
                credibility=form.cleaned_data["credibility"],
                subject=form.cleaned_data["subject"],
            ),
        )
    _report(request, form, _("Claim graded."))
    return redirect("console:incidents_detail", pk=pk)


@staff_required("incident.edit")
@require_POST
def incident_merge(request: StaffRequest, pk: int) -> HttpResponse:
    duplicate = get_object_or_404(Incident, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        into = Incident.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("No incident has that number."))
        else:
            merged = attempt(
                request,
                form,
                lambda: services.incident_merge(
                    acting_user=request.user,
                    duplicate=duplicate,
                    into=into,
                    note=form.cleaned_data["note"],
                ),
            )
            if merged is not None:
                messages.success(request, _("Merged into this incident."))
                return redirect("console:incidents_detail", pk=merged.pk)
    _report(request, form, "")
    return redirect("console:incidents_detail", pk=pk)


@staff_required("incident.edit")
@require_POST
def incident_link(request: StaffRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(Incident, pk=pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        edition = Edition.objects.filter(pk=d["edition"]).first() if d["edition"] else None
        statement = Statement.objects.filter(pk=d["statement"]).first() if d["statement"] else None
        if (d["edition"] and edition is None) or (d["statement"] and statement is None):
            form.add_error(None, _("No edition or statement has that number."))
        else:
            attempt(
                request,
                form,
                lambda: services.incident_link(
                    acting_user=request.user,
                    incident=incident,
                    edition=edition,
                    statement=statement,
                    reference=d["reference"],
                    note=d["note"],
                ),
            )
    _report(request, form, _("Link saved."))
    return redirect("console:incidents_detail", pk=pk)


@staff_required("incident.edit")
@require_POST
def incident_unlink(request: StaffRequest, pk: int, link_pk: int) -> HttpResponse:
    link = get_object_or_404(IncidentLink, pk=link_pk, incident_id=pk)
    services.incident_unlink(acting_user=request.user, link=link)
    messages.success(request, _("Link removed."))
    return redirect("console:incidents_detail", pk=pk)


@staff_required("incident.view")
def cited_by(request: StaffRequest, kind: str, pk: int) -> HttpResponse:
    """The incidents an edition or a statement cites."""
    from warden.incidents.selectors import citing

    if kind not in ("edition", "statement"):
        raise Http404
    if kind == "edition":
        target: Any = get_object_or_404(Edition, pk=pk)
        incidents = citing(edition_id=pk)
    else:
        target = get_object_or_404(Statement, pk=pk)
        incidents = citing(statement_id=pk)
    return render(
        request,
        "incidents/console/cited.html",
        {"target": target, "kind": kind, "incidents": incidents},
    )
