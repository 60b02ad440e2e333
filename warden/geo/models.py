from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Country(models.Model):
    """An ISO 3166-1 country, loaded from pycountry."""

    code = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3)
    name = models.CharField(_("name"), max_length=100)
    # {"he": "טורקיה", ...}: names in the other shipped languages, from pycountry's catalogues.
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    # ["Turkey", "Republic of Türkiye", ...]: other names that find this country in a search
    # (pycountry's official and formal names, their translations, and well-known aliases).
    aliases = models.JSONField(_("other names"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.local_name()

    def local_name(self, language: str | None = None) -> str:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return str(self.names.get(language[:2], self.name))


class Subdivision(models.Model):
    """An ISO 3166-2 subdivision (province, region, city with provincial status...)."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=8, primary_key=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.CASCADE, related_name="subdivisions"
    )
    name = models.CharField(_("name"), max_length=150)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    type = models.CharField(_("type"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("subdivision")
        verbose_name_plural = _("subdivisions")

    def __str__(self) -> str:
        return self.local_name()

    def local_name(self, language: str | None = None) -> str:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return str(self.names.get(language[:2], self.name))


class CustomArea(models.Model):
    """A region that is not a subdivision: a GeoJSON polygon, or a centre and a radius."""

    class Kind(models.TextChoices):
        POLYGON = "polygon", _("Polygon")
        CIRCLE = "circle", _("Circle")

    code = models.CharField(_("code"), max_length=40, unique=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="custom_areas"
    )
    name = models.CharField(_("name"), max_length=150)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # GeoJSON Polygon geometry ({"type": "Polygon", "coordinates": [[[lon, lat], ...]]}).
    polygon = models.JSONField(_("polygon"), null=True, blank=True)
    center_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    center_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    radius_km = models.FloatField(_("radius (km)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("custom area")
        verbose_name_plural = _("custom areas")
        constraints = [
            models.CheckConstraint(
                name="customarea_shape_matches_kind",
                condition=(
                    models.Q(kind="polygon", polygon__isnull=False)
                    | models.Q(
                        kind="circle",
                        center_lat__isnull=False,
                        center_lon__isnull=False,
                        radius_km__gt=0,
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return self.local_name()

    def local_name(self, language: str | None = None) -> str:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return str(self.names.get(language[:2], self.name))
