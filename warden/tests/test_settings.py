"""warden/settings.py, read in a fresh process with a controlled environment."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from warden.tests.conftest import WardenRun

SHOW = """
names = {names!r}
print(json.dumps({{name: getattr(settings, name, None) for name in names}}, default=str))
"""


def read_settings(run_python: WardenRun, *names: str, **env: str) -> dict[str, Any]:
    result = run_python(SHOW.format(names=names), **env)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return values


def test_it_defaults_to_sqlite_in_the_data_directory(run_python: WardenRun, data_dir: Path):
    database = read_settings(run_python, "DATABASES")["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(data_dir / "warden.sqlite3")
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(run_python: WardenRun):
    code = """
from django.db import connection
with connection.cursor() as cursor:
    print(json.dumps([cursor.execute(f"PRAGMA {p}").fetchone()[0] for p in
                      ("journal_mode", "foreign_keys", "busy_timeout")]))
"""
    result = run_python(code, SQLITE_BUSY_TIMEOUT="7")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["wal", 1, 7000]


def test_it_reads_the_sqlite_path(run_python: WardenRun, tmp_path: Path):
    path = tmp_path / "elsewhere.sqlite3"

    values = read_settings(run_python, "DATABASES", SQLITE_PATH=str(path))

    assert values["DATABASES"]["default"]["NAME"] == str(path)


def test_it_reads_a_postgresql_url(run_python: WardenRun):
    url = "postgres://warden:pw@db.example.org:5433/warden"

    database = read_settings(run_python, "DATABASES", DATABASE_URL=url)["DATABASES"]["default"]

    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"]) == ("db.example.org", 5433)
    assert database["NAME"] == "warden"
    assert database["CONN_MAX_AGE"] == 60


def test_postgresql_connections_may_prepare_unless_told_not_to(run_python: WardenRun):
    url = "postgres://warden:pw@db.example.org:5433/warden"

    on = read_settings(run_python, "DATABASES", DATABASE_URL=url)
    off = read_settings(
        run_python, "DATABASES", DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="false"
    )

    assert on["DATABASES"]["default"]["OPTIONS"]["prepare_threshold"] == 5
    assert off["DATABASES"]["default"]["OPTIONS"]["prepare_threshold"] is None


def test_it_refuses_to_start_with_an_unknown_database_url(run_python: WardenRun):
    result = run_python("", DATABASE_URL="mongodb://db.example.org/warden")

    assert result.returncode != 0
    assert "mongodb" in result.stderr


def test_https_is_on_unless_debugging(run_python: WardenRun):
    names = ("HTTPS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE")

    production = read_settings(run_python, *names, "SECURE_HSTS_SECONDS")
    debugging = read_settings(run_python, *names, "SECURE_HSTS_SECONDS", DEBUG="true")

    assert production == dict.fromkeys(names, True) | {"SECURE_HSTS_SECONDS": 31536000}
    assert debugging == dict.fromkeys(names, False) | {"SECURE_HSTS_SECONDS": 0}


def test_it_trusts_the_proxy_header_only_when_told(run_python: WardenRun):
    assert read_settings(run_python, "SECURE_PROXY_SSL_HEADER") == {"SECURE_PROXY_SSL_HEADER": None}
    assert read_settings(run_python, "SECURE_PROXY_SSL_HEADER", BEHIND_PROXY="1") == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]
    }


def test_it_generates_a_secret_key_once(run_python: WardenRun, data_dir: Path):
    first = read_settings(run_python, "SECRET_KEY", "SECRET_KEY_GENERATED")
    second = read_settings(run_python, "SECRET_KEY", "SECRET_KEY_GENERATED")

    key_file = data_dir / "secret_key"
    assert first == second
    assert first["SECRET_KEY_GENERATED"] is True
    assert len(first["SECRET_KEY"]) >= 50
    assert key_file.read_text().strip() == first["SECRET_KEY"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_secret_key_writes_no_file(run_python: WardenRun, data_dir: Path):
    values = read_settings(run_python, "SECRET_KEY", "SECRET_KEY_GENERATED", SECRET_KEY="k" * 60)

    assert values == {"SECRET_KEY": "k" * 60, "SECRET_KEY_GENERATED": False}
    assert not (data_dir / "secret_key").exists()


def test_it_reads_the_mail_url(run_python: WardenRun):
    values = read_settings(
        run_python, "EMAIL_BACKEND", "EMAIL_HOST", EMAIL_URL="smtp://mail.example.org:587?tls=1"
    )

    assert values == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
    }


def test_a_bad_value_stops_the_start_with_its_name(run_python: WardenRun):
    result = run_python("", DEBUG="maybe")

    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
