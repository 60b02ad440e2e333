from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country


class Post(models.Model):
    """A diplomatic post (embassy, consulate...). Status and staff come with drawdown."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate_general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=150)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="posts")
    city = models.CharField(_("city"), max_length=100)
    geonameid = models.PositiveIntegerField(_("GeoNames city id"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.name
