"""The registration API: link, token, my registration, trips, contact points, delete."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing
from django.test import Client, TestCase

from warden.audit.models import AuditEvent
from warden.people.models import ContactPoint, Person, PhoneCode, SignInLink, Trip

pytestmark = pytest.mark.django_db

EMAIL = "noa.cohen@example.org"
BASE = "/api/v1/registration"


def post(client: Client, path: str, data: object, token: str = ""):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(path, data, content_type="application/json", headers=headers)


def link_token(client: Client, email: str = EMAIL) -> str:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = post(client, f"{BASE}/link", {"email": email})
    assert response.status_code == 202
    url = re.search(r"https?://\S+", str(mail.outbox[-1].body))
    assert url is not None
    return url.group(0).rstrip("/").rsplit("/", 1)[1]


def bearer(client: Client, email: str = EMAIL) -> str:
    response = post(client, f"{BASE}/token", {"token": link_token(client, email)})
    assert response.status_code == 200
    return response.json()["access_token"]


def register(client: Client) -> tuple[str, dict]:
    token = bearer(client)
    response = client.put(
        BASE,
        {
            "given_name": "Noa", "family_name": "Cohen", "language": "en", "consent": True,
            "trips": [{"country": "TR", "city_geonameid": 745044, "arrival": "2030-05-01",
                       "departure": "2030-05-20"}],
            "contact_points": [{"channel": "sms", "value": "+972543211234"}],
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    return token, response.json()


def test_the_whole_flow(client):
    token, body = register(client)

    assert (body["given_name"], body["trips"][0]["city_name"]) == ("Noa", "Istanbul")
    assert [(c["channel"], c["state"]) for c in body["contact_points"]] == [
        ("email", "verified"),
        ("sms", "pending"),
    ]
    auth = {"Authorization": f"Bearer {token}"}
    mine = client.get(BASE, headers=auth)
    assert mine.status_code == 200 and mine.json()["id"] == body["id"]
    assert "no-store" in mine.headers["Cache-Control"]
    assert "private" in mine.headers["Cache-Control"]

    trip = post(client, f"{BASE}/trips", {"country": "GR", "arrival": "2030-06-01"}, token)
    assert trip.status_code == 201
    assert client.delete(f"{BASE}/trips/{trip.json()['id']}", headers=auth).status_code == 204
    point = post(
        client, f"{BASE}/contact-points", {"channel": "email", "value": "b@example.org"}, token
    )
    assert point.status_code == 201 and point.json()["state"] == "pending"
    deleted = client.delete(f"{BASE}/contact-points/{point.json()['id']}", headers=auth)
    assert deleted.status_code == 204

    renamed = client.put(
        BASE, {"given_name": "Noa", "family_name": "Levi", "language": "he"},
        content_type="application/json", headers=auth,
    )  # fmt: skip
    assert renamed.json()["family_name"] == "Levi"
    assert Person.objects.get().language == "he"


def test_the_same_answer_for_any_address(client):
    Person.objects.all().delete()
    known = post(client, f"{BASE}/link", {"email": EMAIL})
    unknown = post(client, f"{BASE}/link", {"email": "nobody@example.org"})
    not_one = post(client, f"{BASE}/link", {"email": "a@b"})
    assert known.status_code == unknown.status_code == not_one.status_code == 202
    assert known.json() == unknown.json() == not_one.json()


@pytest.mark.parametrize("space", ["\u0085", "\ufeff", "\u00a0", " "])
def test_an_address_with_a_space_is_refused_as_the_schema_says(client, space):
    """The schema's readers (ECMAScript) and its validator (Rust) mean different spaces by
    ``\\s``; the pattern names the two they disagree on, so both refuse all four."""
    response = post(client, f"{BASE}/link", {"email": f"noa{space}cohen@example.org"})
    assert response.status_code == 422
    pattern = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["LinkIn"][
        "properties"
    ]["email"]["pattern"]
    assert "\\u0085" in pattern and "\\ufeff" in pattern


def test_a_link_token_is_exchanged_once(client):
    token = link_token(client)
    assert post(client, f"{BASE}/token", {"token": token}).status_code == 200
    assert post(client, f"{BASE}/token", {"token": token}).status_code == 401
    assert post(client, f"{BASE}/token", {"token": token + "x"}).status_code == 401


def test_operations_need_a_valid_bearer_token(client):
    _token, _body = register(client)
    forged = signing.TimestampSigner(salt="other").sign_object({"p": 1})
    for auth in ({}, {"Authorization": f"Bearer {forged}"}, {"Authorization": "Bearer x"}):
        assert client.get(BASE, headers=auth).status_code == 401
        assert client.delete(BASE, headers=auth).status_code == 401
    assert Person.objects.exists()


def test_an_expired_bearer_token_is_refused(client, settings):
    token, _body = register(client)
    settings.WARDEN_API_TOKEN_MINUTES = -1
    assert client.get(BASE, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_consent_and_valid_fields_are_required(client):
    token = bearer(client)
    auth = {"Authorization": f"Bearer {token}"}
    no_consent = client.put(BASE, {"given_name": "Noa"}, content_type="application/json",
                            headers=auth)  # fmt: skip
    bad_trip = client.put(
        BASE,
        {"given_name": "Noa", "consent": True,
         "trips": [{"country": "XX", "arrival": "2030-05-01"}]},
        content_type="application/json", headers=auth,
    )  # fmt: skip

    assert no_consent.status_code == 422
    assert no_consent.json()["errors"][0]["loc"] == ["body", "consent"]
    assert bad_trip.status_code == 422
    assert "country" in {e["loc"][1] for e in bad_trip.json()["errors"]}
    assert not Person.objects.exists()
    assert client.get(BASE, headers=auth).status_code == 404


def test_delete_my_data(client):
    token, _body = register(client)

    response = client.delete(BASE, headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 204
    assert not Person.objects.exists() and not Trip.objects.exists()
    assert not ContactPoint.objects.exists() and not SignInLink.objects.exists()
    event = AuditEvent.objects.get(action="people.person.delete")
    assert "Noa" not in f"{event.before} {event.after} {event.object_repr}"
    assert client.get(BASE, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_phone_is_verified_with_the_code_it_was_sent(client):
    token, body = register(client)
    phone = next(c for c in body["contact_points"] if c["channel"] == "sms")
    code = PhoneCode.objects.get(contact_point_id=phone["id"]).code  # asked for on creation
    verify = f"{BASE}/contact-points/{phone['id']}/verify"

    wrong = post(client, verify, {"code": f"{(int(code) + 1) % 10**6:06d}"}, token)
    right = post(client, verify, {"code": code}, token)

    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "code"]
    assert "not the one we sent" in wrong.json()["detail"]
    assert right.status_code == 200 and right.json()["state"] == "verified"
    assert ContactPoint.objects.get(pk=phone["id"]).verification_method == "code"


def test_a_new_code_is_sent_on_request_a_few_times_an_hour(client):
    token, body = register(client)  # the first code
    phone = next(c for c in body["contact_points"] if c["channel"] == "sms")
    email = next(c for c in body["contact_points"] if c["channel"] == "email")
    url = f"{BASE}/contact-points/{phone['id']}/code"

    answers = [post(client, url, {}, token) for _ in range(3)]

    assert [a.status_code for a in answers] == [202, 202, 429]
    assert "expires_at" in answers[0].json()
    assert "Too many codes" in answers[2].json()["detail"]
    assert post(client, f"{BASE}/contact-points/{email['id']}/code", {}, token).status_code == 422
    assert post(client, f"{BASE}/contact-points/999999/code", {}, token).status_code == 404
    assert client.post(url).status_code == 401


def test_an_added_messaging_address_gets_a_code(client):
    token, _body = register(client)
    added = post(
        client,
        f"{BASE}/contact-points",
        {"channel": "messaging", "value": "tgram://123456:abcdef/987654"},
        token,
    )
    assert added.status_code == 201 and added.json()["state"] == "pending"
    assert PhoneCode.objects.filter(contact_point_id=added.json()["id"]).exists()


def test_a_second_email_given_on_registering_is_sent_its_link(client):
    token = bearer(client)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.put(
            BASE,
            {"given_name": "Noa", "consent": True,
             "contact_points": [{"channel": "email", "value": "work@example.org"}]},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )  # fmt: skip
    assert response.status_code == 200, response.content
    [sent] = [m for m in mail.outbox if m.to == ["work@example.org"]]
    assert "/verify/" in str(sent.body)
    assert not PhoneCode.objects.exists()
