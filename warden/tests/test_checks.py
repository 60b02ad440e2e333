"""Warden's system checks, one by one, against settings changed in the test."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.checks import run_checks
from pytest_django.fixtures import Settings

from warden import checks
from warden.people.crypto import new_key

POSTGRES = {"ENGINE": "django.db.backends.postgresql", "NAME": "warden", "HOST": "127.0.0.1"}
SQLITE_FROM_SETTINGS = {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": "/var/lib/warden/warden.sqlite3",
    "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
}


def ids(messages: list[Any]) -> list[str]:
    return [message.id for message in messages]


def test_the_checks_are_registered_for_deployment_only(settings: Settings):
    settings.SECRET_KEY_GENERATED = True

    assert "warden.W001" in ids(run_checks(include_deployment_checks=True))
    assert "warden.W001" not in ids(run_checks())


@pytest.mark.parametrize("database", [POSTGRES, SQLITE_FROM_SETTINGS])
def test_it_accepts_postgresql_and_the_sqlite_settings(database: dict[str, Any]):
    assert checks.database_messages(database) == []


@pytest.mark.parametrize(
    "engine", ["django.db.backends.mysql", "django.db.backends.oracle", "", "mssql"]
)
def test_it_rejects_other_engines(engine: str):
    assert ids(checks.database_messages({**POSTGRES, "ENGINE": engine})) == ["warden.E001"]


def test_it_rejects_a_database_without_a_name():
    assert ids(checks.database_messages({**POSTGRES, "NAME": ""})) == ["warden.E002"]


def test_it_warns_about_sqlite_from_a_url():
    # dj-database-url gives SQLite neither WAL nor BEGIN IMMEDIATE.
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": "warden.sqlite3"}

    assert ids(checks.database_messages(database)) == ["warden.W002"]


def test_it_warns_about_a_generated_secret_key(settings: Settings):
    settings.SECRET_KEY_GENERATED = True
    assert ids(checks.check_secret_key()) == ["warden.W001"]

    settings.SECRET_KEY_GENERATED = False
    assert checks.check_secret_key() == []


@pytest.mark.parametrize(
    ("backend", "expected"),
    [
        ("django.core.mail.backends.console.EmailBackend", ["warden.W003"]),
        ("django.core.mail.backends.locmem.EmailBackend", ["warden.W003"]),
        ("django.core.mail.backends.smtp.EmailBackend", []),
    ],
)
def test_it_warns_when_mail_is_not_sent(settings: Settings, backend: str, expected: list[str]):
    settings.EMAIL_BACKEND = backend

    assert ids(checks.check_email_backend()) == expected


@pytest.mark.parametrize(
    ("hosts", "expected"),
    [
        (["localhost", "127.0.0.1", "[::1]"], ["warden.W004"]),
        (["warden.example.org"], []),
        (["localhost", "warden.example.org"], []),
        ([], []),  # Django's own checks report an empty list
    ],
)
def test_it_warns_when_only_local_hosts_are_allowed(
    settings: Settings, hosts: list[str], expected: list[str]
):
    settings.ALLOWED_HOSTS = hosts

    assert ids(checks.check_allowed_hosts()) == expected


@pytest.mark.parametrize(
    ("site_url", "https", "expected"),
    [
        ("http://127.0.0.1:8000", False, ["warden.W005"]),
        ("http://localhost", False, ["warden.W005"]),
        ("http://warden.example.org", True, ["warden.W005"]),
        ("http://warden.example.org", False, []),
        ("https://warden.example.org", True, []),
    ],
)
def test_it_warns_about_a_site_url_unreachable_from_outside(
    settings: Settings, site_url: str, https: bool, expected: list[str]
):
    settings.SITE_URL = site_url
    settings.HTTPS = https

    assert ids(checks.check_site_url()) == expected


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("Warden <warden@localhost>", ["warden.W006"]),
        ("warden", ["warden.W006"]),
        ("warden@mailhost", ["warden.W006"]),
        ("Warden <warden@example.org>", []),
        ("alerts@mfa.example.gov", []),
    ],
)
def test_it_warns_about_a_sender_without_a_real_domain(
    settings: Settings, sender: str, expected: list[str]
):
    settings.DEFAULT_FROM_EMAIL = sender

    assert ids(checks.check_from_address()) == expected


def test_it_notes_sqlite_in_production_as_information(settings: Settings):
    messages = checks.check_sqlite_in_production()

    if settings.DATABASES["default"]["ENGINE"] == checks.SQLITE:
        assert ids(messages) == ["warden.I001"]
        assert messages[0].level < 30  # below WARNING: --fail-level WARNING passes
    else:
        assert messages == []


@pytest.mark.django_db
def test_the_database_checks_pass_on_the_test_database():
    assert checks.check_postgresql_version(databases=["default"]) == []


@pytest.mark.parametrize(
    "keys",
    [
        ["not base64!"],
        [base64.urlsafe_b64encode(b"short").decode()],
        [],
    ],
)
def test_it_rejects_unusable_encryption_keys(settings: Settings, keys: list[str]):
    settings.WARDEN_FIELD_ENCRYPTION_KEYS = keys

    assert ids(checks.check_encryption_keys()) == ["warden.E004"]


def test_it_accepts_a_new_key_before_an_old_one(settings: Settings):
    settings.WARDEN_FIELD_ENCRYPTION_KEYS = [new_key(), new_key()]

    assert checks.check_encryption_keys() == []


@pytest.mark.parametrize(
    ("lease", "timeout", "expected"),
    [(60, 20, []), (60, 24, []), (60, 25, ["warden.W009"]), (10, 20, ["warden.W009"])],
)
def test_it_warns_when_sends_may_last_most_of_a_lease(
    settings: Settings, lease: int, timeout: int, expected: list[str]
):
    settings.WARDEN_ALERT_LEASE_SECONDS = lease
    settings.WARDEN_ALERT_TIMEOUT_SECONDS = timeout

    assert ids(checks.check_alert_timing()) == expected
