"""Public pages of missions: the link on which a staff member reports their departure."""

from __future__ import annotations

from django.urls import path

from warden.missions.views import public

app_name = "missions"
urlpatterns = [
    path("departure/<str:token>/", public.departure, name="departure"),
]
