"""Console pages of the registry, included under /console/people/ (names ``console:people_*``)."""

from __future__ import annotations

from django.urls import path

from warden.people.views import console

urlpatterns = [
    path("", console.people_home, name="people_home"),
    path("<int:pk>/", console.person_detail, name="people_person"),
    path("countries/<str:code>/", console.people_country, name="people_country"),
]
