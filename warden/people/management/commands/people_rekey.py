"""``warden people_rekey``: re-encrypt personal data with the current key (see rekey.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from warden.people.rekey import rekey


class Command(BaseCommand):
    help = "Re-encrypt names and addresses with the first FIELD_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rekey()
        self.stdout.write(
            _("Re-encrypted %(people)d people and %(contacts)d contact points.")
            % {"people": counts["people"], "contacts": counts["contact_points"]}
        )
