"""Public pages. Mounted at the root inside ``i18n_patterns``: ``/`` English, ``/he/`` Hebrew."""

from __future__ import annotations

from django.urls import path, re_path

from warden.site import views

app_name = "site"

COUNTRY = r"countries/(?P<iso2>[A-Za-z]{2})/"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    re_path(rf"^{COUNTRY}$", views.country, name="country"),
    re_path(rf"^{COUNTRY}diff/$", views.country_diff, name="country_diff"),
    re_path(rf"^exercise/{COUNTRY}$", views.exercise_country, name="exercise_country"),
    re_path(
        rf"^exercise/{COUNTRY}diff/$", views.exercise_country_diff, name="exercise_country_diff"
    ),
    path("outlines/countries.geojson", views.outlines, name="outlines"),
    path("levels.css", views.levels_css, name="levels_css"),
]
