"""``warden check --deploy`` passes with production settings and names what is missing."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path

import pytest

from warden.tests.conftest import WardenRun

DEPLOY = ("check", "--deploy", "--fail-level", "WARNING")


@pytest.fixture
def production() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "warden.example.org",
        "SITE_URL": "https://warden.example.org",
        "EMAIL_URL": "smtp://mail.example.org:587?tls=1",
        "DEFAULT_FROM_EMAIL": "Warden <warden@example.org>",
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
    }


def test_it_passes_with_production_settings(run_warden: WardenRun, production: dict[str, str]):
    result = run_warden(*DEPLOY, **production)

    assert result.returncode == 0, result.stderr
    assert "warden.W" not in result.stdout + result.stderr
    assert "security.W" not in result.stdout + result.stderr


def test_it_reads_the_secret_key_from_a_file(
    run_warden: WardenRun, production: dict[str, str], tmp_path: Path
):
    key_file = tmp_path / "secret_key"
    key_file.write_text(production.pop("SECRET_KEY") + "\n")

    result = run_warden(*DEPLOY, **production, SECRET_KEY_FILE=str(key_file))

    assert result.returncode == 0, result.stderr


def test_it_fails_without_a_secret_key(run_warden: WardenRun, production: dict[str, str]):
    del production["SECRET_KEY"]

    result = run_warden(*DEPLOY, **production)

    assert result.returncode == 1
    assert "warden.W001" in result.stderr


@pytest.mark.parametrize(
    ("variable", "check_id"),
    [
        ("EMAIL_URL", "warden.W003"),
        ("ALLOWED_HOSTS", "warden.W004"),
        ("SITE_URL", "warden.W005"),
        ("DEFAULT_FROM_EMAIL", "warden.W006"),
        ("FIELD_ENCRYPTION_KEYS", "warden.W007"),
        ("BLIND_INDEX_KEY", "warden.W007"),
    ],
)
def test_it_names_each_missing_setting(
    run_warden: WardenRun, production: dict[str, str], variable: str, check_id: str
):
    del production[variable]

    result = run_warden(*DEPLOY, **production)

    assert result.returncode == 1
    assert check_id in result.stderr


def test_it_reports_sqlite_as_information_only(run_warden: WardenRun, production: dict[str, str]):
    result = run_warden(*DEPLOY, **production)

    assert "warden.I001" in result.stdout + result.stderr
    assert result.returncode == 0


def test_it_fails_on_plain_http_in_production(run_warden: WardenRun, production: dict[str, str]):
    result = run_warden(*DEPLOY, **production, HTTPS="false")

    assert result.returncode == 1
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT
    assert "security.W012" in result.stderr  # SESSION_COOKIE_SECURE


def test_it_fails_on_debug_in_production(run_warden: WardenRun, production: dict[str, str]):
    result = run_warden(*DEPLOY, **{**production, "DEBUG": "true"})

    assert result.returncode == 1
    assert "security.W018" in result.stderr


def test_development_defaults_pass_the_plain_check(run_warden: WardenRun):
    result = run_warden("check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr


def test_it_refuses_a_malformed_encryption_key(run_warden: WardenRun, production: dict[str, str]):
    result = run_warden("check", **{**production, "FIELD_ENCRYPTION_KEYS": "too-short"})

    assert result.returncode == 1
    assert "warden.E004" in result.stderr
