from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "warden.site"
    label = "public_site"
    verbose_name = _("Public site")

    def ready(self) -> None:
        from warden.advisories.signals import publication_committed
        from warden.site.snapshots import on_publication

        publication_committed.connect(on_publication, dispatch_uid="warden.site.snapshots")
