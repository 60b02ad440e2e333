from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertingConfig(AppConfig):
    name = "warden.alerting"
    label = "alerting"
    verbose_name = _("Alerting")

    def ready(self) -> None:
        from anymail.signals import tracking

        from warden.alerting.hooks import on_anymail_tracking

        tracking.connect(on_anymail_tracking, dispatch_uid="warden.alerting.anymail")
