"""``warden geo_load``: refresh countries and subdivisions after a pycountry upgrade."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from warden.geo.services import iso3166_load


class Command(BaseCommand):
    help = _("Load or refresh ISO 3166 countries and subdivisions from pycountry (idempotent).")

    def handle(self, *args: Any, **options: Any) -> None:
        report = iso3166_load()
        self.stdout.write(
            _("%(created)d created, %(updated)d updated, %(deleted)d deleted.")
            % {
                "created": report.created,
                "updated": report.updated,
                "deleted": len(report.deleted),
            }
        )
        if report.deleted:
            self.stdout.write(_("Deleted: %(codes)s") % {"codes": ", ".join(report.deleted)})
        if report.kept:
            self.stdout.write(
                _("No longer in ISO 3166 but still referred to, so kept: %(codes)s")
                % {"codes": ", ".join(report.kept)}
            )
