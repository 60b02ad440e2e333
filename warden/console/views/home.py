"""Console home: every country by its current level; the review-due list."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from warden.advisories.selectors import country_levels, editions_pending, editions_review_due
from warden.advisories.selectors import review_state as review_state_of
from warden.console.access import StaffRequest, staff_required
from warden.console.selectors import pending_counts
from warden.console.views.common import may


@staff_required("console.view")
def home(request: StaffRequest) -> HttpResponse:
    rows = country_levels()
    exercise = [row for row in country_levels(exercise=True) if row.edition is not None]
    pending = editions_pending()[:20] if may(request, "advisory.view_drafts") else []
    return render(
        request,
        "console/home.html",
        {
            "with_level": [row for row in rows if row.edition is not None],
            "without_level": [row for row in rows if row.edition is None],
            "exercise_rows": exercise,
            "counts": pending_counts(),
            "pending": pending,
        },
    )


@staff_required("console.view")
def review(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    editions = [
        (edition, review_state_of(edition, today=today))
        for edition in editions_review_due(today=today)
    ]
    return render(request, "console/review.html", {"editions": editions, "today": today})
