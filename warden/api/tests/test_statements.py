from __future__ import annotations

import pytest

from warden.api.tests.conftest import publish_statement

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def syria(authority, alice, bob):
    return publish_statement(author=alice, approver=bob, countries=("SY", "TR"))


def test_it_lists_published_statements_newest_first(api, published, syria):
    response = api.get("/api/v1/statements")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest = body["items"][0]
    assert newest == {
        "id": syria.pk,
        "title": "Leave Türkiye",
        "text": "Citizens in Türkiye should leave as soon as possible.",
        "language": "en",
        "fallback": False,
        "countries": ["SY", "TR"],
        "issued_at": newest["issued_at"],
        "published_at": newest["published_at"],
        "url": f"{SITE}/api/v1/statements/{syria.pk}",
    }


def test_it_filters_by_country(api, published, syria):
    assert [s["id"] for s in api.get("/api/v1/statements", {"country": "sy"}).json()["items"]] == [
        syria.pk
    ]
    assert api.get("/api/v1/statements", {"country": "TR"}).json()["count"] == 2
    assert api.get("/api/v1/statements", {"country": "FR"}).json()["count"] == 0
    bad = api.get("/api/v1/statements", {"country": "France"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "country"]


def test_it_pages(api, published, syria):
    body = api.get("/api/v1/statements", {"page_size": 1}).json()
    assert [s["id"] for s in body["items"]] == [syria.pk]
    assert body["next"] == f"{SITE}/api/v1/statements?page_size=1&page=2"


def test_one_statement_in_hebrew(api, syria):
    response = api.get(f"/api/v1/statements/{syria.pk}", {"lang": "he"})
    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["language"], body["fallback"]) == ("לצאת מטורקיה", "he", False)


def test_unknown_and_malformed_ids(api, syria):
    missing = api.get(f"/api/v1/statements/{syria.pk + 100}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"No statement with id {syria.pk + 100}."}
    for bad in ("abc", "0", str(2**64)):
        response = api.get(f"/api/v1/statements/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["loc"] == ["path", "statement_id"]


def test_exercise_and_withdrawn_statements_never_appear(api, published, alice, bob, carol):
    from warden.advisories import services

    drill = publish_statement(author=alice, approver=bob, countries=("TR",), exercise=True)
    withdrawn = publish_statement(author=alice, approver=bob, countries=("TR",))
    services.statement_withdraw(acting_user=carol, statement=withdrawn, reason="Issued in error.")
    listed = api.get("/api/v1/statements").json()
    assert listed["count"] == 1
    assert drill.pk not in {s["id"] for s in listed["items"]}
    for hidden in (drill, withdrawn):
        assert api.get(f"/api/v1/statements/{hidden.pk}").status_code == 404
    detail = api.get("/api/v1/countries/TR").json()
    assert len(detail["statements"]) == 1
