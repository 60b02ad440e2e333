"""A real Chromium for browser tests, driven by Playwright's sync API.

Use with pytest-django's ``live_server``; mark tests ``@pytest.mark.browser`` and
``@pytest.mark.slow``. Debian's Chromium is launched from PATH. Without Playwright or
Chromium the tests are skipped on a laptop but fail in CI (``CI`` set), so that a missing
browser can never turn the browser suite silently green.

The browser is started per test: Playwright's sync API keeps an event loop running while it
is open, which would disturb later tests that start their own loop.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest
from django.db import connections

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: browser tests must run in CI", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        _unavailable("chromium is not on PATH")
    return path


@pytest.fixture
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    path = chromium_path()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            try:
                # While Playwright's event loop runs in this thread, Django keeps the
                # thread's connections apart from those it uses outside the loop (asgiref's
                # per-context storage): the test's own queries open a connection that
                # Django's teardown never sees. Close it while it can still be reached, or
                # it holds the test database open past the end of the run.
                connections.close_all()
            finally:
                chromium.close()


@pytest.fixture
def browser_page(browser: Any) -> Iterator[Any]:
    """A fresh page (own cookies) in English, at a laptop-sized viewport."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def sign_in(page: Any, base_url: str, username: str, password: str, code: str) -> None:
    """Sign in through the real login form."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("One-time code").fill(code)
    page.get_by_role("button", name="Sign in").click()
