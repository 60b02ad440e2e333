from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import resolve
from django.utils import timezone

from warden.api.tests.conftest import publish_exercise
from warden.geo.models import Country
from warden.test import publish

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
LEVEL_4 = {
    "number": 4,
    "name": "High threat",
    "wording": "High threat: do not travel; those there should leave.",
    "colour": "#c0162c",
}


def items_by_code(response):
    return {item["code"]: item for item in response.json()["items"]}


def test_it_lists_every_country_with_its_current_level(api, published):
    response = api.get("/api/v1/countries", {"page_size": 250})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Country.objects.count() == len(body["items"])
    assert body["next"] is None and body["previous"] is None
    first = body["items"][0]
    assert first == {
        "code": "TR",
        "name": "Türkiye",
        "level": LEVEL_4,
        "review_due": published.review_due.isoformat(),
        "is_temporary": False,
        "updated_at": first["updated_at"],
        "url": f"{SITE}/api/v1/countries/TR",
    }
    assert first["updated_at"].startswith(published.published_at.strftime("%Y-%m-%dT%H:%M:%S"))
    assert items_by_code(response)["FR"]["level"] is None


def test_it_pages_with_links(api, published):
    first = api.get("/api/v1/countries", {"page_size": 2}).json()
    assert len(first["items"]) == 2
    assert first["previous"] is None
    assert first["next"] == f"{SITE}/api/v1/countries?page_size=2&page=2"
    second = api.get("/api/v1/countries", {"page_size": 2, "page": 2}).json()
    assert second["previous"] == f"{SITE}/api/v1/countries?page_size=2&page=1"
    assert {i["code"] for i in first["items"]}.isdisjoint({i["code"] for i in second["items"]})
    beyond = api.get("/api/v1/countries", {"page_size": 100, "page": 9}).json()
    assert beyond["items"] == [] and beyond["next"] is None
    assert beyond["previous"] == f"{SITE}/api/v1/countries?page_size=100&page=3"


def test_page_size_has_a_maximum(api, published):
    response = api.get("/api/v1/countries", {"page_size": 251})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Invalid request. page_size: Input should be less than or equal to 250"
    )


def test_it_filters_by_level(api, published, english_only):
    at_least_1 = api.get("/api/v1/countries", {"level_gte": 1}).json()
    assert [i["code"] for i in at_least_1["items"]] == ["TR", "GR"]
    assert at_least_1["count"] == 2
    at_least_4 = api.get("/api/v1/countries", {"level_gte": 4}).json()
    assert [i["code"] for i in at_least_4["items"]] == ["TR"]
    assert api.get("/api/v1/countries", {"level_gte": 5}).status_code == 422


