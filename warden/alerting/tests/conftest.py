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
    """A sender with its own event loop; transports are rebuilt for each test's settings."""
    registry.reset()
    sending = Sender()
    yield sending
    sending.close()
