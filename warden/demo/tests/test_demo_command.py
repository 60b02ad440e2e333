"""``warden demo`` as a user runs it: in a subprocess, with a data directory of its own."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest
from django.conf import settings

from warden.demo.staff import STAFF, demo_password

PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
CODES = re.compile(r"(?: [a-z2-7]{8}){5}$", re.MULTILINE)

pytestmark = pytest.mark.slow


def environment(data_dir: Path) -> dict[str, str]:
    base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    return {**base, "WARDEN_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def assert_login_table(output: str) -> None:
    for username, _role in STAFF:
        assert re.search(rf"^  {username} +.* {demo_password(username)} ", output, re.MULTILINE)
    assert len(CODES.findall(output)) == len(STAFF)
    assert "Demo data, not real advice." in output


def get_status(port: int, path: str, *, deadline: float) -> int:
    """GET ``path`` (without following redirects), retrying until the server answers."""
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            return connection.getresponse().status
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class Output:
    """A process's output, read in a thread as a terminal reads it: the demo prints a line
    for every mail its sink receives, and a pipe nobody reads fills after about 600 of
    them and then blocks the sink, and with it the sending."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for(self, text: str, *, timeout: float) -> str:
        """The output up to the first line containing ``text``."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for index, line in enumerate(self.lines):
                    if text in line:
                        return "".join(self.lines[: index + 1])
                left = deadline - time.monotonic()
                if self.ended or left <= 0:
                    raise AssertionError("".join(self.lines))
                self.changed.wait(left)

    def text(self) -> str:
        with self.changed:
            return "".join(self.lines)


def test_warden_demo_no_serve_loads_a_fresh_database_and_prints_the_logins(tmp_path: Path):
    command = [sys.executable, "-m", "warden", "demo", "--no-serve"]
    runs = [
        subprocess.run(
            command,
            env=environment(tmp_path),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        for _ in range(2)
    ]

    for result in runs:
        assert result.returncode == 0, result.stderr
        assert_login_table(result.stdout)
        assert "warden worker --burst" in result.stdout
    database = tmp_path / "warden.sqlite3"
    assert database.exists()
    assert (tmp_path / "warden.sqlite3.demo").exists()

    # The worker, run as is in the same environment, sends Turkey's queued messages.
    queued = _delivery_states(database)
    assert queued == {} or set(queued) == {"queued"}
    worker = subprocess.run(
        [sys.executable, "-m", "warden", "worker", "--burst"],
        env=environment(tmp_path),
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert worker.returncode == 0, worker.stderr
    states = _delivery_states(database)
    assert set(states) == {"sent"}, states
    assert states["sent"] >= 2000  # everyone in Turkey, on each of their channels
    with contextlib.closing(sqlite3.connect(database)) as db:
        kept = db.execute("SELECT COUNT(*) FROM alerting_sandboxmessage").fetchone()[0]
    assert kept == states["sent"]


def _wait_for_states(database: Path, *, timeout: float) -> dict[str, int]:
    """Delivery states once email is handed off and some SMS receipts arrived."""
    deadline = time.monotonic() + timeout
    states: dict[str, int] = {}
    while time.monotonic() < deadline:
        try:
            states = _delivery_states(database)
        except sqlite3.OperationalError:  # locked, or not migrated yet
            states = {}
        if states.get("delivered") and not states.get("queued") and not states.get("sending"):
            return states
        time.sleep(1)
    return states


def _delivery_states(database: Path) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        rows = db.execute("SELECT state, COUNT(*) FROM alerting_delivery GROUP BY state")
        return dict(rows.fetchall())


def test_warden_demo_refuses_to_replace_a_database_it_did_not_make(tmp_path: Path):
    env = environment(tmp_path)
    migrate = [sys.executable, "-m", "warden", "migrate", "-v0"]
    subprocess.run(migrate, env=env, cwd=settings.BASE_DIR, check=True, timeout=300)
    with contextlib.closing(sqlite3.connect(tmp_path / "warden.sqlite3")) as db:
        db.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) "
            "VALUES ('!', 0, 'keep', '', '', '', 1, 1, '2026-01-01')"
        )
        db.commit()
    result = subprocess.run(
        [sys.executable, "-m", "warden", "demo", "--no-serve"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0
    assert "--replace" in result.stderr
    with contextlib.closing(sqlite3.connect(tmp_path / "warden.sqlite3")) as db:
        assert db.execute("SELECT username FROM auth_user").fetchall() == [("keep",)]


def test_warden_demo_serves_the_site_and_stops_all_its_processes(tmp_path: Path):
    port, smtp_port, sms_port = free_port(), free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "warden",
        "demo",
        "--port",
        str(port),
        "--smtp-port",
        str(smtp_port),
        "--sms-port",
        str(sms_port),
    ]
    demo = subprocess.Popen(
        command,
        env=environment(tmp_path),
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed = Output(demo.stdout)  # type: ignore[arg-type]
    try:
        output = printed.wait_for("Ctrl-C stops it", timeout=300)
        status = get_status(port, "/admin/login/", deadline=time.monotonic() + 60)
        # The demo's worker sends Turkey's level-4 message to its SMTP sink and SMS stub; the
        # stub's receipts come back to the web server.
        delivered = _wait_for_states(tmp_path / "warden.sqlite3", timeout=180)
        mails = list((tmp_path / "demo-mail").glob("*.eml"))
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        printed.thread.join(timeout=10)
    rest = printed.text().removeprefix(output)

    assert_login_table(output)
    assert status in {200, 302}
    assert delivered.get("sent", 0) > 0 and delivered.get("delivered", 0) > 0, delivered
    assert not delivered.get("queued") and not delivered.get("sending"), delivered  # all sent
    assert mails and b"X-Warden-Delivery: " in mails[0].read_bytes()
    assert demo.returncode == 0, output + rest
    assert "Demo stopped." in rest
    assert "worker stopped" in rest
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # the web server is gone
