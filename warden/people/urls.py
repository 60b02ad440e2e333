"""Public pages of the registry (enrolment pages will join them)."""

from __future__ import annotations

from django.urls import path

from warden.people.views import public

app_name = "people"
urlpatterns = [
    path("verify/<str:token>/", public.verify, name="verify"),
]
