from __future__ import annotations

import math
from typing import Any

import pytest

from warden.geo.geometry import EARTH_RADIUS_KM, area_contains, haversine_km, polygon_area_km2
from warden.geo.models import CustomArea

SQUARE: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [[[28, 41], [29, 41], [29, 42], [28, 42], [28, 41]]],
}
HOLED: dict[str, Any] = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}


def test_area_contains_points_in_a_polygon():
    area = CustomArea(kind="polygon", polygon=SQUARE)
    assert area_contains(area, 41.5, 28.5)
    assert area_contains(area, 41.0, 28.5)  # on the edge
    assert not area_contains(area, 28.5, 41.5)  # latitude and longitude swapped
    assert not area_contains(area, 42.1, 28.5)


def test_area_contains_excludes_holes():
    area = CustomArea(kind="polygon", polygon=HOLED)
    assert area_contains(area, 2, 2)
    assert not area_contains(area, 5, 5)


def test_area_contains_points_in_a_circle():
    # Hagia Sophia; the Galata Tower is under 2.5 km away, Ankara about 350 km.
    area = CustomArea(kind="circle", center_lat=41.0086, center_lon=28.9802, radius_km=2)
    assert area_contains(area, 41.0256, 28.9741)
    assert not area_contains(area, 39.9199, 32.8543)


def test_haversine_km():
    quarter_meridian = math.pi / 2 * EARTH_RADIUS_KM
    assert haversine_km(0, 0, 90, 0) == pytest.approx(quarter_meridian)
    assert haversine_km(0, 0, 0, 1) == pytest.approx(quarter_meridian / 90)
    assert haversine_km(41, 29, 41, 29) == 0


def test_polygon_area_km2():
    one_degree = [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]
    assert polygon_area_km2(one_degree) == pytest.approx(12364, rel=0.001)
    assert polygon_area_km2(HOLED["coordinates"]) == pytest.approx(
        polygon_area_km2(HOLED["coordinates"][:1]) * 0.96, rel=0.01
    )
