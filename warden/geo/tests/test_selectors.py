from __future__ import annotations

import pytest

from warden.geo.models import Country, CustomArea, Subdivision
from warden.geo.selectors import (
    City,
    area_lookup,
    city_get,
    city_search,
    country_search,
    subdivisions_for,
)

pytestmark = pytest.mark.django_db


def codes(query: str) -> list[str]:
    return [country.code for country in country_search(query=query)]


@pytest.mark.parametrize("query", ["turkey", "Türkiye", "TURKIYE", "טורקיה", "TUR", "tr"])
def test_it_finds_turkey(query):
    assert codes(query)[0] == "TR"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Russia", "RU"),
        ("רוסיה", "RU"),
        ("iran", "IR"),
        ("Syria", "SY"),
        ("czech republic", "CZ"),
        ("Ivory Coast", "CI"),
        ("cote d'ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("ארה״ב", "US"),
        ('ארה"ב', "US"),
        ("united states", "US"),
        ("Korea, Republic of", "KR"),
        ("צ'כיה", "CZ"),
        ("צ׳כיה", "CZ"),
    ],
)
def test_it_finds_countries_by_other_names(query, code):
    assert codes(query)[0] == code


def test_it_ranks_exact_then_prefix_then_the_rest():
    assert codes("tur")[:3] == ["TR", "TM", "TC"]
    assert codes("guinea")[:1] == ["GN"]


def test_it_limits_results():
    assert len(country_search(query="a", limit=5)) == 5


def test_it_finds_nothing_for_blank_queries():
    assert country_search(query="  ") == []
    assert codes("no such place") == []


def test_subdivisions_for_lists_a_country():
    subdivisions = list(subdivisions_for("tr"))
    assert len(subdivisions) == 81
    assert subdivisions[0].code == "TR-01"
    assert "TR-34" in {s.code for s in subdivisions}


def test_area_lookup_resolves_each_kind_of_code():
    turkey = Country.objects.get(code="TR")
    area = CustomArea.objects.create(
        code="TR-X-OLD-CITY",
        country=turkey,
        name="Old city",
        kind="circle",
        center_lat=41.0,
        center_lon=28.97,
        radius_km=2,
    )
    assert area_lookup("TR") == turkey
    assert area_lookup("tur") == turkey
    assert area_lookup("792") == turkey
    assert area_lookup(" tr-34 ") == Subdivision.objects.get(code="TR-34")
    assert area_lookup("TR-X-OLD-CITY") == area
    assert area_lookup("TR-X-NOWHERE") is None
    assert area_lookup("") is None


def test_city_search_finds_istanbul_and_ankara():
    (istanbul,) = city_search(country_code="TR", query="istanbul")
    assert istanbul == City(
        geonameid=745044,
        name="Istanbul",
        country_code="TR",
        latitude=41.01384,
        longitude=28.94966,
        population=15701602,
        admin1_code="34",
    )
    assert city_search(country_code="tr", query="ANK")[0].name == "Ankara"


def test_city_search_matches_alternate_names():
    assert city_search(country_code="TR", query="אנקרה")[0].name == "Ankara"
    assert city_search(country_code="TR", query="Constantinople")[0].name == "Istanbul"


def test_city_search_keeps_to_the_country():
    assert city_search(country_code="GR", query="istanbul") == []
    assert city_search(country_code="TR", query="") == []


def test_city_get():
    city = city_get(323786)
    assert city is not None
    assert (city.name, city.country_code) == ("Ankara", "TR")
    assert city_get(1) is None
