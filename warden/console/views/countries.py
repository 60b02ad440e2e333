"""A country's page: the edition in force, its history and the drafts in progress."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from warden.advisories.selectors import edition_history, review_state
from warden.advisories.services import current_edition
from warden.console.access import StaffRequest, staff_required
from warden.console.preview import edition_texts
from warden.console.selectors import pending_editions_for
from warden.console.views.common import may
from warden.geo.models import Country


@staff_required("console.view")
def country(request: StaffRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, pk=code.upper())
    current = current_edition(country)
    exercise = current_edition(country, exercise=True)
    return render(
        request,
        "console/country.html",
        {
            "country": country,
            "current": current,
            "texts": edition_texts(current) if current else [],
            "review_state": review_state(current),
            "areas": current.areas.select_related("subdivision", "custom_area") if current else [],
            "exercise_current": exercise,
            "history": edition_history(country),
            "pending": pending_editions_for(country.pk)
            if may(request, "advisory.view_drafts")
            else [],
        },
    )
