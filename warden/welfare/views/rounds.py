"""Console pages of check-in rounds: the list, opening one, its live dashboard and exports."""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.accounts.roles import can
from warden.console.access import StaffRequest, staff_required
from warden.console.views.common import perform
from warden.site.views.assets import outlines_version
from warden.site.views.common import neutral_url
from warden.welfare import exports, selectors
from warden.welfare.forms import RoundForm
from warden.welfare.models import STATUS_LABELS, CheckInRound, RoundMessage
from warden.welfare.scope import visible_rounds
from warden.welfare.services import round_close, round_open

LIVE_SECONDS = 10


def _round(request: StaffRequest, pk: int) -> CheckInRound:
    return get_object_or_404(visible_rounds(request.user), pk=pk)


@staff_required("welfare.view")
def home(request: StaffRequest) -> HttpResponse:
    rounds = list(visible_rounds(request.user)[:50])
    lines = [(checkin, selectors.round_counts(checkin)) for checkin in rounds]
    return render(
        request,
        "welfare/console/home.html",
        {
            "lines": lines,
            "countries": selectors.country_overview(request.user),
            "open_cases": selectors.case_queue(request.user).count(),
            "may_open": can(request.user, "welfare.round"),
        },
    )


def _initial() -> dict[str, object]:
    """The standard question, in English (the English fields of the form)."""
    with translation.override("en"):
        return {
            "question_title_en": _("Are you safe?"),
            "question_body_en": _(
                "We are checking on everyone registered in the area. Tell us how you are: one "
                "click on a link below, or reply SAFE, HELP or LEFT with any details."
            ),
        }


@staff_required("welfare.round")
def round_new(request: StaffRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        opened: list[CheckInRound] = []

        def call() -> None:
            opened.append(
                round_open(
                    acting_user=request.user, details=form.details(), area=form.chosen_area()
                )
            )

        if perform(request, call, _("The round is open; the first messages are on their way.")):
            return redirect("console:welfare_round", pk=opened[0].pk)
    return render(request, "welfare/console/round_form.html", {"form": form})


@staff_required("welfare.view")
def round_detail(request: StaffRequest, pk: int) -> HttpResponse:
    checkin = _round(request, pk)
    messages = RoundMessage.objects.filter(round=checkin).select_related("message")
    return render(
        request,
        "welfare/console/round.html",
        {
            "round": checkin,
            "counts": selectors.round_counts(checkin),
            "areas": selectors.area_counts(checkin),
            "round_messages": messages,
            "live_url": reverse("console:welfare_round_live", args=[checkin.pk]),
            "live_seconds": LIVE_SECONDS,
            "outlines_url": f"{neutral_url('site:outlines')}?v={outlines_version()}",
            "labels": {key or "no_answer": str(label) for key, label in STATUS_LABELS.items()},
            "may_close": checkin.is_open and can(request.user, "welfare.round"),
            "may_export": can(request.user, "welfare.export"),
            "has_map": True,
        },
    )


@staff_required("welfare.view")
def round_live(request: StaffRequest, pk: int) -> JsonResponse:
    """What the dashboard polls: counts, areas, cities, answers over time."""
    response = JsonResponse(selectors.round_live(_round(request, pk)))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_required("welfare.round")
def round_close_view(request: StaffRequest, pk: int) -> HttpResponse:
    checkin = _round(request, pk)
    perform(
        request,
        lambda: round_close(acting_user=request.user, round=checkin),
        _("The round is closed: no more reminders, and later answers no longer count for it."),
    )
    return redirect("console:welfare_round", pk=checkin.pk)


@require_POST
@staff_required("welfare.export")
def round_export(request: StaffRequest, pk: int, kind: str) -> HttpResponse:
    """CSV or PFIF 1.4 of the round's members; logged before the first byte."""
    checkin = _round(request, pk)
    exports.export_record(acting_user=request.user, round=checkin, kind=kind)
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    if kind == "pfif":
        response = StreamingHttpResponse(
            exports.pfif_chunks(checkin), content_type="application/xml; charset=utf-8"
        )
        name = f"round-{checkin.pk}-{stamp}.pfif.xml"
    else:
        response = StreamingHttpResponse(
            exports.csv_rows(checkin), content_type="text/csv; charset=utf-8"
        )
        name = f"round-{checkin.pk}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)  # streamed: the console's views share one type
