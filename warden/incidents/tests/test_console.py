"""The console pages: list and map with filters, detail, editor, review of a proposal."""

from __future__ import annotations

import json

import pytest

from warden.incidents import services
from warden.incidents.models import Incident, Proposal
from warden.incidents.services import ClaimContent, SourceContent
from warden.incidents.tests.helpers import ARTICLE, content

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(alice, posts):
    ankara = services.incident_create(acting_user=alice, content=content())
    gaza = services.incident_create(
        acting_user=alice,
        content=content(
            title="Blast at the Al-Ahli hospital",
            event_type="explosions",
            sub_event_type="",
            country="PS",
            city="Gaza",
            latitude=31.50,
            longitude=34.47,
            counts={"killed": (10, 100, 471)},
            verification="disputed",
        ),
    )
    return ankara, gaza


def test_the_list_filters_by_country_and_type(alice, staff_client, two):
    client = staff_client(alice)

    everything = client.get("/console/incidents/")
    gaza_only = client.get("/console/incidents/", {"country": "PS", "event_type": "explosions"})

    assert b"Blast at the Al-Ahli hospital" in everything.content
    assert b"Demonstration at the embassy in Ankara" in everything.content
    assert b"Demonstration at the embassy" not in gaza_only.content
    assert b"Blast at the Al-Ahli hospital" in gaza_only.content


def test_the_map_gets_one_point_per_place(alice, staff_client, two):
    response = staff_client(alice).get("/console/incidents/map/", {"verification": "disputed"})

    data = json.loads(response.context["map_json"])
    assert [(p["lat"], p["lon"], p["count"]) for p in data["points"]] == [(31.5, 34.47, 1)]
    assert b'src="/static/leaflet/leaflet.js"' in response.content


def test_the_detail_shows_competing_claims_and_the_history(alice, staff_client, two):
    _ankara, gaza = two
    for who, text in (
        ("the health ministry in Gaza", "An air strike."),
        ("the Israeli military", "A misfired rocket."),
    ):
        services.claim_add(
            acting_user=alice,
            incident=gaza,
            content=ClaimContent(claimant=who, content=text, subject="cause", cue="said"),
        )

    page = staff_client(alice).get(f"/console/incidents/{gaza.pk}/")

    groups = page.context["claim_groups"]
    assert [(subject, [c.claimant for c in claims]) for subject, claims in groups] == [
        ("cause", ["the health ministry in Gaza", "the Israeli military"])
    ]
    assert b"Edit history" in page.content and b"claim_add" in page.content


def test_the_editor_saves_through_the_service(alice, staff_client, two):
    ankara, _gaza = two
    client = staff_client(alice)
    form = client.get(f"/console/incidents/{ankara.pk}/edit/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"verification": "confirmed", "change_note": "Seen by the embassy."})

    response = client.post(f"/console/incidents/{ankara.pk}/edit/", data)

    assert response.status_code == 302
    ankara.refresh_from_db()
    assert ankara.verification == "confirmed"
    assert ankara.revisions.latest("number").note == "Seen by the embassy."


def test_the_editor_shows_a_count_out_of_order(alice, staff_client, two):
    ankara, _gaza = two
    client = staff_client(alice)
    form = client.get(f"/console/incidents/{ankara.pk}/edit/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"killed_low": "9", "killed_best": "3"})

    response = client.post(f"/console/incidents/{ankara.pk}/edit/", data)

    assert response.status_code == 200
    assert "killed_best" in response.context["form"].errors


def test_a_proposal_is_reviewed_with_its_spans_and_accepted(alice, staff_client, posts):
    client = staff_client(alice)
    added = client.post(
        "/console/incidents/intake/",
        {
            "add_text": "1",
            "text": ARTICLE,
            "outlet": "Example Wire",
            "reliability": "B",
            "published_at": "2023-10-18T07:00",
        },
    )
    proposal = Proposal.objects.get()
    assert added["Location"].endswith(f"/console/incidents/intake/{proposal.pk}/")

    page = client.get(f"/console/incidents/intake/{proposal.pk}/")
    marked = [(s.text, s.mark) for s in page.context["segments"] if s.mark]
    assert ("Ankara", "place") in marked and ("embassy", "place") in marked
    form = page.context["form"]
    assert form.initial["country"] == "TR" and form.initial["occurred_on"] == "2023-10-17"

    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update({"accept": "1", "claim": ["0"]})
    accepted = client.post(f"/console/incidents/intake/{proposal.pk}/", data)

    incident = Incident.objects.get()
    assert accepted["Location"].endswith(f"/console/incidents/{incident.pk}/")
    assert incident.claims.count() == 1 and incident.sources.count() == 1


def test_a_duplicate_text_is_not_proposed_again(alice, staff_client):
    services.source_add_text(acting_user=alice, content=SourceContent(text=ARTICLE))
    response = staff_client(alice).post(
        "/console/incidents/intake/", {"add_text": "1", "text": ARTICLE, "reliability": "F"}
    )

    assert response.status_code == 302
    assert Proposal.objects.count() == 1


def test_a_merge_from_the_console(alice, staff_client, two):
    ankara, gaza = two
    response = staff_client(alice).post(f"/console/incidents/{gaza.pk}/merge/", {"into": ankara.pk})

    assert response["Location"].endswith(f"/console/incidents/{ankara.pk}/")
    gaza.refresh_from_db()
    assert gaza.merged_into == ankara
