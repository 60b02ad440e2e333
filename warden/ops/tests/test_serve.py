"""``warden serve`` for real: gunicorn in a subprocess on a migrated, temporary SQLite file."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from warden.ops.conf import MAX_DEFAULT_WEB_WORKERS, default_web_workers
from warden.ops.web import WardenWeb, gunicorn_options

PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(data_dir: Path) -> dict[str, str]:
    base = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    return {
        **base,
        "WARDEN_DATA_DIR": str(data_dir),
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "serve-test-" + "x" * 40,
    }


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


def test_the_default_worker_count_follows_the_cores_and_is_capped():
    assert 3 <= default_web_workers() <= MAX_DEFAULT_WEB_WORKERS


def test_the_access_log_leaves_out_query_strings_and_referrers():
    options = WardenWeb(gunicorn_options(bind="127.0.0.1:0", workers=1)).cfg

    assert "%(U)s" in options.access_log_format
    assert "%(r)s" not in options.access_log_format
    assert "%(f)s" not in options.access_log_format
    assert options.workers == 1


@pytest.mark.slow
def test_warden_serve_answers_and_stops_on_sigterm(tmp_path: Path):
    env = environment(tmp_path)
    warden = [sys.executable, "-m", "warden"]
    subprocess.run(
        [*warden, "migrate", "--verbosity", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
        timeout=300,
    )
    port = free_port()
    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [*warden, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        cwd=settings.BASE_DIR,
        stdout=log,
        stderr=log,
    )
    try:
        status = get_status(port, "/admin/login/?token=secret", deadline=time.monotonic() + 60)
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=60)

    log.seek(0)
    output = log.read()
    assert status in {200, 302}, output
    assert code == 0, output
    assert '"GET /admin/login/ HTTP/1.1"' in output
    assert "token=" not in output
