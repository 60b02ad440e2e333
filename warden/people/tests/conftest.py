from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.utils import translation


@pytest.fixture
def dave(cast: dict[str, User]) -> User:
    """The consular officer of the cast."""
    return cast["dave"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English, whatever an earlier request activated."""
    with translation.override("en"):
        yield
