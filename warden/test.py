"""The shared test cast: named staff in each role, and an outsider with none.

- alice: analyst            - bob: approver           - carol: analyst *and* approver
- dave: consular officer    - erin: mission manager   - frank: administrator
- mallory: staff with no role (the outsider)
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from warden.accounts.roles import Role

PASSWORD = "correct horse battery staple"

CAST: dict[str, tuple[Role, ...]] = {
    "alice": (Role.ANALYST,),
    "bob": (Role.APPROVER,),
    "carol": (Role.ANALYST, Role.APPROVER),
    "dave": (Role.CONSULAR_OFFICER,),
    "erin": (Role.MISSION_MANAGER,),
    "frank": (Role.ADMINISTRATOR,),
    "mallory": (),
}


def make_staff(username: str, *roles: Role, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    for role in roles:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    return user


@pytest.fixture
def cast(db: None) -> dict[str, User]:
    return {name: make_staff(name, *roles) for name, roles in CAST.items()}


@pytest.fixture
def alice(cast: dict[str, User]) -> User:
    return cast["alice"]


@pytest.fixture
def bob(cast: dict[str, User]) -> User:
    return cast["bob"]


@pytest.fixture
def carol(cast: dict[str, User]) -> User:
    return cast["carol"]


@pytest.fixture
def dave(cast: dict[str, User]) -> User:
    """The consular officer."""
    return cast["dave"]


@pytest.fixture
def erin(cast: dict[str, User]) -> User:
    """The mission manager."""
    return cast["erin"]


@pytest.fixture
def frank(cast: dict[str, User]) -> User:
    """The administrator."""
    return cast["frank"]


@pytest.fixture
def mallory(cast: dict[str, User]) -> User:
    return cast["mallory"]


@pytest.fixture
def authority(cast: dict[str, User]) -> Any:
    from warden.advisories.services import authority_create

    return authority_create(
        acting_user=cast["frank"],
        slug="nsc",
        name="National Security Council (test)",
        sender="nsc.test",
        preset="israel-nsc",
        is_default=True,
    )


@pytest.fixture
def turkey(db: None) -> Any:
    from warden.geo.models import Country, Subdivision

    country, _ = Country.objects.get_or_create(
        code="TR",
        defaults={"alpha3": "TUR", "numeric": "792", "name": "Türkiye", "names": {"he": "טורקיה"}},
    )
    Subdivision.objects.get_or_create(
        code="TR-34", defaults={"country": country, "name": "İstanbul"}
    )
    return country


def content(level: int = 2, **overrides: Any) -> Any:
    """Complete edition content at ``level``, ready to submit."""
    from warden.advisories.services import EditionContent, TextContent

    values: dict[str, Any] = {
        "level": level,
        "reasons": ("T", "U") if level >= 2 else (),
        "texts": {
            "en": TextContent(f"Level {level} summary.", f"Level {level} full advice."),
            "he": TextContent(f"תקציר רמה {level}.", f"המלצה מלאה לרמה {level}."),
        },
        "change_note": f"Set to level {level}.",
    }
    values.update(overrides)
    return EditionContent(**values)


def publish(country: Any, level: int, *, author: User, approver: User, **overrides: Any) -> Any:
    """Draft, submit and publish an edition in one go."""
    from warden.advisories import services

    edition = services.edition_draft(
        acting_user=author, country=country, content=content(level, **overrides)
    )
    services.edition_submit(acting_user=author, edition=edition)
    return services.edition_publish(acting_user=approver, edition=edition)


def record_answers() -> int:
    """Record every answer waiting in the welfare inbox, as the worker would; returns how
    many were recorded."""
    from warden.welfare.services.inbox import answers_apply

    recorded = 0
    while applied := answers_apply():
        recorded += applied
    return recorded
