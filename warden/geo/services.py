"""Write geography: custom areas, and refreshing the ISO 3166 tables."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.geo.geometry import (
    area_contains,
    circle_problems,
    normalized_polygon,
    polygon_problem,
)
from warden.geo.loading import SOURCE_LANGUAGE, LoadReport, load_iso3166
from warden.geo.models import Country, CustomArea

__all__ = [
    "area_contains",
    "custom_area_create",
    "custom_area_update",
    "iso3166_load",
]

_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
# What follows "CC-" in an ISO 3166-2 code; custom area codes must not look like one.
_ISO_SUFFIX = re.compile(r"[A-Z0-9]{1,3}")


@transaction.atomic
def custom_area_create(
    *,
    acting_user: User | AnonymousUser,
    country: Country,
    code: str,
    name: str,
    names: dict[str, str] | None = None,
    polygon: dict[str, Any] | None = None,
    center_lat: float | None = None,
    center_lon: float | None = None,
    radius_km: float | None = None,
) -> CustomArea:
    """Define a custom area: a GeoJSON polygon, or a centre and a radius, never both."""
    authorize(acting_user, "area.manage")
    code = code.strip()
    problems = _code_problems(country, code)
    problems |= _name_problems(name.strip(), names or {})
    problems |= _shape_problems(polygon, center_lat, center_lon, radius_km)
    if problems:
        raise ValidationError(problems)
    area = CustomArea(country=country, code=code, created_by=_user_or_none(acting_user))
    _assign(area, name, names, polygon, center_lat, center_lon, radius_km)
    try:
        with transaction.atomic():
            area.save()
    except IntegrityError:  # another request took the code in the meantime
        raise ValidationError({"code": _duplicate_code(code)}) from None
    record(
        actor=acting_user,
        action="geo.area.create",
        obj=area,
        summary=f"{area.code} ({area.kind})",
        after=_snapshot(area),
    )
    return area


@transaction.atomic
def custom_area_update(
    *,
    acting_user: User | AnonymousUser,
    area: CustomArea,
    name: str,
    names: dict[str, str] | None = None,
    polygon: dict[str, Any] | None = None,
    center_lat: float | None = None,
    center_lon: float | None = None,
    radius_km: float | None = None,
) -> CustomArea:
    """Replace an area's names and shape. Its code and country stay as they were created."""
    authorize(acting_user, "area.manage")
    problems = _name_problems(name.strip(), names or {})
    problems |= _shape_problems(polygon, center_lat, center_lon, radius_km)
    if problems:
        raise ValidationError(problems)
    area = CustomArea.objects.select_for_update().get(pk=area.pk)
    before = _snapshot(area)
    _assign(area, name, names, polygon, center_lat, center_lon, radius_km)
    after = _snapshot(area)
    if after == before:
        return area
    area.save()
    record(
        actor=acting_user,
        action="geo.area.update",
        obj=area,
        summary=f"{area.code} ({area.kind})",
        before=before,
        after=after,
    )
    return area


@transaction.atomic
def iso3166_load(*, acting_user: User | AnonymousUser | None = None) -> LoadReport:
    """Refresh countries and subdivisions from the installed pycountry (``warden geo_load``)."""
    report = load_iso3166()
    record(
        actor=acting_user,
        action="geo.iso3166.load",
        summary=f"{report.created} created, {report.updated} updated, "
        f"{len(report.deleted)} deleted, {len(report.kept)} withdrawn but kept",
        after={"deleted": report.deleted, "kept": report.kept},
    )
    return report


