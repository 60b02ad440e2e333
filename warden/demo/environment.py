"""Where the demo keeps its data, and the environment its processes run with.

The demo loads into the database the other commands use — the SQLite file (``SQLITE_PATH``,
default ``var/warden.sqlite3``) or ``DATABASE_URL`` — so that ``warden worker --burst``,
``warden serve`` and the rest see it without further settings. It replaces the SQLite file
only if the demo made it (a marker file beside it), or if it holds no staff and no editions;
otherwise it refuses unless given ``--replace``.

Settings are read once, from the environment, when a process starts. So ``warden demo``
removes the old file, then runs itself again, and passes the same environment to the web
and worker processes it starts.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
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
    """The SQLite file every command uses (SQLITE_PATH, default var/warden.sqlite3)."""
    return Path(str(settings.DATABASES["default"]["NAME"]))


def marker() -> Path:
    """Beside the database: says that the demo made it, so it may replace it."""
    return demo_database().with_name(demo_database().name + ".demo")


def holds_other_data() -> bool:
    """True if the SQLite file exists, was not made by the demo, and has staff or editions."""
    database = demo_database()
    if not database.exists() or database.stat().st_size == 0 or marker().exists():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
            users = db.execute("SELECT COUNT(*) FROM auth_user").fetchone()[0]
            editions = db.execute("SELECT COUNT(*) FROM advisories_edition").fetchone()[0]
    except sqlite3.Error:  # no such table: never migrated, nothing to keep
        return False
    return bool(users or editions)


def mail_directory() -> Path:
    return data_dir() / "demo-mail"


def text_log() -> Path:
    """The texts the demo's SMS gateway stub took (``warden.demo.textlog``)."""
    return data_dir() / "demo-texts.jsonl"


def uses_database_url() -> bool:
    return bool(getattr(settings, "DATABASE_URL", ""))


RESET_DONE = "WARDEN_DEMO_RESET"


def needs_reset() -> bool:
    """True until this process is the one started after the SQLite file was removed."""
    return not uses_database_url() and os.environ.get(RESET_DONE) != str(demo_database())


def reset_demo_files() -> None:
    """Remove the database (with its WAL and shared-memory files) and the old demo mail and
    texts, and mark the new database as the demo's."""
    database = demo_database()
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    for message in mail_directory().glob("*.eml"):
        message.unlink()
    text_log().unlink(missing_ok=True)
    marker().write_text("Made by `warden demo`; it may replace this database.\n")


def demo_environment(*, port: int) -> dict[str, str]:
    """What the demo runs with: local, plain http; mail goes to the sandbox inbox unless
    ``serve_environment`` points it at the demo's sinks."""
    env = {
        "DEBUG": "false",
        "HTTPS": "false",
        "SITE_URL": os.environ.get("SITE_URL") or f"http://{HOST}:{port}",
    }
    if not uses_database_url():
        env[RESET_DONE] = str(demo_database())
    return {**os.environ, **env}


def serve_environment(
    env: dict[str, str], *, smtp_port: int, sms_url: str, receipt_token: str
) -> dict[str, str]:
    """The web and worker processes of a served demo: mail to the local SMTP sink, SMS to
    the local gateway stub, whose receipts come back with ``receipt_token``."""
    return {
        **env,
        "EMAIL_URL": f"smtp://{HOST}:{smtp_port}",
        "SMS_URLS": sms_url,
        "RECEIPT_TOKEN": receipt_token,
    }


def run_again(args: list[str], env: dict[str, str]) -> NoReturn:
    """Replace this process with ``warden <args>`` running in ``env``."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, [sys.executable, "-m", "warden", *args], env)  # noqa: S606
