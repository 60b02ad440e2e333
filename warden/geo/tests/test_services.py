from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from warden.audit.models import AuditEvent
from warden.geo.models import CustomArea
from warden.geo.services import custom_area_create, custom_area_update

pytestmark = pytest.mark.django_db

OLD_CITY = {
    "type": "Polygon",
    "coordinates": [
        [[28.94, 41.00], [28.99, 41.00], [28.99, 41.02], [28.94, 41.02], [28.94, 41.00]]
    ],
}


def create(user, turkey, **overrides: Any) -> CustomArea:
    arguments: dict[str, Any] = {
        "acting_user": user,
        "country": turkey,
        "code": "TR-X-ISTANBUL-OLD-CITY",
        "name": "Istanbul old city",
        "polygon": OLD_CITY,
        **overrides,
    }
    return custom_area_create(**arguments)


def errors(user, turkey, **overrides: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        create(user, turkey, **overrides)
    return caught.value.message_dict


def polygon(*positions: list[float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [list(positions)]}


def test_alice_creates_a_polygon_area(alice, turkey):
    area = create(alice, turkey, names={"he": "העיר העתיקה של איסטנבול"})
    area.refresh_from_db()
    assert (area.kind, area.country_id, area.created_by) == ("polygon", "TR", alice)
    assert area.polygon == OLD_CITY
    assert area.names == {"he": "העיר העתיקה של איסטנבול"}
    assert area.center_lat is None


def test_alice_creates_a_circle_area(alice, turkey):
    area = create(alice, turkey, polygon=None, center_lat=41.0086, center_lon=28.9802, radius_km=3)
    assert (area.kind, area.center_lat, area.center_lon, area.radius_km) == (
        "circle",
        41.0086,
        28.9802,
        3.0,
    )
    assert area.polygon is None


def test_creating_writes_an_audit_event(alice, turkey):
    area = create(alice, turkey)
    event = AuditEvent.objects.get(action="geo.area.create")
    assert (event.actor_id, event.object_type, event.object_id) == (
        alice.pk,
        "geo.customarea",
        str(area.pk),
    )
    assert event.summary == "TR-X-ISTANBUL-OLD-CITY (polygon)"
    assert event.before is None
    assert event.after == {
        "code": "TR-X-ISTANBUL-OLD-CITY",
        "country": "TR",
        "name": "Istanbul old city",
        "names": {},
        "kind": "polygon",
        "polygon": OLD_CITY,
        "center_lat": None,
        "center_lon": None,
        "radius_km": None,
    }


@pytest.mark.parametrize("who", ["bob", "mallory"])
def test_others_cannot_create(cast, turkey, who):
    with pytest.raises(PermissionDenied):
        create(cast[who], turkey)
    assert not CustomArea.objects.exists()
    assert not AuditEvent.objects.filter(action="geo.area.create").exists()


def test_it_rejects_an_open_ring(alice, turkey):
    ring = polygon([28.9, 41.0], [29.0, 41.0], [29.0, 41.1], [28.9, 41.1])
    assert errors(alice, turkey, polygon=ring) == {
        "polygon": ["Ring 1 is not closed: its last position must repeat its first."]
    }


def test_it_rejects_a_ring_with_too_few_positions(alice, turkey):
    ring = polygon([28.9, 41.0], [29.0, 41.0], [28.9, 41.0])
    assert errors(alice, turkey, polygon=ring) == {
        "polygon": [
            "Ring 1 has 3 positions; a ring needs at least 4, the last repeating the first."
        ]
    }


def test_it_rejects_a_bow_tie(alice, turkey):
    bow_tie = polygon([28, 41], [29, 42], [29, 41], [28, 42], [28, 41])
    assert errors(alice, turkey, polygon=bow_tie) == {
        "polygon": ["The polygon is not valid: its edges cross at longitude 28.5, latitude 41.5."]
    }


def test_it_rejects_a_hole_outside_the_shell(alice, turkey):
    shape = {
        "type": "Polygon",
        "coordinates": [
            [[28, 41], [29, 41], [29, 42], [28, 42], [28, 41]],
            [[30, 41], [30.5, 41], [30.5, 41.5], [30, 41]],
        ],
    }
    assert errors(alice, turkey, polygon=shape) == {
        "polygon": [
            "The polygon is not valid: a hole lies outside the outer ring at longitude 30, "
            "latitude 41."
        ]
    }


@pytest.mark.parametrize(
    ("position", "message"),
    [
        (
            [200, 41],
            "Position 2 of ring 1 has longitude 200; longitude must be between -180 and 180.",
        ),
        (
            [29, -91.5],
            "Position 2 of ring 1 has latitude -91.5; latitude must be between -90 and 90.",
        ),
        ([29], "Position 2 of ring 1 is not a [longitude, latitude] pair."),
        (["29", "41"], "Position 2 of ring 1 is not a [longitude, latitude] pair."),
        ([29, True], "Position 2 of ring 1 is not a [longitude, latitude] pair."),
    ],
)
def test_it_rejects_bad_positions(alice, turkey, position, message):
    ring = polygon([28, 41], position, [29, 42], [28, 42], [28, 41])
    assert errors(alice, turkey, polygon=ring) == {"polygon": [message]}


def test_it_rejects_what_is_not_a_polygon(alice, turkey):
    message = (
        'Enter a GeoJSON Polygon: {"type": "Polygon", "coordinates": '
        "[[[longitude, latitude], ...]]}."
    )
    for shape in ({"type": "Point", "coordinates": [28, 41]}, {"type": "Polygon"}, {}):
        assert errors(alice, turkey, polygon=shape) == {"polygon": [message]}


def test_it_rejects_a_huge_polygon(alice, turkey):
    huge = polygon([-10, -40], [80, -40], [80, 40], [-10, 40], [-10, -40])
    # R² · Δλ · (sin 40° - sin -40°) = 6371.0088² · π/2 · 1.2856 km²
    assert errors(alice, turkey, polygon=huge) == {
        "polygon": [
            "The polygon covers about 81,966,007 km²; a custom area may cover at most "
            "12,566,371 km²."
        ]
    }


def test_it_rejects_a_polygon_across_the_antimeridian(alice, turkey):
    strip = polygon([-179, 60], [179, 60], [179, 61], [-179, 61], [-179, 60])
    assert errors(alice, turkey, polygon=strip) == {
        "polygon": [
            "The polygon spans more than 180 degrees of longitude; areas across the "
            "antimeridian are not supported."
        ]
    }


def test_it_rejects_both_shapes(alice, turkey):
    assert errors(alice, turkey, center_lat=41, center_lon=29, radius_km=5) == {
        "__all__": ["Give either a polygon or a circle (centre and radius), not both."]
    }


def test_it_rejects_no_shape(alice, turkey):
    assert errors(alice, turkey, polygon=None) == {
        "__all__": ["Give the area's shape: a polygon, or a circle (centre and radius)."]
    }


def test_it_rejects_bad_circles(alice, turkey):
    assert errors(alice, turkey, polygon=None, center_lat=95, radius_km=2500) == {
        "center_lat": ["Latitude must be between -90 and 90."],
        "center_lon": ["A circle needs this value."],
        "radius_km": ["The radius must be more than 0 km and at most 2,000 km."],
    }
    assert errors(alice, turkey, polygon=None, center_lat=41, center_lon=181, radius_km=0) == {
        "center_lon": ["Longitude must be between -180 and 180."],
        "radius_km": ["The radius must be more than 0 km and at most 2,000 km."],
    }


def test_it_accepts_the_largest_circle(alice, turkey):
    area = create(alice, turkey, polygon=None, center_lat=39, center_lon=35, radius_km=2000)
    assert area.radius_km == 2000


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter a code."),
        (
            "tr-x-old-city",
            "Use only upper-case letters A-Z, digits and single hyphens, for example "
            "TR-X-OLD-CITY.",
        ),
        (
            "TR--OLD",
            "Use only upper-case letters A-Z, digits and single hyphens, for example "
            "TR-X-OLD-CITY.",
        ),
        (
            "TR-X-ESKİ-ŞEHİR",
            "Use only upper-case letters A-Z, digits and single hyphens, for example "
            "TR-X-OLD-CITY.",
        ),
        ("GR-X-ATHENS", "The code must start with the country code and a hyphen: TR-."),
        ("TRX-OLD-CITY", "The code must start with the country code and a hyphen: TR-."),
        (
            "TR-OLD",
            "One to three letters or digits after the country code are kept for ISO 3166-2 "
            "subdivisions; use a longer code, for example TR-X-OLD-CITY.",
        ),
        ("TR-X-" + "A" * 40, "Use at most 40 characters; this code has 45."),
    ],
)
def test_it_rejects_bad_codes(alice, turkey, code, message):
    assert errors(alice, turkey, code=code) == {"code": [message]}


