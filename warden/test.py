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
def mallory(cast: dict[str, User]) -> User:
    return cast["mallory"]
