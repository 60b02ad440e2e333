"""Console pages of welfare (permissions, live counts, opening a round, officers' entries)
and the API answer endpoint."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from warden.alerting.links import answer_token
from warden.alerting.models import Delivery, Message
from warden.alerting.tests.helpers import expand_all
from warden.test import record_answers
from warden.testing.staff import verified_client
from warden.welfare.models import CheckInRound, RoundMember, WelfareEvent
from warden.welfare.scope import scope_set
from warden.welfare.services import answer_record, round_open
from warden.welfare.tests.helpers import ANKARA, details, in_city, present

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkin(turkey, dave):
    dana = in_city("Dana", email="dana@example.org")
    in_city("Eli", ANKARA, email="eli@example.org")
    present("Nur", email="nur@example.org")
    opened = round_open(acting_user=dave, details=details(), area=turkey)
    answer_record(person=dana, status="needs_help", channel="link")
    return opened


@pytest.mark.parametrize(("who", "status"), [
    ("dave", 200), ("erin", 200), ("bob", 200), ("frank", 200), ("alice", 403), ("mallory", 403),
])  # fmt: skip
def test_who_sees_the_dashboard(checkin, cast, who, status):
    client = verified_client(cast[who])
    assert client.get(f"/console/welfare/rounds/{checkin.pk}/").status_code == status
    assert client.get(f"/console/welfare/rounds/{checkin.pk}/live/").status_code == status
    assert client.get("/console/welfare/").status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(checkin):
    response = Client().get(f"/console/welfare/rounds/{checkin.pk}/live/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_live_counts_by_area_city_and_over_time(checkin, dave):
    data = verified_client(dave).get(f"/console/welfare/rounds/{checkin.pk}/live/").json()
    assert data["counts"] == {
        "audience": 3, "reached": 0, "safe": 0, "needs_help": 1, "left": 0, "other": 0,
        "no_answer": 2, "answered": 1,
    }  # fmt: skip
    cities = {c["name"]: c for c in data["cities"]}
    assert set(cities) == {"Istanbul", "Ankara"}
    assert (cities["Istanbul"]["audience"], cities["Istanbul"]["needs_help"]) == (1, 1)
    assert set(cities["Istanbul"]) == {
        "name", "lat", "lon", "audience", "reached", "safe", "needs_help", "left", "other",
        "no_answer", "answered",
    }  # fmt: skip
    assert data["series"]["unit"] == "minute"
    assert [p["needs_help"] for p in data["series"]["points"]] == [1]
    assert data["open_cases"] == 1
    areas = {a["code"]: a["audience"] for a in data["areas"]}
    assert areas == {"": 3}


def test_the_dashboard_page_loads_its_script_without_inline_code(checkin, dave):
    page = verified_client(dave).get(f"/console/welfare/rounds/{checkin.pk}/").content.decode()
    assert "welfare/js/dashboard.js" in page and "leaflet/leaflet.js" in page
    assert "<script>" not in page and 'style="' not in page
    assert f'data-url="/console/welfare/rounds/{checkin.pk}/live/"' in page
    assert 'href="/console/welfare/"' in page  # the nav link


def test_an_officer_opens_a_round_from_the_console(turkey, dave):
    present("Dana")
    client = verified_client(dave)
    form = client.get("/console/welfare/rounds/new/")
    assert form.status_code == 200 and "Are you safe?" in form.content.decode()
    response = client.post(
        "/console/welfare/rounds/new/",
        {
            "country": "TR",
            "area": "",
            "title": "Istanbul check",
            "question_title_en": "Are you safe?",
            "question_body_en": "Tell us.",
            "answer_options": ["safe", "needs_help", "left"],
            "deadline_hours": "12",
            "reminders": "60, 120",
            "cascade_minutes": "30",
        },
    )
    checkin = CheckInRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/welfare/rounds/{checkin.pk}/"
    assert checkin.reminder_minutes == [60, 120] and checkin.cascade_minutes == 30
    assert checkin.opened_by == dave and checkin.members.count() == 1


def test_an_analyst_cannot_open_a_round(turkey, alice):
    assert verified_client(alice).get("/console/welfare/rounds/new/").status_code == 403


def test_an_officer_records_an_answer_reached_by_phone(checkin, dave):
    nur = RoundMember.objects.get(round=checkin, city_name="").person
    client = verified_client(dave)
    found = client.get(
        "/console/welfare/people/find/", {"channel": "email", "value": "nur@example.org"}
    )
    assert f"/console/welfare/people/{nur.pk}/answer/" in found.content.decode()
    response = client.post(
        f"/console/welfare/people/{nur.pk}/answer/",
        {"status": "safe", "note": "Reached by phone", "place": "Antalya"},
    )
    assert response.status_code == 302
    event = WelfareEvent.objects.get(person=nur)
    assert (event.channel, event.author, event.note, event.place) == (
        "officer",
        dave,
        "Reached by phone",
        "Antalya",
    )
    assert RoundMember.objects.get(round=checkin, person=nur).status == "safe"


def test_a_scoped_officer_sees_only_their_countries_rounds(checkin, cast, frank):
    dave = cast["dave"]
    scope_set(acting_user=frank, user=dave, countries=["FR"])
    client = verified_client(dave)
    assert client.get(f"/console/welfare/rounds/{checkin.pk}/live/").status_code == 404
    assert (
        f"/console/welfare/rounds/{checkin.pk}/"
        not in client.get("/console/welfare/").content.decode()
    )


# --- API --------------------------------------------------------------------------------


def _delivery(turkey, dave) -> Delivery:
    present("Dana", email="dana@example.org")
    round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    return Delivery.objects.get()


def test_the_api_records_an_answer_with_the_links_token(turkey, dave):
    delivery = _delivery(turkey, dave)
    response = Client().post(
        f"/api/v1/answers/{answer_token(delivery.pk)}",
        json.dumps({"answer": "left", "left_to": "gr", "note": "By ferry"}),
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "left"
    assert not WelfareEvent.objects.exists()  # taken, not yet recorded
    assert record_answers() == 1
    event = WelfareEvent.objects.get()
    assert (event.channel, event.left_to_id, event.note) == ("api", "GR", "By ferry")
    delivery.refresh_from_db()
    assert delivery.answered_at is not None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"answer": "maybe"}, 422),
        ({"answer": "safe", "left_to": "GR"}, 422),
        ({"answer": "left", "left_to": "XX"}, 422),
    ],
)
def test_the_api_refuses_bad_answers(turkey, dave, body, status):
    delivery = _delivery(turkey, dave)
    response = Client().post(
        f"/api/v1/answers/{answer_token(delivery.pk)}",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == status
    assert not WelfareEvent.objects.exists()


def test_the_api_refuses_bad_expired_and_cancelled_tokens(turkey, dave, settings):
    delivery = _delivery(turkey, dave)
    body = json.dumps({"answer": "safe"})
    bad = Client().post("/api/v1/answers/nonsense", body, content_type="application/json")
    assert bad.status_code == 404 and bad.json()["detail"]
    token = answer_token(delivery.pk)
    settings.WARDEN_ANSWER_LINK_DAYS = 0
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + timedelta(days=1)
        patch.setattr("django.core.signing.time.time", lambda: later.timestamp())
        expired = Client().post(f"/api/v1/answers/{token}", body, content_type="application/json")
    assert expired.status_code == 410
    settings.WARDEN_ANSWER_LINK_DAYS = 14
    Message.objects.update(state=Message.State.CANCELLED)
    cancelled = Client().post(f"/api/v1/answers/{token}", body, content_type="application/json")
    assert cancelled.status_code == 410
    assert not WelfareEvent.objects.exists()