def test_it_rejects_a_duplicate_code(alice, turkey):
    create(alice, turkey)
    assert errors(alice, turkey) == {
        "code": ["A custom area with the code TR-X-ISTANBUL-OLD-CITY already exists."]
    }


def test_it_rejects_bad_names(alice, turkey):
    assert errors(alice, turkey, name=" ", names={"fr": "Vieille ville"}) == {
        "name": ["Enter a name."],
        "names": ["fr is not a language Warden ships; use one of: he."],
    }


def test_it_reports_every_field_at_once(alice, turkey):
    assert set(errors(alice, turkey, code="bad", name="", polygon={})) == {
        "code",
        "name",
        "polygon",
    }


def test_alice_updates_an_area(alice, turkey):
    area = create(alice, turkey)
    updated = custom_area_update(
        acting_user=alice,
        area=area,
        name="Old city",
        center_lat=41.01,
        center_lon=28.97,
        radius_km=2.5,
    )
    updated.refresh_from_db()
    assert (updated.name, updated.kind, updated.polygon, updated.radius_km) == (
        "Old city",
        "circle",
        None,
        2.5,
    )
    event = AuditEvent.objects.get(action="geo.area.update")
    assert event.before is not None
    assert event.after is not None
    assert event.before["kind"] == "polygon"
    assert event.before["polygon"] == OLD_CITY
    assert event.after["kind"] == "circle"
    assert event.after["radius_km"] == 2.5


def test_an_update_that_changes_nothing_writes_no_event(alice, turkey):
    area = create(alice, turkey)
    custom_area_update(acting_user=alice, area=area, name=area.name, polygon=OLD_CITY)
    assert not AuditEvent.objects.filter(action="geo.area.update").exists()


@pytest.mark.parametrize("who", ["bob", "mallory"])
def test_others_cannot_update(cast, turkey, who):
    area = create(cast["alice"], turkey)
    with pytest.raises(PermissionDenied):
        custom_area_update(acting_user=cast[who], area=area, name="Renamed", polygon=OLD_CITY)
    area.refresh_from_db()
    assert area.name == "Istanbul old city"


def test_updates_are_validated(alice, turkey):
    area = create(alice, turkey)
    with pytest.raises(ValidationError) as caught:
        custom_area_update(acting_user=alice, area=area, name="Old city", radius_km=-1)
    assert caught.value.message_dict == {
        "center_lat": ["A circle needs this value."],
        "center_lon": ["A circle needs this value."],
        "radius_km": ["The radius must be more than 0 km and at most 2,000 km."],
    }
