"""Fixtures of the welfare tests: English, the consular officer and others of the cast, and a
sender for the sandbox channels."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from warden.alerting.sender import Sender
from warden.alerting.transports import registry


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def sender() -> Iterator[Sender]:
    registry.reset()
    sending = Sender()
    yield sending
    sending.close()
