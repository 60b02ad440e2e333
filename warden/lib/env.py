"""Typed helpers for reading settings from the environment."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable holds a value that cannot be used."""


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise EnvError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise EnvError(f"{name} must be a whole number, not {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def envsecret(name: str) -> str | None:
    """Read ``NAME`` or, if ``NAME_FILE`` is set, the contents of that file."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    value = os.environ.get(name)
    return value or None


def email_settings(url: str) -> dict[str, object]:
    """Translate ``EMAIL_URL`` (``smtp://user:pass@host:port?tls=1``) into Django settings.

    ``console:`` prints mail, ``locmem:`` keeps it in memory (tests), ``smtp://`` sends
    it, ``smtps://`` uses implicit TLS.
    """
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "anymail":
        esp = parts.path.strip("/")
        if not esp.isidentifier():
            raise EnvError(f"EMAIL_URL anymail:<esp> needs an anymail provider name, not {url!r}")
        return {"EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend"}
    if scheme not in {"smtp", "smtps"}:
        raise EnvError(
            "EMAIL_URL must start with smtp://, smtps://, anymail:, console: or locmem:, "
            f"not {url!r}"
        )
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", "").lower() in TRUE,
        "EMAIL_TIMEOUT": 10,
    }
