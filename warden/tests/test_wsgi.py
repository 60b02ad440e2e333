"""The WSGI application behind a reverse proxy: the client's address, not the proxy's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from pytest_django.fixtures import Settings
from werkzeug.test import Client, EnvironBuilder

from warden.wsgi import proxied

PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """A request through the WSGI handler closes the database connection when it ends, the
    test's own too; Django's test client keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def seen_address(settings: Settings, forwarded_for: str | None) -> str:
    """``REMOTE_ADDR`` as Django sees it, for a request that reached the application from
    the proxy's address with ``forwarded_for`` as its X-Forwarded-For header."""
    headers = [] if forwarded_for is None else [("X-Forwarded-For", forwarded_for)]
    environ = EnvironBuilder(
        path="/", headers=headers, environ_base={"REMOTE_ADDR": PROXY}
    ).get_environ()
    seen: list[str] = []

    def started(sender: Any, environ: dict[str, Any], **kwargs: Any) -> None:
        seen.append(environ["REMOTE_ADDR"])

    request_started.connect(started)
    try:
        response = proxied(WSGIHandler())(environ, lambda status, headers, exc_info=None: None)
        for _chunk in response:
            pass
        response.close()
    finally:
        request_started.disconnect(started)
    assert len(seen) == 1
    return seen[0]


@pytest.mark.django_db
def test_behind_a_proxy_the_client_is_the_address_the_proxy_appended(settings: Settings):
    settings.WARDEN_BEHIND_PROXY, settings.WARDEN_PROXY_HOPS = True, 1

    # nginx's $proxy_add_x_forwarded_for: what the client sent, then the client's address.
    assert seen_address(settings, "203.0.113.7") == "203.0.113.7"
    assert seen_address(settings, "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert seen_address(settings, None) == PROXY


@pytest.mark.django_db
def test_two_proxies_trust_two_hops(settings: Settings):
    settings.WARDEN_BEHIND_PROXY, settings.WARDEN_PROXY_HOPS = True, 2

    assert seen_address(settings, "6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"


@pytest.mark.django_db
def test_without_a_proxy_the_header_is_not_believed(settings: Settings):
    settings.WARDEN_BEHIND_PROXY = False

    assert seen_address(settings, "203.0.113.7") == PROXY


def test_no_hops_behind_a_proxy_is_an_error(settings: Settings):
    settings.WARDEN_BEHIND_PROXY, settings.WARDEN_PROXY_HOPS = True, 0

    assert "warden.E006" in [message.id for message in run_checks()]
    settings.WARDEN_PROXY_HOPS = 1
    assert "warden.E006" not in [message.id for message in run_checks()]


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_limit(settings: Settings):
    """The reason for it all: a limit per address counted the proxy's, so that one client's
    requests used up everyone's."""
    settings.WARDEN_BEHIND_PROXY, settings.WARDEN_PROXY_HOPS = True, 1
    settings.WARDEN_SIGN_IN_RATE_PER_IP = 1
    application = proxied(WSGIHandler())
    url = reverse("register:start")

    def ask_for_a_link(client: str, email: str) -> int:
        browser = Client(application)
        through_proxy: dict[str, Any] = {
            "environ_base": {"REMOTE_ADDR": PROXY},
            "headers": [("X-Forwarded-For", client)],
        }
        form = browser.get(url, base_url="http://testserver", **through_proxy).get_data(True)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        assert token is not None, form
        data = {"csrfmiddlewaretoken": token.group(1), "email": email}
        answer = browser.post(url, data=data, base_url="http://testserver", **through_proxy)
        return answer.status_code

    assert ask_for_a_link("203.0.113.7", "noa@example.org") == 302
    assert ask_for_a_link("198.51.100.8", "eli@example.org") == 302  # a limit of its own
    assert ask_for_a_link("203.0.113.7", "dana@example.org") == 429
