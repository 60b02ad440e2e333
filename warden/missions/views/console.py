"""Console pages: posts by status on a map and in a list, and one post's drawdown."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from warden.accounts.roles import can
from warden.console.access import StaffRequest, staff_required
from warden.missions import forms, rules, selectors
from warden.missions.models import Post
from warden.missions.services import report_due
from warden.site.views.assets import outlines_version
from warden.site.views.common import neutral_url


def _outlines_url() -> str:
    return f"{neutral_url('site:outlines')}?v={outlines_version()}"


@staff_required("post.view")
def posts(request: StaffRequest) -> HttpResponse:
    groups = selectors.posts_by_status()
    everything = [post for _status, members in groups for post in members]
    return render(request, "missions/console/posts.html", {
        "groups": groups,
        "map_json": json.dumps(selectors.map_data(everything), ensure_ascii=False),
        "outlines_url": _outlines_url(),
        "has_map": True,
    })  # fmt: skip


@staff_required("post.view")
def post_detail(request: StaffRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(selectors.posts_all(), pk=pk)
    show_staff = can(request.user, "post.view_staff")
    return render(request, "missions/console/post.html", {
        "post": post,
        "head": post.head_of_mission if show_staff else None,
        "staff": selectors.staff_of(post) if show_staff else [],
        "show_staff": show_staff,
        "progress": selectors.departure_progress(post),
        "timeline": selectors.timeline(post),
        "pending": selectors.open_request(post),
        "tripwires": post.tripwires.filter(is_active=True),
        "hits": selectors.hits_of(post),
        "reports": post.reports.select_related("author"),
        "report_due": report_due(post),
        "in_departure": post.status in rules.DEPARTED and post.current_decision is not None,
        "decision_form": forms.DecisionForm(post=post),
        "reject_form": forms.RejectForm(),
        "departure_form": forms.DepartureForm(),
        "tripwire_form": forms.TripwireForm(),
        "pull_form": forms.PullForm(),
        "report_form": forms.ReportForm(),
        "map_json": json.dumps(selectors.map_data([post]), ensure_ascii=False),
        "outlines_url": _outlines_url(),
        "has_map": True,
    })  # fmt: skip


def post_url(post: Post) -> str:
    return reverse("console:post", args=[post.pk])
