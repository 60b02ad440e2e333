"""Fuzz every operation of the published schema: no server errors, every answer conforms.

Schemathesis loads the schema the way a client does (``GET /api/v1/openapi.json``) and calls
the WSGI application in-process, so each request sees the test's database transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.result import Ok

from warden.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

OPERATIONS = {
    "GET /api/v1/countries",
    "GET /api/v1/countries/{iso2}",
    "GET /api/v1/countries/{iso2}/history",
    "GET /api/v1/statements",
    "GET /api/v1/statements/{statement_id}",
    "POST /api/v1/registration/link",
    "POST /api/v1/registration/token",
    "GET /api/v1/registration",
    "PUT /api/v1/registration",
    "DELETE /api/v1/registration",
    "POST /api/v1/registration/trips",
    "DELETE /api/v1/registration/trips/{trip_id}",
    "POST /api/v1/registration/contact-points",
    "DELETE /api/v1/registration/contact-points/{contact_point_id}",
    "POST /api/v1/registration/contact-points/{contact_point_id}/code",
    "POST /api/v1/registration/contact-points/{contact_point_id}/verify",
    "POST /api/v1/answers/{token}",
}
# Answers that show a request got past validation to the handler. The registration
# operations are fuzzed without a bearer token: 401 is theirs; the link request answers 202
# (or 429 once fuzzing exhausts the rate limit); a random link token is refused with 401.
REACHED = {200, 404}
REACHED_REGISTRATION = {202, 429, 401}


def test_every_operation_is_fuzzed():
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    assert {result.ok().label for result in results if isinstance(result, Ok)} == OPERATIONS


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the test's connection across requests, as Django's test client does.

    The WSGI handler closes "old" connections when a request starts and finishes; inside the
    test's transaction that would close it, on PostgreSQL, under the test's feet.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def answers(request: pytest.FixtureRequest) -> Iterator[Counter[int]]:
    """Status codes of one operation's calls; checked once all its examples have run."""
    counter: Counter[int] = Counter()
    yield counter
    assert counter.total() > 0, f"{request.node.name}: no request was made"
    # 200, or the handler's own 404 (a statement id nobody published): past validation.
    reached = REACHED_REGISTRATION if "registration" in request.node.name else REACHED
    assert counter.keys() & reached, f"{request.node.name}: no request reached the handler"


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_conforms_to_its_schema(case, published, in_test_transaction, answers):
    response = case.call_and_validate()
    answers[response.status_code] += 1
