"""Caching, languages and errors: what every endpoint does around its handler."""

from __future__ import annotations

from typing import get_args

import pytest
from django.conf import settings

from warden.api.v1.schemas import Language
from warden.test import publish

pytestmark = pytest.mark.django_db

DATA_URLS = [
    "/api/v1/countries",
    "/api/v1/countries/TR",
    "/api/v1/countries/TR/history",
    "/api/v1/statements",
]


@pytest.mark.parametrize("url", DATA_URLS)
def test_every_answer_carries_validators_and_cache_control(api, published, url):
    response = api.get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("url", DATA_URLS)
def test_conditional_requests_get_304(api, published, url):
    first = api.get(url)
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "max-age=60" in again["Cache-Control"]
    since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"something else"').status_code == 200


def test_a_publication_changes_the_etag_at_once(api, published, alice, bob):
    first = api.get("/api/v1/countries/FR")
    assert first.json()["level"] is None
    from warden.geo.models import Country

    publish(Country.objects.get(pk="FR"), 2, author=alice, approver=bob)
    after = api.get("/api/v1/countries/FR", HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after.json()["level"]["number"] == 2


def test_the_etag_depends_on_query_and_language(api, published):
    etags = {
        api.get("/api/v1/countries")["ETag"],
        api.get("/api/v1/countries", {"page": 2})["ETag"],
        api.get("/api/v1/countries", {"lang": "he"})["ETag"],
        api.get("/api/v1/countries", HTTP_ACCEPT_LANGUAGE="he")["ETag"],
    }
    assert len(etags) == 4


def test_errors_are_json_and_never_cached(api, published):
    for url, status in [
        ("/api/v1/countries/XX", 404),
        ("/api/v1/countries?page=0", 422),
        ("/api/v1/", 404),
        ("/api/v1/no/such/thing", 404),
    ]:
        response = api.get(url)
        assert response.status_code == status, url
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
        assert "ETag" not in response
    assert api.get("/api/v1/nope").json() == {
        "detail": "No endpoint at /api/v1/nope. The API is described at /api/v1/docs."
    }


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_get_405_in_json(api, method):
    response = getattr(api, method)("/api/v1/countries")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": f"Method {method.upper()} is not allowed here; use GET."}


def test_validation_errors_name_every_bad_parameter(api, published):
    response = api.get("/api/v1/countries", {"level_gte": "high", "page_size": 0})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == (
        "Invalid request. level_gte: Input should be a valid integer, unable to parse string "
        "as an integer; page_size: Input should be greater than or equal to 1"
    )
    assert [e["loc"] for e in body["errors"]] == [["query", "level_gte"], ["query", "page_size"]]


def test_the_language_parameter_matches_the_settings():
    assert set(get_args(Language)) == {code for code, _name in settings.LANGUAGES}


def test_the_schema_is_published_and_cached(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {
        "title": "Warden public API",
        "version": "1",
        "description": schema["info"]["description"],
    }
    assert set(schema["paths"]) == {
        "/api/v1/countries",
        "/api/v1/countries/{iso2}",
        "/api/v1/countries/{iso2}/history",
        "/api/v1/statements",
        "/api/v1/statements/{statement_id}",
        "/api/v1/registration",
        "/api/v1/registration/link",
        "/api/v1/registration/token",
        "/api/v1/registration/trips",
        "/api/v1/registration/trips/{trip_id}",
        "/api/v1/registration/contact-points",
        "/api/v1/registration/contact-points/{contact_point_id}",
        "/api/v1/registration/contact-points/{contact_point_id}/code",
        "/api/v1/registration/contact-points/{contact_point_id}/verify",
        "/api/v1/answers/{token}",
    }
    assert "max-age=60" in response["Cache-Control"]
    assert api.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_docs_page_loads_its_scripts_from_this_site(api):
    response = api.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui-init.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_an_unexpected_error_is_json_too(api, published, monkeypatch):
    from warden.api.v1 import countries

    def broken():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(countries, "country_levels", broken)
    response = api.get("/api/v1/countries")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error. It has been logged."}
    assert "ETag" not in response
