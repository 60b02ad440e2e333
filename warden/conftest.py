"""Fixtures shared by the app test suites (the named cast lives in warden/test.py)."""

from __future__ import annotations

from warden.testing.browser import browser, browser_page  # noqa: F401
from warden.testing.staff import staff_client  # noqa: F401
