"""The typed helpers that read settings from the environment (warden/lib/env.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from warden.lib.env import EnvError, email_settings, envbool, envint, envlist, envsecret, envstr


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WARDEN_X", "WARDEN_X_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_envstr_returns_the_value_or_the_default(monkeypatch: pytest.MonkeyPatch):
    assert envstr("WARDEN_X", "fallback") == "fallback"
    monkeypatch.setenv("WARDEN_X", "value")
    assert envstr("WARDEN_X", "fallback") == "value"


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " true "])
def test_envbool_reads_true(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("WARDEN_X", raw)
    assert envbool("WARDEN_X", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_envbool_reads_false(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("WARDEN_X", raw)
    assert envbool("WARDEN_X", True) is False


def test_envbool_uses_the_default_when_unset():
    assert envbool("WARDEN_X", True) is True
    assert envbool("WARDEN_X", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_envbool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("WARDEN_X", raw)
    with pytest.raises(EnvError, match="WARDEN_X must be one of"):
        envbool("WARDEN_X", False)


@pytest.mark.parametrize(("raw", "expected"), [("42", 42), ("-3", -3), (" 7 ", 7), ("", 9)])
def test_envint_reads_whole_numbers(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int):
    monkeypatch.setenv("WARDEN_X", raw)
    assert envint("WARDEN_X", 9) == expected


def test_envint_uses_the_default_when_unset():
    assert envint("WARDEN_X", 9) == 9


@pytest.mark.parametrize("raw", ["4.5", "ten", "1e3"])
def test_envint_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("WARDEN_X", raw)
    with pytest.raises(EnvError, match="WARDEN_X must be a whole number"):
        envint("WARDEN_X", 0)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch):
    assert envlist("WARDEN_X", ["default"]) == ["default"]
    monkeypatch.setenv("WARDEN_X", " a.example.org, ,b.example.org ,")
    assert envlist("WARDEN_X", ["default"]) == ["a.example.org", "b.example.org"]


def test_envsecret_reads_the_variable(monkeypatch: pytest.MonkeyPatch):
    assert envsecret("WARDEN_X") is None
    monkeypatch.setenv("WARDEN_X", "")
    assert envsecret("WARDEN_X") is None
    monkeypatch.setenv("WARDEN_X", "s3cret")
    assert envsecret("WARDEN_X") == "s3cret"


def test_envsecret_prefers_the_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    secret = tmp_path / "secret"
    secret.write_text("from-file\n")
    monkeypatch.setenv("WARDEN_X", "from-variable")
    monkeypatch.setenv("WARDEN_X_FILE", str(secret))

    assert envsecret("WARDEN_X") == "from-file"


def test_envsecret_fails_loudly_on_a_missing_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("WARDEN_X_FILE", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError):
        envsecret("WARDEN_X")


@pytest.mark.parametrize(
    ("url", "backend"),
    [("console:", "console"), ("locmem:", "locmem"), ("smtp://h", "smtp")],
)
def test_email_settings_picks_the_backend(url: str, backend: str):
    expected = f"django.core.mail.backends.{backend}.EmailBackend"

    assert email_settings(url)["EMAIL_BACKEND"] == expected


def test_email_settings_reads_an_smtp_url():
    assert email_settings("smtp://mailer:p%40ss%2Fw@mail.example.org:587?tls=1") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss/w",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }


def test_email_settings_defaults_the_port_by_scheme():
    plain = email_settings("smtp://mail.example.org")
    implicit_tls = email_settings("smtps://mail.example.org")

    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_SSL"]) == (25, False)
    assert (implicit_tls["EMAIL_PORT"], implicit_tls["EMAIL_USE_SSL"]) == (465, True)
    assert plain["EMAIL_USE_TLS"] is implicit_tls["EMAIL_USE_TLS"] is False


@pytest.mark.parametrize("url", ["", "mail.example.org", "http://mail.example.org", "sendmail:"])
def test_email_settings_rejects_other_urls(url: str):
    with pytest.raises(EnvError, match="EMAIL_URL must start with"):
        email_settings(url)
