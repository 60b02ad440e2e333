"""System checks for misconfiguration (``warden check``; ``warden check --deploy`` in production).

Ids are stable; docs/operations.md lists each with its fix.

- ``warden.E001`` the database engine is neither SQLite nor PostgreSQL
- ``warden.E002`` the database has no name (``DATABASE_URL`` without ``/dbname``)
- ``warden.E003`` the PostgreSQL server is older than 15 (checked when the database is)
- ``warden.E004`` ``FIELD_ENCRYPTION_KEYS`` holds a key that is not 32 bytes of urlsafe base64
- ``warden.E005`` an alert provider URL names no transport Warden has for its channel
- ``warden.W002`` SQLite configured through ``DATABASE_URL``: no WAL, no ``BEGIN IMMEDIATE``
- ``warden.W009`` ``ALERT_TIMEOUT_SECONDS`` is not well under ``ALERT_LEASE_SECONDS``
- deploy only (``--deploy``):
  ``warden.W001`` ``SECRET_KEY`` not configured (a key was generated into the data directory),
  ``warden.W003`` mail is printed or kept in memory instead of sent,
  ``warden.W004`` ``ALLOWED_HOSTS`` names only this machine,
  ``warden.W005`` ``SITE_URL`` (the base of every link in a message) is local or not https,
  ``warden.W006`` ``DEFAULT_FROM_EMAIL`` has no real domain,
  ``warden.W007`` ``FIELD_ENCRYPTION_KEYS`` or ``BLIND_INDEX_KEY`` not configured (generated),
  ``warden.W008`` an HTTP SMS gateway is configured without ``RECEIPT_TOKEN``,
  ``warden.I001`` SQLite in use: fine for one machine, PostgreSQL for more,
  ``warden.I002`` SMS alerts go to the sandbox
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Tags, Warning, register
from django.db import connections

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
SUPPORTED_ENGINES = {SQLITE, POSTGRESQL}
POSTGRESQL_MIN_VERSION = 150000  # connection.pg_version of 15.0
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
LOST_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}

AppConfigs = Sequence[AppConfig] | None


def database_messages(database: Mapping[str, Any]) -> list[CheckMessage]:
    """Errors in one ``DATABASES`` entry, whatever the environment."""
    engine = database.get("ENGINE", "")
    if engine not in SUPPORTED_ENGINES:
        return [
            Error(
                f"The database engine {engine!r} is not supported.",
                hint="Set DATABASE_URL to a postgres:// URL, or unset it to use SQLite.",
                id="warden.E001",
            )
        ]
    messages: list[CheckMessage] = []
    if not database.get("NAME"):
        messages.append(
            Error(
                "The database has no name.",
                hint="Add the database name to DATABASE_URL: postgres://user@host:5432/warden.",
                id="warden.E002",
            )
        )
    if engine == SQLITE and database.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
        messages.append(
            Warning(
                "SQLite is configured without WAL and BEGIN IMMEDIATE; "
                "concurrent writers will fail with 'database is locked'.",
                hint="Unset DATABASE_URL and set SQLITE_PATH to choose the SQLite file.",
                id="warden.W002",
            )
        )
    return messages


@register(Tags.database)
def check_database_settings(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    return database_messages(settings.DATABASES["default"])


@register(Tags.database)
def check_postgresql_version(
    app_configs: AppConfigs = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Runs only when a command asks for database checks (``migrate``, ``check --database``)."""
    messages: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        version: int = connection.pg_version  # type: ignore[attr-defined]
        if version < POSTGRESQL_MIN_VERSION:
            messages.append(
                Error(
                    f"PostgreSQL {version // 10000} is too old for Warden.",
                    hint="Use PostgreSQL 15 or newer.",
                    id="warden.E003",
                )
            )
    return messages


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if not getattr(settings, "SECRET_KEY_GENERATED", False):
        return []
    return [
        Warning(
            "SECRET_KEY is not configured: a key was generated into the data directory.",
            hint="Set SECRET_KEY (or SECRET_KEY_FILE) to the same long random value on every "
            "machine, e.g. from: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="warden.W001",
        )
    ]


