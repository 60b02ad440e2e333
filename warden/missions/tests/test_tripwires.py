"""Tripwires: the level rule, the incident rule (through the incident interface and, where
the incidents app has its table, through real incidents), manual pulls; each hit recorded
once with its evidence, the post moved to watch and its committee messaged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from warden.alerting.models import Message
from warden.missions import services
from warden.missions.incidents import IncidentPoint, incidents_near
from warden.missions.models import Tripwire, TripwireHit
from warden.missions.tests.conftest import ANKARA

pytestmark = pytest.mark.django_db

NOW = datetime(2023, 10, 18, 14, 0, tzinfo=UTC)


def level_rule(post, user, threshold=3):
    return services.tripwire_create(
        acting_user=user, post=post, kind="level", name="Level 3+", level=threshold
    )


def incident_rule(post, user, **overrides):
    values: dict[str, Any] = {"event_type": "riots", "radius_km": 25.0, "hours": 48}
    values.update(overrides)
    return services.tripwire_create(
        acting_user=user, post=post, kind="incident", name="Riots nearby", **values
    )


def source_of(*points):
    def source(since, until, lat, lon, radius_km):
        return list(points)

    return source


def riot(pk, *, km_north=5.0, hours_ago=3, kind="riots"):
    return IncidentPoint(kind, NOW - timedelta(hours=hours_ago), ANKARA[0] + km_north / 111.2,
                         ANKARA[1], pk)  # fmt: skip


def test_the_level_rule_fires_once_moves_to_watch_and_tells_the_committee(
    erin, ankara, staff, level, django_capture_on_commit_callbacks
):
    level_rule(ankara, erin)
    level(2)
    assert services.tripwires_evaluate() == []

    with django_capture_on_commit_callbacks(execute=True):
        edition = level(4)  # the publication signal evaluates the level rules after commit

    hit = TripwireHit.objects.get()
    assert hit.evidence == {"rule": "level", "country": "TR", "edition": edition.pk,
                            "number": edition.number, "level": 4, "threshold": 3}  # fmt: skip
    ankara.refresh_from_db()
    assert ankara.status == "watch"
    assert hit.decision == ankara.current_decision
    assert hit.decision is not None
    assert hit.decision.requested_by is None and hit.decision.reasons == "Tripwire: Level 3+"
    message = Message.objects.get(reference=f"missions.tripwire_hit:{hit.pk}")
    assert message.people == [staff["head"].person_id]  # the committee: only the head here
    assert message.texts["en"]["title"] == "Tripwire at Embassy in Ankara: Level 3+"
    assert services.tripwires_evaluate() == []  # the same edition is not a new hit


def test_a_hit_leaves_a_post_above_watch_where_it_is(erin, bob, ankara, level):
    level(4)
    services.decision_approve(
        acting_user=bob,
        decision=services.decision_request(
            acting_user=erin, post=ankara, to_status="suspended",
            details=services.DecisionDetails("Closing.", alternate_post=_other_post(ankara)),
        ),
    )  # fmt: skip
    level_rule(ankara, erin)

    [hit] = services.tripwires_evaluate()

    ankara.refresh_from_db()
    assert (ankara.status, hit.decision) == ("suspended", None)


def _other_post(post):
    return services.post_create(
        acting_user=None,
        details=services.PostDetails("Office in Izmir", "office", "TR", "Izmir", 38.4, 27.1),
    )


@pytest.mark.parametrize(
    ("points", "fires"),
    [
        ((riot(1),), True),
        ((riot(1, km_north=40),), False),  # too far
        ((riot(1, hours_ago=60),), False),  # too long ago
        ((riot(1, kind="protests"),), False),  # another type
        ((riot(1, km_north=40), riot(2, km_north=20)), True),
    ],
)
def test_the_incident_rule(erin, ankara, points, fires):
    incident_rule(ankara, erin)
    hits = services.tripwires_evaluate(now=NOW, source=source_of(*points))
    assert bool(hits) is fires
    ankara.refresh_from_db()
    assert (ankara.status == "watch") is fires


def test_each_incident_counts_once_and_a_new_one_is_a_new_hit(erin, ankara):
    incident_rule(ankara, erin)
    [first] = services.tripwires_evaluate(now=NOW, source=source_of(riot(1)))
    assert services.tripwires_evaluate(now=NOW, source=source_of(riot(1))) == []

    [second] = services.tripwires_evaluate(now=NOW, source=source_of(riot(1), riot(2, km_north=10)))

    assert [i["id"] for i in first.evidence["incidents"]] == [1]
    assert second.evidence["incidents"] == [
        {"id": 2, "occurred_at": riot(2).occurred_at.isoformat(), "km": 10.0}
    ]
    assert second.decision is None  # the post was already at watch


def test_a_manual_tripwire_is_pulled_with_what_happened(erin, dave, ankara, staff):
    tripwire = services.tripwire_create(
        acting_user=erin, post=ankara, kind="manual", name="Host government warning"
    )
    with pytest.raises(ValidationError):
        services.tripwire_pull(acting_user=dave, tripwire=tripwire, note="  ")

    hit = services.tripwire_pull(acting_user=dave, tripwire=tripwire, note="Call from the MFA.")

    assert hit.evidence == {"rule": "manual", "note": "Call from the MFA.", "by": dave.pk}
    assert hit.reported_by == dave
    assert hit.decision is not None and hit.decision.to_status == "watch"


def test_tripwire_rules_are_checked_and_need_their_role(erin, dave, ankara):
    with pytest.raises(ValidationError) as refused:
        services.tripwire_create(
            acting_user=erin, post=ankara, kind="incident", name="x", event_type="",
            radius_km=0, hours=None,
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"event_type", "radius_km", "hours"}
    with pytest.raises(ValidationError, match="level from 1 to 4"):
        level_rule(ankara, erin, threshold=5)
    with pytest.raises(PermissionDenied):
        level_rule(ankara, dave)
    tripwire = level_rule(ankara, erin)
    services.tripwire_deactivate(acting_user=erin, tripwire=tripwire)
    assert Tripwire.objects.get().is_active is False


def _incident_table() -> bool:
    return "incidents_incident" in connection.introspection.table_names()


def test_the_incident_rule_reads_warden_incidents(erin, alice, ankara, turkey):
    if not _incident_table():
        pytest.skip("the incidents app has no migration yet")
    from warden.incidents.models import Incident

    def incident(**fields):
        values = {"title": "Riot", "event_type": "riots", "occurred_on": NOW.date(),
                  "country": turkey, "latitude": ANKARA[0] + 0.05, "longitude": ANKARA[1],
                  "created_by": alice}  # fmt: skip
        values.update(fields)
        return Incident.objects.create(**values)

    near = incident()
    incident(latitude=ANKARA[0] + 1)  # 111 km away
    incident(occurred_on=NOW.date() - timedelta(days=5))
    incident(verification="false")

    found = incidents_near(NOW - timedelta(hours=48), NOW + timedelta(hours=12), *ANKARA, 25)

    assert [p.id for p in found] == [near.pk]
