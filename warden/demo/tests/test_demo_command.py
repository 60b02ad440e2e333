"""``warden demo`` as a user runs it: in a subprocess, with a data directory of its own."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
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


def wait_for_line(stream: IO[str], text: str, *, timeout: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:  # the process ended
            break
        seen.append(line)
        if text in line:
            return "".join(seen)
    raise AssertionError("".join(seen))


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
    assert (tmp_path / "demo.sqlite3").exists()
    assert not (tmp_path / "warden.sqlite3").exists()


def test_warden_demo_serves_the_site_and_stops_all_its_processes(tmp_path: Path):
    port, smtp_port = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "warden",
        "demo",
        "--port",
        str(port),
        "--smtp-port",
        str(smtp_port),
    ]
    demo = subprocess.Popen(
        command,
        env=environment(tmp_path),
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = wait_for_line(demo.stdout, "Ctrl-C stops it", timeout=300)  # type: ignore[arg-type]
        status = get_status(port, "/admin/login/", deadline=time.monotonic() + 60)
    finally:
        demo.send_signal(signal.SIGTERM)
        rest, _ = demo.communicate(timeout=60)

    assert_login_table(output)
    assert status in {200, 302}
    assert demo.returncode == 0, output + rest
    assert "Demo stopped." in rest
    assert "worker stopped" in rest
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # the web server is gone