@register(deploy=True)
def check_email_backend(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.EMAIL_BACKEND not in LOST_MAIL_BACKENDS:
        return []
    return [
        Warning(
            f"Mail is not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
            hint="Set EMAIL_URL, e.g. smtp://user:password@mail.example.org:587?tls=1.",
            id="warden.W003",
        )
    ]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    hosts = {host.lstrip(".") for host in settings.ALLOWED_HOSTS}
    if not hosts or not hosts <= LOCAL_HOSTS:
        return []
    return [
        Warning(
            "ALLOWED_HOSTS names only this machine, so no request from outside is served.",
            hint="Set ALLOWED_HOSTS to the public host names, e.g. warden.example.org.",
            id="warden.W004",
        )
    ]


@register(Tags.security)
def check_proxy_hops(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.WARDEN_BEHIND_PROXY or settings.WARDEN_PROXY_HOPS >= 1:
        return []
    return [
        Error(
            f"PROXY_HOPS is {settings.WARDEN_PROXY_HOPS}: behind a proxy, every request "
            "would seem to come from the proxy.",
            hint="Set PROXY_HOPS to the number of proxies in front of Warden (usually 1).",
            id="warden.E006",
        )
    ]


@register(deploy=True)
def check_site_url(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    parts = urlsplit(settings.SITE_URL)
    local = (parts.hostname or "localhost") in LOCAL_HOSTS
    insecure = getattr(settings, "HTTPS", False) and parts.scheme != "https"
    if not (local or insecure):
        return []
    return [
        Warning(
            f"SITE_URL is {settings.SITE_URL!r}: links in messages and feeds would not work "
            "from outside.",
            hint="Set SITE_URL to the public address, e.g. https://warden.example.org.",
            id="warden.W005",
        )
    ]


@register(deploy=True)
def check_from_address(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    _, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2].lower()
    if domain and domain not in LOCAL_HOSTS and "." in domain:
        return []
    return [
        Warning(
            f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail servers will reject "
            "or junk mail from it.",
            hint='Set DEFAULT_FROM_EMAIL, e.g. "Warden <warden@example.org>".',
            id="warden.W006",
        )
    ]


@register(Tags.database, deploy=True)
def check_sqlite_in_production(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DATABASES["default"].get("ENGINE") != SQLITE:
        return []
    return [
        Info(
            "SQLite is in use: fine while web and worker run on one machine.",
            hint="Set DATABASE_URL to PostgreSQL before running Warden on several machines.",
            id="warden.I001",
        )
    ]


@register(Tags.security, deploy=True)
def check_people_keys(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if not getattr(settings, "WARDEN_PEOPLE_KEYS_GENERATED", False):
        return []
    return [
        Warning(
            "FIELD_ENCRYPTION_KEYS or BLIND_INDEX_KEY is not configured: a key was generated "
            "into the data directory, and personal data cannot be read without it.",
            hint="Set FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY (or their _FILE variants) on "
            "every machine and back them up apart from the database; make each with: "
            "python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32))"
            ".decode())'",
            id="warden.W007",
        )
    ]


@register(Tags.security)
def check_encryption_keys(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    if not apps.is_installed("warden.people"):
        return []
    from warden.people.crypto import KeyConfigError, Keyring

    try:
        Keyring.from_texts(settings.WARDEN_FIELD_ENCRYPTION_KEYS)
    except KeyConfigError as exc:
        return [
            Error(
                f"FIELD_ENCRYPTION_KEYS cannot be used: {exc}.",
                hint="Each key, comma-separated, is 32 random bytes in urlsafe base64: "
                "python3 -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32))"
                ".decode())'",
                id="warden.E004",
            )
        ]
    return []


@register()
def check_alert_providers(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """Every provider URL must name a transport Warden has for its channel."""
    from warden.alerting.transports.registry import ProviderConfigError, build, channel_urls

    messages: list[CheckMessage] = []
    for channel, urls in channel_urls().items():
        for index, url in enumerate(urls, start=1):
            try:
                build(channel, url, index)
            except (ProviderConfigError, ValueError) as exc:
                messages.append(
                    Error(
                        f"Alert provider {index} for {channel} cannot be used: {exc}.",
                        hint="See the Alerting section of .env.example for the URL forms.",
                        id="warden.E005",
                    )
                )
    return messages


@register(deploy=True)
def check_alert_receipts(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """Gateways report delivery and replies only with RECEIPT_TOKEN; SMS may be sandboxed."""
    sms = list(settings.WARDEN_ALERT_SMS_URLS)
    messages: list[CheckMessage] = []
    gateways = [u for u in sms if urlsplit(u).scheme in {"http", "https"}]
    if gateways and not settings.WARDEN_RECEIPT_TOKEN:
        messages.append(
            Warning(
                "An SMS gateway is configured but RECEIPT_TOKEN is not: its delivery receipts "
                "and the replies SAFE / HELP / LEFT will be refused.",
                hint="Set RECEIPT_TOKEN (or RECEIPT_TOKEN_FILE) and give the same token to "
                "the gateway for /hooks/sms/receipts and /hooks/sms/inbound.",
                id="warden.W008",
            )
        )
    if not sms or all(urlsplit(u).scheme == "sandbox" for u in sms):
        messages.append(
            Info(
                "SMS alerts go to the sandbox: no text message leaves this machine.",
                hint="Set SMS_URLS to an SMS gateway or an Apprise SMS URL.",
                id="warden.I002",
            )
        )
    return messages


@register()
def check_alert_timing(app_configs: AppConfigs = None, **kwargs: Any) -> list[CheckMessage]:
    """A batch must end within ``LEASE_SPENT`` of its lease, and a lane starts no send
    that could not end by then but its first: a timeout as long as that allows one send per
    lane and batch (decisions/0006)."""
    from warden.alerting.sender import LEASE_SPENT

    lease = float(settings.WARDEN_ALERT_LEASE_SECONDS)
    timeout = float(settings.WARDEN_ALERT_TIMEOUT_SECONDS)
    if timeout * 2 <= lease * LEASE_SPENT:
        return []
    return [
        Warning(
            f"ALERT_TIMEOUT_SECONDS ({timeout:g}) is more than half of what a batch may take "
            f"({LEASE_SPENT:.0%} of ALERT_LEASE_SECONDS, {lease * LEASE_SPENT:g} s): a slow "
            "provider would get only one or two sends per connection and batch.",
            hint="Raise ALERT_LEASE_SECONDS or lower ALERT_TIMEOUT_SECONDS.",
            id="warden.W009",
        )
    ]
