"""Console pages of the registry, included under /console/people/ (names ``console:people_*``)."""

from __future__ import annotations

from django.urls import path

from warden.people.views import console, imports

urlpatterns = [
    path("", console.people_home, name="people_home"),
    path("<int:pk>/", console.person_detail, name="people_person"),
    path("countries/<str:code>/", console.people_country, name="people_country"),
    path("import/roster/", imports.import_roster, name="people_import_roster"),
    path("import/itinerary/", imports.import_itinerary, name="people_import_itinerary"),
]
