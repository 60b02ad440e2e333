"""Feeds and CAP documents. Mounted at the root, outside ``i18n_patterns``: one URL each,
whatever the language (the CAP documents carry every language; the feeds are English)."""

from __future__ import annotations

from django.urls import path, re_path

from warden.site import feeds

app_name = "feeds"

urlpatterns = [
    path("cap/feed.atom", feeds.cap_index, name="cap_index"),
    re_path(r"^cap/(?P<identifier>.+)\.xml$", feeds.cap_alert, name="cap_alert"),
    path("feeds/advisories.atom", feeds.advisories, name="advisories"),
    re_path(r"^feeds/(?P<code>[A-Za-z]{2})\.atom$", feeds.country, name="country"),
]
