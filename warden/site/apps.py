from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "warden.site"
    label = "public_site"
    verbose_name = _("Public site")
