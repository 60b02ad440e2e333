"""Console pages of incidents, included under /console/incidents/ (names ``console:incidents*``)."""

from __future__ import annotations

from django.urls import path

from warden.incidents.views import incidents, intake

urlpatterns = [
    path("", incidents.incident_list, name="incidents"),
    path("map/", incidents.incident_map, name="incidents_map"),
    path("new/", incidents.incident_new, name="incidents_new"),
    path("<int:pk>/", incidents.incident_detail, name="incidents_detail"),
    path("<int:pk>/edit/", incidents.incident_edit, name="incidents_edit"),
    path("<int:pk>/claims/", incidents.claim_new, name="incidents_claim_new"),
    path(
        "<int:pk>/claims/<int:claim_pk>/grade/", incidents.claim_grade, name="incidents_claim_grade"
    ),
    path("<int:pk>/merge/", incidents.incident_merge, name="incidents_merge"),
    path("<int:pk>/links/", incidents.incident_link, name="incidents_link"),
    path(
        "<int:pk>/links/<int:link_pk>/remove/", incidents.incident_unlink, name="incidents_unlink"
    ),
    path("cited-by/<str:kind>/<int:pk>/", incidents.cited_by, name="incidents_cited"),
    path("intake/", intake.intake_home, name="incidents_intake"),
    path("intake/<int:pk>/", intake.proposal_review, name="incidents_proposal"),
    path("intake/<int:pk>/reject/", intake.proposal_reject, name="incidents_proposal_reject"),
    path("feeds/", intake.feeds, name="incidents_feeds"),
    path("feeds/<int:pk>/", intake.feed_edit, name="incidents_feed"),
    path("feeds/<int:pk>/poll/", intake.feed_poll, name="incidents_feed_poll"),
]
