from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Warden administration"

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("warden.accounts.urls")),
    path("console/", include("warden.console.urls")),
    path("admin/", admin.site.urls),
    path("", include("warden.site.urls")),
    prefix_default_language=False,
)
