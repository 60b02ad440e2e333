"""Custom-area shapes: validating GeoJSON polygons and circles, and testing points against them.

Coordinates follow GeoJSON (RFC 7946): positions are ``[longitude, latitude]`` in WGS 84.
Areas across the antimeridian (longitude ±180) are not supported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from shapely import Point, Polygon
from shapely.validation import explain_validity

from warden.geo.models import CustomArea

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
MAX_RADIUS_KM = 2000.0
# A polygon may cover no more than the largest circle.
MAX_AREA_KM2 = math.pi * MAX_RADIUS_KM**2
MAX_POSITIONS = 5000
MIN_RING_POSITIONS = 4

# GEOS's reasons for an invalid polygon (shapely.validation.explain_validity), in words.
_INVALIDITY_REASONS: dict[str, Promise] = {
    "Self-intersection": _("its edges cross"),
    "Ring Self-intersection": _("a ring touches itself"),
    "Hole lies outside shell": _("a hole lies outside the outer ring"),
    "Holes are nested": _("a hole lies inside another hole"),
    "Interior is disconnected": _("the holes cut the area in two"),
    "Nested shells": _("one ring lies inside another"),
    "Duplicate Rings": _("two rings are the same"),
    "Too few points in geometry component": _("a ring has fewer than three distinct corners"),
    "Too few distinct points in geometry component": _(
        "a ring has fewer than three distinct corners"
    ),
    "Repeated Point": _("a position is repeated"),
    "Invalid Coordinate": _("a position is not a number"),
    "Ring is not closed": _("a ring is not closed"),
}
_EXPLANATION = re.compile(r"(?P<reason>[^\[]+)\[(?P<lon>\S+) (?P<lat>\S+)\]")


def polygon_problem(polygon: object) -> ValidationError | None:
    """The first thing wrong with a GeoJSON Polygon geometry, or None if it is usable."""
    rings = polygon.get("coordinates") if isinstance(polygon, dict) else None
    if not isinstance(polygon, dict) or polygon.get("type") != "Polygon" or not rings:
        return ValidationError(
            _(
                'Enter a GeoJSON Polygon: {"type": "Polygon", "coordinates": '
                "[[[longitude, latitude], ...]]}."
            ),
            code="not_polygon",
        )
    if not isinstance(rings, list | tuple) or not all(isinstance(r, list | tuple) for r in rings):
        return ValidationError(
            _("The polygon's coordinates must be a list of rings, each a list of positions."),
            code="not_rings",
        )
    for number, ring in enumerate(rings, start=1):
        if problem := _ring_problem(number, ring):
            return problem
    return _shape_problem([[list(p[:2]) for p in ring] for ring in rings])


def _ring_problem(number: int, ring: list[Any] | tuple[Any, ...]) -> ValidationError | None:
    for index, position in enumerate(ring, start=1):
        if problem := _position_problem(number, index, position):
            return problem
    if len(ring) < MIN_RING_POSITIONS:
        return ValidationError(
            _(
                "Ring %(ring)d has %(count)d positions; a ring needs at least %(minimum)d, "
                "the last repeating the first."
            ),
            code="ring_too_short",
            params={"ring": number, "count": len(ring), "minimum": MIN_RING_POSITIONS},
        )
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return ValidationError(
            _("Ring %(ring)d is not closed: its last position must repeat its first."),
            code="ring_not_closed",
            params={"ring": number},
        )
    return None


def _position_problem(ring: int, index: int, position: object) -> ValidationError | None:
    where = {"ring": ring, "position": index}
    if not (
        isinstance(position, list | tuple)
        and len(position) in (2, 3)
        and all(map(_number, position))
    ):
        return ValidationError(
            _("Position %(position)d of ring %(ring)d is not a [longitude, latitude] pair."),
            code="bad_position",
            params=where,
        )
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180:
        return ValidationError(
            _(
                "Position %(position)d of ring %(ring)d has longitude %(value)s; "
                "longitude must be between -180 and 180."
            ),
            code="longitude_range",
            params={**where, "value": lon},
        )
    if not -90 <= lat <= 90:
        return ValidationError(
            _(
                "Position %(position)d of ring %(ring)d has latitude %(value)s; "
                "latitude must be between -90 and 90."
            ),
            code="latitude_range",
            params={**where, "value": lat},
        )
    return None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _shape_problem(rings: list[list[list[float]]]) -> ValidationError | None:
    positions = sum(len(ring) for ring in rings)
    if positions > MAX_POSITIONS:
        return ValidationError(
            _("The polygon has %(count)d positions; simplify it to at most %(limit)d."),
            code="too_many_positions",
            params={"count": positions, "limit": MAX_POSITIONS},
        )
    shape = _polygon(rings)
    if not shape.is_valid:
        return _invalidity(explain_validity(shape))
    west, _south, east, _north = shape.bounds
    if east - west > 180:
        return ValidationError(
            _(
                "The polygon spans more than 180 degrees of longitude; areas across the "
                "antimeridian are not supported."
            ),
            code="antimeridian",
        )
    area = polygon_area_km2(rings)
    if area > MAX_AREA_KM2:
        return ValidationError(
            _(
                "The polygon covers about %(area)s km²; a custom area may cover at most "
                "%(limit)s km²."
            ),
            code="too_large",
            params={"area": f"{area:,.0f}", "limit": f"{MAX_AREA_KM2:,.0f}"},
        )
    return None


def _invalidity(explanation: str) -> ValidationError:
    match = _EXPLANATION.fullmatch(explanation)
    if match is None:
        return ValidationError(
            _("The polygon is not valid: %(reason)s."),
            code="invalid_polygon",
            params={"reason": explanation},
        )
    reason = _INVALIDITY_REASONS.get(match["reason"], match["reason"])
    return ValidationError(
        _("The polygon is not valid: %(reason)s at longitude %(lon)s, latitude %(lat)s."),
        code="invalid_polygon",
        params={"reason": reason, "lon": match["lon"], "lat": match["lat"]},
    )


def _polygon(rings: list[list[list[float]]]) -> Polygon:
    return Polygon(
        [position[:2] for position in rings[0]],
        [[position[:2] for position in ring] for ring in rings[1:]],
    )


def normalized_polygon(polygon: dict[str, Any]) -> dict[str, Any]:
    """A valid polygon as stored: only type and coordinates, positions without altitude."""
    rings = [[[float(p[0]), float(p[1])] for p in ring] for ring in polygon["coordinates"]]
    return {"type": "Polygon", "coordinates": rings}


def polygon_area_km2(rings: Sequence[Sequence[Sequence[float]]]) -> float:
    """Area on a spherical Earth: outer ring minus holes (Chamberlain & Duquette, 2007)."""
    outer, *holes = (_ring_area_km2(ring) for ring in rings)
    return max(outer - sum(holes), 0.0)


def _ring_area_km2(ring: Sequence[Sequence[float]]) -> float:
    corners = ring[:-1]
    total = 0.0
    for i, (_lon, lat) in enumerate(p[:2] for p in corners):
        following = corners[(i + 1) % len(corners)][0]
        preceding = corners[i - 1][0]
        total += math.radians(following - preceding) * math.sin(math.radians(lat))
    return abs(total) * EARTH_RADIUS_KM**2 / 2


def circle_problems(
    center_lat: float | None, center_lon: float | None, radius_km: float | None
) -> dict[str, ValidationError]:
    """Problems with a circle's centre and radius, by field."""
    problems: dict[str, ValidationError] = {}
    checks = (
        ("center_lat", center_lat, -90.0, 90.0, _("Latitude must be between -90 and 90.")),
        ("center_lon", center_lon, -180.0, 180.0, _("Longitude must be between -180 and 180.")),
    )
    for name, value, low, high, message in checks:
        if value is None:
            problems[name] = ValidationError(_("A circle needs this value."), code="required")
        elif not _number(value) or not low <= value <= high:
            problems[name] = ValidationError(message, code="range")
    if radius_km is None:
        problems["radius_km"] = ValidationError(_("A circle needs this value."), code="required")
    elif not _number(radius_km) or not 0 < radius_km <= MAX_RADIUS_KM:
        problems["radius_km"] = ValidationError(
            _("The radius must be more than 0 km and at most %(limit)s km."),
            code="range",
            params={"limit": f"{MAX_RADIUS_KM:,.0f}"},
        )
    return problems


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points on a spherical Earth."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def area_contains(area: CustomArea, lat: float, lon: float) -> bool:
    """Whether the point lies in the area; points on a polygon's edge or the circle count."""
    if area.kind == CustomArea.Kind.CIRCLE:
        if area.center_lat is None or area.center_lon is None or area.radius_km is None:
            return False
        return haversine_km(area.center_lat, area.center_lon, lat, lon) <= area.radius_km
    if not area.polygon:
        return False
    return bool(_polygon(area.polygon["coordinates"]).covers(Point(lon, lat)))
