"""Fixtures of the missions tests: Turkey with its advisory, the two posts, their people."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from warden.missions import services
from warden.missions.models import Post, StaffMember
from warden.people.models import Person
from warden.people.services import PersonDetails, contact_point_add, person_create
from warden.test import publish

ANKARA = (39.9199, 32.8543)
ISTANBUL = (41.0138, 28.9497)


@pytest.fixture
def level(cast: dict[str, User], authority: Any, turkey: Any) -> Callable[[int], Any]:
    """``level(4)``: publish an edition for Turkey at that level (alice writes, bob approves)."""

    def publish_level(number: int) -> Any:
        return publish(turkey, number, author=cast["alice"], approver=cast["bob"])

    return publish_level


def _post(name: str, point: tuple[float, float], kind: str, city: str) -> Post:
    return services.post_create(
        acting_user=None,
        details=services.PostDetails(
            name=name, kind=kind, country="TR", city=city, latitude=point[0], longitude=point[1]
        ),
    )


@pytest.fixture
def ankara(turkey: Any) -> Post:
    return _post("Embassy in Ankara", ANKARA, Post.Kind.EMBASSY, "Ankara")


@pytest.fixture
def istanbul(turkey: Any) -> Post:
    return _post("Consulate General in Istanbul", ISTANBUL, Post.Kind.CONSULATE_GENERAL, "Istanbul")


def person(given: str, kind: str = Person.Kind.EMPLOYEE) -> Person:
    found = person_create(acting_user=None, details=PersonDetails(given, "Tester", "en", kind))
    contact_point_add(
        acting_user=None,
        person=found,
        channel="email",
        value=f"{given.lower()}@example.org",
        verified_by="synthetic",
    )
    return found


def add(post: Post, given: str, category: str, **details: Any) -> StaffMember:
    kind = Person.Kind.FAMILY_MEMBER if category == "family_member" else Person.Kind.EMPLOYEE
    return services.staff_add(
        acting_user=None,
        post=post,
        person=person(f"{given}{post.pk}", kind),
        details=services.StaffDetails(category=category, **details),
    )


@pytest.fixture
def staff(ankara: Post) -> dict[str, StaffMember]:
    """Ankara's people: a head of mission (emergency), a non-emergency officer with a
    spouse, and a locally employed receptionist."""
    head = add(ankara, "Hana", "employee", is_emergency=True, is_head_of_mission=True,
               on_committee=True)  # fmt: skip
    officer = add(ankara, "Omer", "employee", role_title="Political officer")
    spouse = add(ankara, "Sara", "family_member", family_of=officer)
    local = add(ankara, "Leyla", "locally_employed")
    return {"head": head, "officer": officer, "spouse": spouse, "local": local}


def order_details(**overrides: Any) -> services.DecisionDetails:
    values: dict[str, Any] = {
        "reasons": "Threats against the mission.",
        "scope": "non_emergency",
        "deadline": timezone.now() + timedelta(days=2),
        "safe_haven": "Athens",
        "is_temporary": True,
        "review_date": timezone.now().date() + timedelta(days=30),
    }
    values.update(overrides)
    return services.DecisionDetails(**values)
