"""Console pages of missions, included under /console/posts/ (names ``console:post*``)."""

from __future__ import annotations

from django.urls import path

from warden.missions.views import actions, console

urlpatterns = [
    path("", console.posts, name="posts"),
    path("<int:pk>/", console.post_detail, name="post"),
    path("<int:pk>/decide/", actions.post_decide, name="post_decide"),
    path("<int:pk>/remind/", actions.drawdown_remind, name="post_remind"),
    path("<int:pk>/tripwires/", actions.tripwire_create, name="post_tripwire_create"),
    path("<int:pk>/report/", actions.report_write, name="post_report"),
    path("decisions/<int:pk>/approve/", actions.decision_approve, name="post_decision_approve"),
    path("decisions/<int:pk>/reject/", actions.decision_reject, name="post_decision_reject"),
    path("decisions/<int:pk>/cancel/", actions.decision_cancel, name="post_decision_cancel"),
    path("staff/<int:pk>/departure/", actions.departure_update, name="post_departure"),
    path("tripwires/<int:pk>/pull/", actions.tripwire_pull, name="post_tripwire_pull"),
    path(
        "tripwires/<int:pk>/deactivate/",
        actions.tripwire_deactivate,
        name="post_tripwire_deactivate",
    ),
]