def _code_problems(country: Country, code: str) -> dict[str, ValidationError]:
    prefix = f"{country.code}-"
    limit = CustomArea._meta.get_field("code").max_length or 0
    example = f"{country.code}-X-OLD-CITY"
    if not code:
        return {"code": ValidationError(_("Enter a code."), code="required")}
    if not _CODE.fullmatch(code):
        message = _(
            "Use only upper-case letters A-Z, digits and single hyphens, for example %(example)s."
        )
    elif not code.startswith(prefix):
        message = _("The code must start with the country code and a hyphen: %(prefix)s.")
    elif _ISO_SUFFIX.fullmatch(code.removeprefix(prefix)):
        message = _(
            "One to three letters or digits after the country code are kept for ISO 3166-2 "
            "subdivisions; use a longer code, for example %(example)s."
        )
    elif len(code) > limit:
        message = _("Use at most %(limit)d characters; this code has %(length)d.")
    elif CustomArea.objects.filter(code=code).exists():
        return {"code": _duplicate_code(code)}
    else:
        return {}
    params = {"example": example, "prefix": prefix, "limit": limit, "length": len(code)}
    return {"code": ValidationError(message, code="invalid", params=params)}


def _duplicate_code(code: str) -> ValidationError:
    return ValidationError(
        _("A custom area with the code %(code)s already exists."),
        code="unique",
        params={"code": code},
    )


def _name_problems(name: str, names: dict[str, str]) -> dict[str, ValidationError]:
    problems: dict[str, ValidationError] = {}
    limit = CustomArea._meta.get_field("name").max_length or 0
    if not name:
        problems["name"] = ValidationError(_("Enter a name."), code="required")
    elif len(name) > limit:
        problems["name"] = _too_long(limit)
    languages = _translated_languages()
    for language, translated in names.items():
        if language not in languages:
            problems["names"] = ValidationError(
                _("%(language)s is not a language Warden ships; use one of: %(languages)s."),
                code="language",
                params={"language": language, "languages": ", ".join(languages)},
            )
        elif not isinstance(translated, str) or len(translated.strip()) > limit:
            problems["names"] = _too_long(limit)
    return problems


def _too_long(limit: int) -> ValidationError:
    return ValidationError(
        _("Use at most %(limit)d characters."), code="max_length", params={"limit": limit}
    )


def _translated_languages() -> list[str]:
    return [code for code, _label in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def _shape_problems(
    polygon: dict[str, Any] | None,
    center_lat: float | None,
    center_lon: float | None,
    radius_km: float | None,
) -> dict[str, ValidationError]:
    circle = (center_lat, center_lon, radius_km)
    if polygon is not None and any(value is not None for value in circle):
        message = _("Give either a polygon or a circle (centre and radius), not both.")
        return {NON_FIELD_ERRORS: ValidationError(message, code="both_shapes")}
    if polygon is not None:
        problem = polygon_problem(polygon)
        return {"polygon": problem} if problem else {}
    if all(value is None for value in circle):
        message = _("Give the area's shape: a polygon, or a circle (centre and radius).")
        return {NON_FIELD_ERRORS: ValidationError(message, code="no_shape")}
    return dict(circle_problems(center_lat, center_lon, radius_km))


def _assign(
    area: CustomArea,
    name: str,
    names: dict[str, str] | None,
    polygon: dict[str, Any] | None,
    center_lat: float | None,
    center_lon: float | None,
    radius_km: float | None,
) -> None:
    """Set a validated name and shape (the other kind's fields are cleared)."""
    area.name = name.strip()
    area.names = {lang: text.strip() for lang, text in (names or {}).items() if text.strip()}
    is_polygon = polygon is not None
    area.kind = CustomArea.Kind.POLYGON if is_polygon else CustomArea.Kind.CIRCLE
    area.polygon = normalized_polygon(polygon) if polygon is not None else None
    area.center_lat = None if is_polygon or center_lat is None else float(center_lat)
    area.center_lon = None if is_polygon or center_lon is None else float(center_lon)
    area.radius_km = None if is_polygon or radius_km is None else float(radius_km)


def _snapshot(area: CustomArea) -> dict[str, Any]:
    """What the audit trail keeps of an area: its definition, no personal data."""
    return {
        "code": area.code,
        "country": area.country_id,
        "name": area.name,
        "names": area.names,
        "kind": str(area.kind),
        "polygon": area.polygon,
        "center_lat": area.center_lat,
        "center_lon": area.center_lon,
        "radius_km": area.radius_km,
    }


def _user_or_none(user: User | AnonymousUser) -> User | None:
    return user if isinstance(user, User) else None
