"""Where the demo keeps its data, and the environment its processes run with.

Settings are read once, from the environment, when a process starts. So ``warden demo``
picks its database by environment: it removes the old demo SQLite file, then runs itself
again with ``SQLITE_PATH`` pointing at a fresh one, and passes the same environment to the
web and worker processes it starts. With ``DATABASE_URL`` set, it uses that database as is.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import NoReturn

from django.conf import settings

HOST = "127.0.0.1"


def default_smtp_port() -> int:
    """``DEMO_SMTP_PORT``: where the demo's mail sink listens (default 8025)."""
    return int(settings.WARDEN_DEMO_SMTP_PORT)


def data_dir() -> Path:
    return Path(settings.DATA_DIR)


def demo_database() -> Path:
    return data_dir() / "demo.sqlite3"


def mail_directory() -> Path:
    return data_dir() / "demo-mail"


def uses_database_url() -> bool:
    return bool(getattr(settings, "DATABASE_URL", ""))


def needs_demo_database() -> bool:
    """True unless this process already runs on the demo SQLite file (or on DATABASE_URL)."""
    if uses_database_url():
        return False
    current = Path(str(settings.DATABASES["default"]["NAME"])).resolve()
    return current != demo_database().resolve()


def reset_demo_files() -> None:
    """Remove the demo database (with its WAL and shared-memory files) and its old mail."""
    database = demo_database()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for message in mail_directory().glob("*.eml"):
        message.unlink()


def demo_environment(*, port: int, smtp_port: int) -> dict[str, str]:
    """What the demo's processes run with: local, plain http, mail to the demo sink."""
    env = {
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "EMAIL_URL": f"smtp://{HOST}:{smtp_port}",
        "SITE_URL": f"http://{HOST}:{port}",
    }
    if not uses_database_url():
        env["SQLITE_PATH"] = str(demo_database())
    return {**os.environ, **env}


def run_again(args: list[str], env: dict[str, str]) -> NoReturn:
    """Replace this process with ``warden <args>`` running in ``env``."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "warden", *args], env)  # noqa: S606
