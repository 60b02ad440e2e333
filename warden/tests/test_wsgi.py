"""The WSGI application behind a reverse proxy: the client's address, not the proxy's."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from pytest_django.fixtures import Settings
from werkzeug.test import EnvironBuilder

from warden.wsgi import proxied

PROXY = "127.0.0.1"


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
