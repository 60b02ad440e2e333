"""Enrolment settings (warden/settings.py reads each from the environment)."""

from __future__ import annotations

from django.conf import settings


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name))


def link_minutes() -> int:
    """How long a sign-in link works."""
    return _setting("WARDEN_SIGN_IN_LINK_MINUTES", 30)


def session_minutes() -> int:
    """How long a citizen stays signed in on the site, from the sign-in."""
    return _setting("WARDEN_CITIZEN_SESSION_MINUTES", 60)


def api_token_minutes() -> int:
    """How long an API bearer token works."""
    return _setting("WARDEN_API_TOKEN_MINUTES", 30)


def rate_per_email() -> int:
    """Sign-in links per address and hour."""
    return _setting("WARDEN_SIGN_IN_RATE_PER_EMAIL", 5)


def rate_per_ip() -> int:
    """Sign-in link requests per IP address and hour."""
    return _setting("WARDEN_SIGN_IN_RATE_PER_IP", 20)


RATE_WINDOW_SECONDS = 3600
# Sign-in link rows (with their encrypted address) are deleted after this long.
LINK_RETENTION_HOURS = 24
