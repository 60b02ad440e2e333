"""The project-level app: its ready() registers Warden's system checks and lookups."""

from __future__ import annotations

from django.apps import AppConfig


class WardenConfig(AppConfig):
    name = "warden"
    label = "warden"
    verbose_name = "Warden"

    def ready(self) -> None:
        from warden import checks  # noqa: F401  (registers the checks)
        from warden.lib import lookups

        lookups.register()
