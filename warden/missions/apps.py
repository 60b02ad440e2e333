"""Posts, staff and family members, drawdown decisions and tripwires."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _level_changed(sender: Any, *, country_codes: list[str], **kwargs: Any) -> None:
    """A publication changed these countries' levels: check the level tripwires there."""
    from warden.missions.services import tripwires_evaluate

    tripwires_evaluate(countries=country_codes, kinds=("level",))


class MissionsConfig(AppConfig):
    name = "warden.missions"
    label = "missions"
    verbose_name = _("Missions")

    def ready(self) -> None:
        from warden.advisories.signals import publication_committed

        publication_committed.connect(_level_changed, dispatch_uid="missions.level_tripwires")
