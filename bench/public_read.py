#!/usr/bin/env python3
"""Public read benchmark: the Turkey API document and page under load, next to the ceiling.

Loads the demo scenario into a throw-away SQLite database, renders the public snapshots,
starts Django (gunicorn, WSGI) and nginx on loopback, and drives each target with wrk from a
second process. The ceiling is nginx serving a static file of the same size in the same run.

    python bench/public_read.py [--duration 10] [--connections 32]

Needs nginx and wrk (Debian packages); installs nothing itself.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARDEN = [sys.executable, "-m", "warden"]

NGINX_CONF = """
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {{
        listen 127.0.0.1:{port};
        root {snapshots};
        etag on;
        location /cap/ {{
            types {{ application/cap+xml xml; }}
            try_files $uri @django;
        }}
        location = /ceiling.json {{
            root {tmp};
            add_header Cache-Control "public, max-age=60";
        }}
        location / {{
            error_page 418 = @django;
            if ($args) {{ return 418; }}
            add_header Cache-Control "public, max-age=60, s-maxage=60, stale-while-revalidate=10";
            try_files $uri $uri/index.html $uri/index.json @django;
        }}
        location @django {{
            proxy_pass http://127.0.0.1:{django_port};
            proxy_set_header Host $host;
        }}
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


@dataclass
class Result:
    name: str
    rps: float
    p99_ms: float
    non_2xx: int


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(name: str, url: str, args: argparse.Namespace, headers: list[str] = ()) -> Result:
    cmd = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = to_ms(re.search(r"99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return Result(name, rps, p99, int(bad.group(1)) if bad else 0)


def etag_of(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return str(response.headers["ETag"])


def prepare(tmp: Path, env: dict[str, str]) -> None:
    run = {"env": env, "check": True, "cwd": ROOT, "stdout": subprocess.DEVNULL}
    subprocess.run([*WARDEN, "migrate", "--noinput"], **run)  # type: ignore[call-overload]
    subprocess.run(
        [
            *WARDEN,
            "shell",
            "-c",  # type: ignore[call-overload]
            "from warden.demo.scenario import load; load()",
        ],
        **run,
    )
    subprocess.run([*WARDEN, "snapshots"], **run)  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    for tool in ("nginx", "wrk"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is needed: apt-get install nginx wrk")
    tmp = Path(tempfile.mkdtemp(prefix="warden-bench-"))
    tmp.chmod(0o755)  # nginx's workers run as an unprivileged user
    django_port, nginx_port = free_port(), free_port()
    env = os.environ | {
        "WARDEN_DATA_DIR": str(tmp),
        "SQLITE_PATH": str(tmp / "bench.sqlite3"),
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SNAPSHOT_DIR": str(tmp / "public"),
        "SITE_URL": f"http://127.0.0.1:{nginx_port}",
        "EMAIL_URL": "locmem:",
        "WEB_BIND": f"127.0.0.1:{django_port}",
        "WEB_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
    }
    print(f"preparing demo data and snapshots in {tmp} ...", flush=True)
    prepare(tmp, env)
    api_file = tmp / "public" / "api" / "v1" / "countries" / "TR" / "index.json"
    (tmp / "ceiling.json").write_bytes(b"x" * api_file.stat().st_size)
    (tmp / "nginx.conf").write_text(
        NGINX_CONF.format(
            tmp=tmp, port=nginx_port, django_port=django_port, snapshots=tmp / "public"
        )
    )
    procs = [
        subprocess.Popen(
            [*WARDEN, "serve"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(["nginx", "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]),
    ]
    try:
        base, django = f"http://127.0.0.1:{nginx_port}", f"http://127.0.0.1:{django_port}"
        wait_for(f"{django}/api/v1/countries/TR")
        wait_for(f"{base}/ceiling.json")
        report(args, base, django, api_file.stat().st_size)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def report(args: argparse.Namespace, base: str, django: str, size: int) -> None:
    api, page = f"{base}/api/v1/countries/TR", f"{base}/countries/TR/"
    ceiling = wrk("nginx static file (ceiling)", f"{base}/ceiling.json", args)
    ceiling_304 = wrk(
        "nginx static file, conditional (ceiling)",
        f"{base}/ceiling.json",
        args,
        [f"If-None-Match: {etag_of(base + '/ceiling.json')}"],
    )
    results = [
        (wrk("API /countries/TR (snapshot)", api, args), ceiling),
        (
            wrk(
                "API /countries/TR, conditional (snapshot)",
                api,
                args,
                [f"If-None-Match: {etag_of(api)}"],
            ),
            ceiling_304,
        ),
        (wrk("Turkey page (snapshot)", page, args), ceiling),
        (
            wrk("API /countries/TR (Django per request)", f"{django}/api/v1/countries/TR", args),
            ceiling,
        ),
    ]
    print(f"\n{args.connections} connections, {args.duration} s each, body {size} bytes\n")
    print(f"{'target':48} {'req/s':>10} {'p99 ms':>8} {'ratio':>7} {'non-2xx/3xx':>11}")
    for line in (ceiling, ceiling_304):
        print(f"{line.name:48} {line.rps:10.0f} {line.p99_ms:8.2f} {'1.00':>7} {line.non_2xx:11}")
    for result, ref in results:
        ratio = result.rps / ref.rps
        print(
            f"{result.name:48} {result.rps:10.0f} {result.p99_ms:8.2f} {ratio:7.2f} "
            f"{result.non_2xx:11}"
        )
    conditional = results[1][0]
    ok = conditional.rps / ceiling_304.rps >= 0.5 and conditional.p99_ms < 50
    print(
        f"\ntarget (conditional JSON >= 50% of ceiling, p99 < 50 ms): {'met' if ok else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
