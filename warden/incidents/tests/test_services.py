"""The incident services: rules, edit history, competing claims, merge, links, intake."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from warden.audit.models import AuditEvent
from warden.incidents import services
from warden.incidents.models import Claim, Incident, IncidentRevision, Proposal, Source
from warden.incidents.services import ClaimContent, SourceContent
from warden.incidents.tests.helpers import ARTICLE, content

pytestmark = pytest.mark.django_db


def test_it_creates_an_incident_with_its_history_and_audit_event(alice, posts):
    incident = services.incident_create(acting_user=alice, content=content())

    assert incident.nearest_post == posts["embassy"]
    assert incident.nearest_post_km is not None and incident.nearest_post_km < 2
    assert (incident.crowd_low, incident.crowd_best, incident.crowd_high) == (3000, 5000, 10000)
    revision = incident.revisions.get()
    assert (revision.number, revision.action, revision.before) == (1, "create", None)
    event = AuditEvent.objects.get(action="incidents.incident.create")
    assert event.object_id == str(incident.pk)
    assert (event.after or {})["city"] == "Ankara"


def test_an_update_appends_a_revision_with_before_and_after(alice):
    incident = services.incident_create(acting_user=alice, content=content())
    services.incident_update(
        acting_user=alice,
        incident=incident,
        content=content(verification="confirmed"),
        note="Two reliable sources.",
    )

    latest = incident.revisions.order_by("-number").first()
    assert latest is not None and latest.number == 2
    assert latest.changes() == [("verification", "unverified", "confirmed")]
    assert latest.note == "Two reliable sources."
    event = AuditEvent.objects.get(action="incidents.incident.update")
    before, after = event.before or {}, event.after or {}
    assert (before["verification"], after["verification"]) == (
        "unverified",
        "confirmed",
    )


def test_an_update_that_changes_nothing_writes_no_revision(alice):
    incident = services.incident_create(acting_user=alice, content=content())
    services.incident_update(acting_user=alice, incident=incident, content=content())

    assert incident.revisions.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"counts": {"killed": (10, 5, 20)}}, "killed_best"),
        ({"sub_event_type": "air_drone_strike"}, "sub_event_type"),
        ({"country": "XX"}, "country"),
        ({"latitude": 10.0, "longitude": None}, "latitude"),
        ({"title": " "}, "title"),
    ],
)
def test_it_refuses_inconsistent_content(alice, overrides, field):
    with pytest.raises(ValidationError) as refused:
        services.incident_create(acting_user=alice, content=content(**overrides))

    assert field in refused.value.message_dict
    assert not Incident.objects.exists()


def test_competing_claims_stand_side_by_side(alice):
    incident = services.incident_create(acting_user=alice, content=content())
    for claimant, text in (("police", "3,000 took part."), ("organisers", "10,000 took part.")):
        services.claim_add(
            acting_user=alice,
            incident=incident,
            content=ClaimContent(
                claimant=claimant,
                content=text,
                cue="said",
                subject="crowd",
                relay_chain=(claimant, "AFP", "Example Wire"),
                credibility=3,
            ),
        )

    claims = list(incident.claims.order_by("id"))
    assert [c.claimant for c in claims] == ["police", "organisers"]
    assert {c.subject for c in claims} == {"crowd"}
    assert claims[0].chain_text == "police → AFP → Example Wire"


def test_grading_a_claim_keeps_its_text(alice):
    incident = services.incident_create(acting_user=alice, content=content())
    claim = services.claim_add(
        acting_user=alice,
        incident=incident,
        content=ClaimContent(claimant="police", content="3,000."),
    )
    services.claim_grade(acting_user=alice, claim=claim, credibility=2, subject="crowd")

    claim.refresh_from_db()
    assert (claim.credibility, claim.subject, claim.content) == (2, "crowd", "3,000.")
    event = AuditEvent.objects.get(action="incidents.claim.grade")
    before, after = event.before or {}, event.after or {}
    assert (before["credibility"], after["credibility"]) == (None, 2)
    with pytest.raises(ValidationError):
        services.claim_grade(acting_user=alice, claim=claim, credibility=7)


def test_merging_moves_claims_and_sources_and_keeps_the_duplicate(alice):
    keep = services.incident_create(acting_user=alice, content=content())
    intake = services.source_add_text(acting_user=alice, content=SourceContent(text=ARTICLE))
    duplicate = services.incident_create(
        acting_user=alice, content=content(title="Ankara protest"), sources=(intake.source,)
    )
    services.claim_add(
        acting_user=alice,
        incident=duplicate,
        content=ClaimContent(claimant="police", content="12 detained."),
    )

    services.incident_merge(acting_user=alice, duplicate=duplicate, into=keep)

    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert list(keep.sources.all()) == [intake.source]
    assert keep.claims.get().claimant == "police"
    assert keep.revisions.latest("number").action == "merge"
    with pytest.raises(ValidationError):
        services.incident_update(acting_user=alice, incident=duplicate, content=content())


def test_a_link_names_exactly_one_edition_statement_or_decision(alice):
    incident = services.incident_create(acting_user=alice, content=content())
    link = services.incident_link(acting_user=alice, incident=incident, reference="drawdown:7")

    assert link.target_label == "drawdown:7"
    with pytest.raises(ValidationError):
        services.incident_link(acting_user=alice, incident=incident)
    again = services.incident_link(acting_user=alice, incident=incident, reference="drawdown:7")
    assert again.pk == link.pk


def test_a_link_to_an_edition_is_found_from_the_edition(alice, bob, authority, turkey):
    from warden.incidents.selectors import citing
    from warden.test import publish

    edition = publish(turkey, 2, author=alice, approver=bob)
    incident = services.incident_create(acting_user=alice, content=content())
    services.incident_link(acting_user=alice, incident=incident, edition=edition)

    assert list(citing(edition_id=edition.pk)) == [incident]
    assert edition.incident_links.get().incident == incident


def test_a_pasted_text_becomes_a_pending_proposal_with_spans(alice, posts):
    intake = services.source_add_text(
        acting_user=alice,
        content=SourceContent(
            text=ARTICLE,
            outlet="Example Wire",
            published_at=datetime(2023, 10, 18, 4, 0, tzinfo=UTC),
        ),
    )

    proposal = intake.proposal
    assert proposal is not None and proposal.status == Proposal.Status.PENDING
    keys = [p["key"] for p in proposal.data["places"]]
    assert keys == ["post:TR:ankara:embassy", "TR:ankara"]
    assert proposal.data["date"]["value"] == "2023-10-17"
    assert not Incident.objects.exists()  # nothing is published before review


def test_the_same_text_or_address_is_not_taken_twice(alice):
    first = services.source_add_text(
        acting_user=alice, content=SourceContent(text=ARTICLE, url="https://news.example.org/a")
    )
    same_text = services.source_add_text(
        acting_user=alice, content=SourceContent(text="  " + ARTICLE.upper() + "\n")
    )
    same_url = services.source_add_text(
        acting_user=alice,
        content=SourceContent(text="Another text.", url="https://news.example.org/a"),
    )

    assert (same_text.duplicate, same_url.duplicate) == (True, True)
    assert same_text.source == first.source == same_url.source
    assert Source.objects.count() == 1 and Proposal.objects.count() == 1


def test_accepting_a_proposal_creates_the_incident_with_the_chosen_claims(alice, posts):
    intake = services.source_add_text(acting_user=alice, content=SourceContent(text=ARTICLE))
    assert intake.proposal is not None
    found = intake.proposal.data["claims"]
    chosen = (
        ClaimContent(
            claimant=found[0]["claimant"], content=found[0]["content"], cue=found[0]["cue"]
        ),
    )

    incident = services.proposal_accept(
        acting_user=alice, proposal=intake.proposal, content=content(), claims=chosen
    )

    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.incident, proposal.decided_by) == (
        "accepted",
        incident,
        alice,
    )
    assert list(incident.sources.all()) == [intake.source]
    assert incident.claims.get().source == intake.source
    with pytest.raises(ValidationError):
        services.proposal_accept(acting_user=alice, proposal=proposal, content=content())


def test_accepting_into_an_existing_incident_adds_the_source(alice):
    existing = services.incident_create(acting_user=alice, content=content())
    intake = services.source_add_text(acting_user=alice, content=SourceContent(text=ARTICLE))
    assert intake.proposal is not None

    services.proposal_accept(
        acting_user=alice, proposal=intake.proposal, content=None, into=existing
    )

    assert list(existing.sources.all()) == [intake.source]
    assert Incident.objects.count() == 1


def test_rejecting_a_proposal_records_the_reason(alice):
    intake = services.source_add_text(acting_user=alice, content=SourceContent(text=ARTICLE))
    assert intake.proposal is not None

    services.proposal_reject(acting_user=alice, proposal=intake.proposal, reason="Old news.")

    proposal = Proposal.objects.get()
    assert (proposal.status, proposal.decision_note) == ("rejected", "Old news.")
    assert AuditEvent.objects.filter(action="incidents.proposal.reject").count() == 1


def test_revisions_are_numbered_per_incident(alice):
    first = services.incident_create(acting_user=alice, content=content())
    second = services.incident_create(acting_user=alice, content=content(title="Other"))
    services.claim_add(
        acting_user=alice, incident=first, content=ClaimContent(claimant="police", content="Calm.")
    )

    assert list(first.revisions.values_list("number", flat=True).order_by("number")) == [1, 2]
    assert second.revisions.get().number == 1
    assert IncidentRevision.objects.count() == 3
    assert Claim.objects.count() == 1
