"""The demo incidents: the Tuesday-night demonstrations and the disputed hospital blast."""

from __future__ import annotations

import pytest

from warden.incidents.demo import load_demo_incidents
from warden.incidents.models import Proposal

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_incidents_with_competing_claims(alice, posts):
    loaded = load_demo_incidents(analyst=alice)

    ankara, istanbul, hospital = loaded.incidents
    assert ankara.nearest_post == posts["embassy"]
    assert ankara.nearest_post_km is not None and ankara.nearest_post_km < 5
    assert istanbul.nearest_post == posts["consulate"]
    assert str(ankara.occurred_on) == str(istanbul.occurred_on) == "2023-10-17"
    assert hospital.verification == "disputed" and hospital.country_id == "PS"
    causes = hospital.claims.filter(subject="cause")
    assert causes.values("claimant").distinct().count() >= 3
    assert hospital.sources.count() == 1
    assert loaded.proposals == 4
    assert Proposal.objects.filter(status="pending").count() == 4
