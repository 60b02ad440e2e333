"""Console pages of welfare, included under /console/welfare/ (names ``console:welfare*``)."""

from __future__ import annotations

from django.urls import path

from warden.welfare.views import cases, rounds

urlpatterns = [
    path("", rounds.home, name="welfare"),
    path("rounds/new/", rounds.round_new, name="welfare_round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="welfare_round"),
    path("rounds/<int:pk>/live/", rounds.round_live, name="welfare_round_live"),
    path("rounds/<int:pk>/close/", rounds.round_close_view, name="welfare_round_close"),
    path("rounds/<int:pk>/export/csv/", rounds.round_export, {"kind": "csv"}, name="welfare_csv"),
    path(
        "rounds/<int:pk>/export/pfif/", rounds.round_export, {"kind": "pfif"}, name="welfare_pfif"
    ),
    path("cases/", cases.queue, name="welfare_cases"),
    path("cases/<int:pk>/", cases.case_detail, name="welfare_case"),
    path("cases/<int:pk>/assign/", cases.case_assign_view, name="welfare_case_assign"),
    path("cases/<int:pk>/severity/", cases.case_severity_view, name="welfare_case_severity"),
    path("cases/<int:pk>/note/", cases.case_note_view, name="welfare_case_note"),
    path("cases/<int:pk>/resolve/", cases.case_resolve_view, name="welfare_case_resolve"),
    path("people/find/", cases.find_person, name="welfare_find"),
    path("people/<int:pk>/answer/", cases.person_answer, name="welfare_person_answer"),
]
