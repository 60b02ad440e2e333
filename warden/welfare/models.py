"""Welfare: what each person said (or an officer recorded) about their safety.

``WelfareEvent`` rows are append-only; a person's status is their latest event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country
from warden.people.fields import EncryptedTextField
from warden.people.models import Person


class Status(models.TextChoices):
    SAFE = "safe", _("I am safe")
    NEEDS_HELP = "needs_help", _("I need help")
    LEFT = "left", _("I have left")


class WelfareEvent(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", _("Answer link")
        SMS = "sms", _("SMS reply")
        WEB = "web", _("Web form")
        API = "api", _("API")
        OFFICER = "officer", _("Recorded by an officer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="welfare_events")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("answered by"), max_length=10, choices=Channel.choices)
    message = models.ForeignKey(
        "alerting.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery = models.ForeignKey(
        "alerting.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)
    # "I have left": where to (a country), and when.
    left_to = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["person", "at", "id"]
        verbose_name = _("welfare event")
        verbose_name_plural = _("welfare events")
        indexes = [models.Index(fields=["person", "at"], name="welfare_person_at")]

    def __str__(self) -> str:
        return f"Welfare event #{self.pk} ({self.status})"
