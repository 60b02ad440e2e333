"""Test settings shared by the whole suite: fast, quiet, and loud on unintended I/O."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told that this test thread is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
SQLITE_FOLDER = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_ENABLED = True
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A file rather than memory: the fault tests' worker processes open the test database.
        # Not synced to disk (thrown away, like the PostgreSQL run's fsync=off): as fast as
        # memory.
        folder = Path(tempfile.mkdtemp(prefix="warden-test-db-"))
        config.stash[SQLITE_FOLDER] = folder
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
        database["OPTIONS"] = {
            **database["OPTIONS"],
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
            ),
        }


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(SQLITE_FOLDER, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


pytest_plugins = ["warden.test"]


@pytest.fixture(autouse=True)
def _default_language() -> object:
    """A request to a /he/ page leaves Hebrew active in the test thread; reset it."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that commits (``django_db(transaction=True)``) must also restore the data the
    migrations made (``serialized_rollback=True``): otherwise its flush re-creates content
    types, and the next test that restores them fails on a duplicate key, on whichever
    xdist worker the two happen to share."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: django_db(transaction=True) needs serialized_rollback=True"
            )
