from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from warden.accounts.admin import StaffAdminSite
from warden.alerting.urls import answer_patterns, hook_patterns
from warden.api.v1 import api

# The admin, like the console, needs a second-factor (verified) session.
admin.site.__class__ = StaffAdminSite
admin.site.site_header = "Warden administration"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("hooks/", include(hook_patterns)),
    path("", include("warden.site.feed_urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("warden.accounts.urls")),
    path("console/", include("warden.console.urls")),
    path("admin/", admin.site.urls),
    path("people/", include("warden.people.urls")),
    path("register/", include("warden.people.enrolment.urls")),
    path("missions/", include("warden.missions.urls")),
    path("answer/", include(answer_patterns)),
    path("", include("warden.site.urls")),
    prefix_default_language=False,
)