def test_it_filters_by_publication_time(api, published, english_only):
    since = english_only.published_at
    response = api.get("/api/v1/countries", {"changed_since": since.isoformat()})
    assert [i["code"] for i in response.json()["items"]] == ["GR"]
    before = (published.published_at - timedelta(seconds=1)).isoformat()
    response = api.get("/api/v1/countries", {"changed_since": before})
    assert [i["code"] for i in response.json()["items"]] == ["TR", "GR"]
    # A time without an offset is UTC.
    naive = (timezone.now() + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    assert api.get("/api/v1/countries", {"changed_since": naive}).json()["count"] == 0
    bad = api.get("/api/v1/countries", {"changed_since": "yesterday"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "changed_since"]


def test_it_searches_by_name_in_any_language(api, published):
    by_hebrew = api.get("/api/v1/countries", {"q": "טורקיה"}).json()
    assert [i["code"] for i in by_hebrew["items"]] == ["TR"]
    by_old_name = api.get("/api/v1/countries", {"q": "turkey", "level_gte": 4}).json()
    assert [i["code"] for i in by_old_name["items"]] == ["TR"]
    assert api.get("/api/v1/countries", {"q": "zzzz"}).json()["count"] == 0


def test_the_list_takes_a_fixed_number_of_queries(
    api, published, english_only, alice, bob, django_assert_max_num_queries
):
    for code, level in (("FR", 2), ("DE", 1), ("SY", 4)):
        publish(Country.objects.get(pk=code), level, author=alice, approver=bob)
    # publication stamp (2), current editions, countries, levels
    with django_assert_max_num_queries(5):
        response = api.get("/api/v1/countries", {"page_size": 250, "lang": "he"})
    assert response.status_code == 200
    assert len(response.json()["items"]) == Country.objects.count()


def test_country_detail(api, published, border):
    response = api.get("/api/v1/countries/tr")
    assert response.status_code == 200
    body = response.json()
    statement = body.pop("statements")
    assert body == {
        "code": "TR",
        "name": "Türkiye",
        "level": LEVEL_4,
        "edition": 2,
        "risk_indicators": [
            {"code": "T", "label": "Terrorism"},
            {"code": "U", "label": "Civil unrest"},
        ],
        "language": "en",
        "fallback": False,
        "summary": "Level 4 summary.",
        "body": "Level 4 full advice.",
        "effective_at": body["effective_at"],
        "published_at": body["published_at"],
        "review_due": published.review_due.isoformat(),
        "is_temporary": False,
        "expected_end": None,
        "change_note": "Set to level 4.",
        "areas": [
            {
                "code": "TR-34",
                "name": "İstanbul",
                "kind": "subdivision",
                "level": LEVEL_4,
                "note": "Including the airports.",
                "geometry": None,
            },
            {
                "code": "TR-X-SYRIAN-BORDER",
                "name": "Syrian border",
                "kind": "custom",
                "level": LEVEL_4,
                "note": "Within 10 km of the border.",
                "geometry": {"type": "Circle", "center": [38.0, 36.8], "radius_km": 10.0},
            },
        ],
        "links": {
            "html": f"{SITE}/countries/TR/",
            "feed": f"{SITE}/feeds/tr.atom",
            "cap": f"{SITE}/cap/nsc.test.edition.TR.2.xml",
            "history": f"{SITE}/api/v1/countries/TR/history",
        },
    }
    assert [s["title"] for s in statement] == ["Leave Türkiye"]
    for link in body["links"].values():  # the site serves each of them
        assert resolve(urlsplit(link).path).url_name != "not-found"


def test_the_detail_takes_a_fixed_number_of_queries(
    api, published, alice, bob, django_assert_max_num_queries
):
    from warden.api.tests.conftest import publish_statement

    for _ in range(3):
        publish_statement(author=alice, approver=bob, countries=("TR", "SY"))
    # stamp (2), country, edition, its texts, areas, subdivisions, custom areas, levels,
    # statements, their texts, their countries
    with django_assert_max_num_queries(12):
        response = api.get("/api/v1/countries/TR")
    assert len(response.json()["statements"]) == 4


def test_a_polygon_area_comes_as_geojson(api, authority, turkey, alice, bob):
    from warden.advisories.services import AreaContent
    from warden.geo import services as geo

    ring = [[26.0, 40.0], [27.0, 40.0], [27.0, 41.0], [26.0, 41.0], [26.0, 40.0]]
    geo.custom_area_create(
        acting_user=alice,
        country=turkey,
        code="TR-X-THRACE",
        name="Thrace",
        polygon={"type": "Polygon", "coordinates": [ring]},
    )
    publish(turkey, 2, author=alice, approver=bob, areas=(AreaContent("TR-X-THRACE", 3),))
    area = api.get("/api/v1/countries/TR").json()["areas"][0]
    assert area["geometry"] == {"type": "Polygon", "coordinates": [ring]}
    assert area["level"]["number"] == 3


def test_country_detail_in_hebrew(api, published):
    body = api.get("/api/v1/countries/TR", {"lang": "he"}).json()
    assert body["name"] == "טורקיה"
    assert body["language"] == "he" and body["fallback"] is False
    assert body["summary"] == "תקציר רמה 4."
    assert body["level"]["name"] == "איום גבוה"
    border = body["areas"][1]
    assert (border["name"], border["note"]) == ("גבול סוריה", "עד 10 ק״מ מהגבול.")
    assert body["areas"][0]["note"] == "Including the airports."  # no Hebrew note
    assert body["links"]["html"] == f"{SITE}/he/countries/TR/"
    assert body["statements"][0]["title"] == "לצאת מטורקיה"


def test_accept_language_chooses_the_language_and_lang_wins(api, published):
    assert (
        api.get("/api/v1/countries/TR", HTTP_ACCEPT_LANGUAGE="he-IL,en;q=0.5").json()["language"]
        == "he"
    )
    response = api.get("/api/v1/countries/TR", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="he")
    assert response.json()["language"] == "en"
    assert response["Content-Language"] == "en"
    assert api.get("/api/v1/countries/TR", HTTP_ACCEPT_LANGUAGE="fr").json()["language"] == "en"
    assert api.get("/api/v1/countries/TR", {"lang": "fr"}).status_code == 422


def test_english_is_given_when_a_translation_is_missing(api, english_only):
    body = api.get("/api/v1/countries/GR", {"lang": "he"}).json()
    assert body["language"] == "en"
    assert body["fallback"] is True
    assert body["summary"] == "Take basic precautions."


def test_a_country_without_an_advisory(api, published):
    body = api.get("/api/v1/countries/FR").json()
    assert body["level"] is None and body["edition"] is None
    assert body["summary"] is None and body["areas"] == [] and body["risk_indicators"] == []
    assert body["links"]["cap"] is None


def test_unknown_and_malformed_codes(api, published):
    unknown = api.get("/api/v1/countries/XX")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No country with code XX."}
    assert api.get("/api/v1/countries/qq/history").json() == {"detail": "No country with code QQ."}
    for bad in ("TUR", "T1", "1", "%C3%BCr"):
        response = api.get(f"/api/v1/countries/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"] == (
            "Invalid request. iso2: A country code is two letters (ISO 3166-1 alpha-2), "
            "for example TR."
        )


def test_history_lists_every_edition_newest_first(api, published):
    response = api.get("/api/v1/countries/TR/history")
    body = response.json()
    assert body["count"] == 2
    assert [(e["number"], e["level"], e["status"]) for e in body["items"]] == [
        (2, 4, "published"),
        (1, 2, "superseded"),
    ]
    assert body["items"][1]["change_note"] == "Set to level 2."
    paged = api.get("/api/v1/countries/TR/history", {"page_size": 1, "page": 2}).json()
    assert [e["number"] for e in paged["items"]] == [1]


def test_exercises_never_appear(api, published, alice, bob):
    france = Country.objects.get(pk="FR")
    publish_exercise(france, 3, author=alice, approver=bob)
    publish_exercise(Country.objects.get(pk="TR"), 1, author=alice, approver=bob)
    listed = items_by_code(api.get("/api/v1/countries", {"page_size": 250}))
    assert listed["FR"]["level"] is None
    assert listed["TR"]["level"]["number"] == 4
    assert api.get("/api/v1/countries", {"level_gte": 1}).json()["count"] == 1
    assert api.get("/api/v1/countries/FR").json()["level"] is None
    assert api.get("/api/v1/countries/TR").json()["edition"] == 2
    assert api.get("/api/v1/countries/FR/history").json()["count"] == 0
    assert api.get("/api/v1/countries/TR/history").json()["count"] == 2
