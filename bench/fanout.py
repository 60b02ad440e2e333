#!/usr/bin/env python3
"""Fan-out benchmark: one level 4 publication to everyone in a country, next to the ceilings.

Seeds N people present in Turkey (``warden.people.seeding``; each given exactly one verified
email address, so N people make N email deliveries), then measures in one run:

- creating the deliveries: the real expansion (``expand.expand_page`` until done), against a
  raw ``bulk_insert`` of the same rows into the same table in one transaction;
- handing them off over SMTP: ``warden worker`` processes until every delivery is sent,
  against a raw aiosmtplib client sending pre-built messages to the same sink with the same
  connections (ALERT_CONCURRENCY per process, as many processes as workers). Warden's time
  runs from the first attempt to the last delivery recorded sent (workers are up before a
  publication in production); the time counting the worker processes' start is shown too;
- handing off webhooks (a smaller audience given webhook contact points at a local aiohttp
  sink), against a raw aiohttp client posting pre-built signed bodies. One worker in burst
  mode first finishes the email publication's check-in round, so that the webhook figures
  are not those of that round's tail;
- per-delivery latency: sent_at minus the message's creation (the publication);
- the CPU a delivery costs: Warden's workers (less their start, measured alone first) and
  the PostgreSQL server's processes on this machine, against the raw client's. On a shared
  machine the wall-clock shares move by +-20 % from run to run; these move much less and
  say who spends the time;
- the peer: django-post-office queueing the same N emails and sending them to the same sink;
- with ``--floor`` (PostgreSQL), the floor of this design for webhooks: the scratch database
  loses every index and key that sending does not read (``floor_schema``) and the same
  webhooks are sent again in batches of 1,000, against the raw client again. Left are the
  writes the design makes for each delivery at the least (the claim's row version, the
  recording's, the attempt), so the share measured then bounds what tuning can reach.

The SMTP sink is Postfix's ``smtp-sink`` when installed (``apt-get install postfix``), else
aiosmtpd in this process. Targets: creation at >= 50 % of the raw insert, hand-off at
>= 70 % of the raw client, 1,000,000 deliveries handed off in under 10 minutes.

    python bench/fanout.py [--people 100000 | --million] [--workers 2] [--skip-peer]
                           [--postgres | --database-url postgres://user@host:port/any]
                           [--floor]

Default: a fresh SQLite file in a temporary directory. ``--postgres`` starts a throw-away
PostgreSQL cluster (durable defaults) on 127.0.0.1 and stops it afterwards;
``--database-url`` (or DATABASE_URL) names a server on which a fresh database is created and
dropped. The worker settings (ALERT_BATCH, ALERT_CONCURRENCY...) come from the environment.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SMTP_SINK = "/usr/sbin/smtp-sink"
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
SENDER = "warden@localhost"
SAMPLE = 1000  # distinct pre-built messages the raw clients cycle through
PEER_CHUNK = 2000
WEBHOOKS_MAX = 100_000  # the default webhook audience: --people, up to this
FLOOR_BATCH = 1000  # --floor: the larger batch, the cheaper a webhook (decisions/0006)


# --- Infrastructure: database, sinks ---------------------------------------------------


def free_port(start: int = 0) -> int:
    for port in range(start, start + 100) if start else [0]:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port")


class Cluster:
    """A throw-away PostgreSQL cluster, as scripts/test.sh starts one (durability kept on)."""

    def __init__(self) -> None:
        found = sorted(Path("/").glob(PG_BIN_GLOB.lstrip("/")))
        if not found:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin = found[-1]
        # A directory of its own: the server's user must reach it.
        self.dir = Path(tempfile.mkdtemp(prefix="warden-fanout-pg-"))
        self.port = free_port(54339)

    def _as_postgres(self, *command: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else [*command]

    def start(self) -> str:
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        data = str(self.dir / "data")
        subprocess.run(
            self._as_postgres(
                str(self.bin / "initdb"),
                f"--pgdata={data}",
                "--username=postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir}"
        subprocess.run(
            self._as_postgres(
                str(self.bin / "pg_ctl"),
                f"--pgdata={data}",
                f"--log={self.dir}/server.log",
                "--wait",
                f"--options={options}",
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [
                str(self.bin / "psql"),
                "-q",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                "CREATE ROLE warden LOGIN CREATEDB",
            ],
            check=True,
        )
        return f"postgres://warden@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        subprocess.run(
            self._as_postgres(
                str(self.bin / "pg_ctl"),
                f"--pgdata={self.dir / 'data'}",
                "--mode=fast",
                "--wait",
                "stop",
            ),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A fresh database on the server of ``server_url``, dropped afterwards."""
    import psycopg

    parts = urlsplit(server_url)
    name = f"warden_fanout_{os.getpid()}"
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        from django.db import connections

        connections.close_all()
        try:
            with psycopg.connect(
                admin.replace("postgres://", "postgresql://", 1), autocommit=True
            ) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except psycopg.Error as exc:
            print(f"  could not drop the scratch database {name}: {exc}", file=sys.stderr)


class SmtpSink:
    """Postfix's smtp-sink in a subprocess, or aiosmtpd in a thread; counts messages."""

    def __init__(self, tmp: Path) -> None:
        self.port = free_port()
        self.log = tmp / "smtp-sink.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.controller: Any = None
        self.received = 0
        self.name = ""

    def start(self) -> SmtpSink:
        if Path(SMTP_SINK).exists():
            user = ["-u", "nobody"] if os.geteuid() == 0 else []
            with self.log.open("wb") as out:
                # Unbuffered, so that its running count ("msg=N") can be read at any time.
                command = [SMTP_SINK, *user, "-c", f"127.0.0.1:{self.port}", "1024"]
                unbuffered = ["stdbuf", "-o0"] if shutil.which("stdbuf") else []
                self.process = subprocess.Popen([*unbuffered, *command], stdout=out)
            self.name = "Postfix smtp-sink"
        else:
            from aiosmtpd.controller import Controller

            sink = self

            class Handler:
                async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                    sink.received += 1
                    return "250 OK"

            self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
            self.controller.start()
            self.name = "aiosmtpd (smtp-sink not installed)"
        _wait_for_port(self.port)
        return self

    def count(self) -> int:
        if self.process is None:
            return self.received
        found = re.findall(rb"mesg=(\d+)", self.log.read_bytes()[-200:])
        return int(found[-1]) if found else 0

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if self.controller is not None:
            self.controller.stop()


class WebhookSink:
    """An aiohttp server in a thread that answers every POST with 204 and counts them."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: Any = None

    def start(self) -> WebhookSink:
        from aiohttp import web

        async def hook(request: web.Request) -> web.Response:
            await request.read()
            self.received += 1
            return web.Response(status=204)

        async def serve() -> None:
            app = web.Application()
            app.router.add_post("/hook/{n}", hook)
            self.runner = web.AppRunner(app, access_log=None)
            await self.runner.setup()
            await web.TCPSite(self.runner, "127.0.0.1", self.port, backlog=1024).start()

        self.thread.start()
        asyncio.run_coroutine_threadsafe(serve(), self.loop).result(timeout=10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


def _wait_for_port(port: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


# --- CPU: where the time goes -----------------------------------------------------------
# The machine is shared and wall-clock shares move by +-20 % from run to run; the CPU each
# delivery costs moves much less, and says who spends it.


def children_cpu() -> float:
    """CPU seconds of this process's finished children (workers, raw clients)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def postgres_cpu() -> float:
    """CPU seconds of the PostgreSQL server's processes on this machine, the finished
    ones too (through the postmaster's children); 0 without a local server."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            text = stat.read_text()
            if "(postgres)" not in text:
                continue
            fields = text.rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
            parent = Path(f"/proc/{fields[1]}/stat")
            if not parent.exists() or "(postgres)" not in parent.read_text():
                ticks += int(fields[13]) + int(fields[14])  # the postmaster's children
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Cpu:
    """CPU seconds spent inside ``measure()`` blocks: the bench's children (workers, raw
    clients) and the PostgreSQL server."""

    children: float = 0.0
    postgres: float = 0.0

    @contextlib.contextmanager
    def measure(self) -> Iterator[None]:
        children, postgres = children_cpu(), postgres_cpu()
        yield
        self.children += children_cpu() - children
        self.postgres += postgres_cpu() - postgres


# --- Raw clients (the hand-off ceilings), run in forked processes ------------------------


def _in_processes(count: int, target: Callable[..., int], *args: Any) -> tuple[float, int]:
    """Run ``target(share, *args)`` in ``count`` forked processes; (seconds, total done)."""
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    total = args[0]
    shares = [total // count + (1 if i < total % count else 0) for i in range(count)]

    def run(share: int) -> None:
        results.put(target(share, *args[1:]))

    started = time.perf_counter()
    processes = [context.Process(target=run, args=(share,)) for share in shares]
    for process in processes:
        process.start()
    done = sum(results.get() for _ in processes)
    for process in processes:
        process.join()
    return time.perf_counter() - started, done


def blast_smtp(share: int, port: int, messages: Sequence[tuple[str, bytes]], conns: int) -> int:
    import aiosmtplib

    counter = itertools.count()

    async def connection() -> int:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30)
        await client.connect()
        sent = 0
        while (index := next(counter)) < share:
            to, raw = messages[index % len(messages)]
            await client.sendmail(SENDER, [to], raw)
            sent += 1
        await client.quit()
        return sent

    async def main() -> int:
        return sum(await asyncio.gather(*(connection() for _ in range(conns))))

    return asyncio.run(main())


def blast_webhooks(
    share: int, port: int, bodies: Sequence[tuple[bytes, dict[str, str]]], conns: int
) -> int:
    import aiohttp

    counter = itertools.count()

    async def poster(session: aiohttp.ClientSession) -> int:
        sent = 0
        while (index := next(counter)) < share:
            body, headers = bodies[index % len(bodies)]
            url = f"http://127.0.0.1:{port}/hook/{index}"
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                sent += response.status < 300
        return sent

    async def main() -> int:
        connector = aiohttp.TCPConnector(limit=conns)
        async with aiohttp.ClientSession(connector=connector) as session:
            return sum(await asyncio.gather(*(poster(session) for _ in range(conns))))

    return asyncio.run(main())


# --- Measurements (after django.setup) -------------------------------------------------


@dataclass
class Figures:
    vendor: str = ""
    people: int = 0
    seed_s: float = 0.0
    workers: int = 0
    batch: int = 0
    concurrency: int = 0
    sink: str = ""
    deliveries: int = 0
    expand_s: float = 0.0
    insert_s: float = 0.0
    handoff_s: float = 0.0
    handoff_wall_s: float = 0.0
    blaster_s: float = 0.0
    sink_count: int = 0
    blaster_count: int = 0
    publish_to_last_s: float = 0.0
    latency: tuple[float, float, float] = (0.0, 0.0, 0.0)
    states: dict[str, int] = field(default_factory=dict)
    settle_s: float = 0.0
    hooks: int = 0
    hook_expand_s: float = 0.0
    hook_handoff_s: float = 0.0
    hook_handoff_wall_s: float = 0.0
    hook_blaster_s: float = 0.0
    hook_received: int = 0
    hook_latency: tuple[float, float, float] = (0.0, 0.0, 0.0)
    floor_dropped: list[str] = field(default_factory=list)
    floor_handoff_s: float = 0.0
    floor_blaster_s: float = 0.0
    floor_received: int = 0
    worker_start_cpu: float = 0.0  # one worker's start, alone, in CPU seconds
    cpu: dict[str, Cpu] = field(default_factory=dict)  # email, email raw, webhook, ...
    peer_enqueue_s: float = 0.0
    peer_send_s: float = 0.0
    peer_sent: int = 0
    peer_sink_count: int = 0


def step(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def seed(people: int) -> float:
    """N people present in Turkey, each with exactly one verified email address."""
    from django.db import connection, transaction
    from django.utils import timezone

    from warden.lib.bulk import bulk_insert, db_moment
    from warden.people import crypto
    from warden.people.fields import purpose_of
    from warden.people.models import ContactPoint, Person
    from warden.people.seeding import CONTACT_COLUMNS, seed_people

    started = time.perf_counter()
    seed_people(count=people, seed=42, weights={"TR": 1.0}, present=True)
    now = db_moment(timezone.now())
    with transaction.atomic():
        ContactPoint.objects.filter(channel="email").exclude(state="verified").update(
            state="verified", verification_method="synthetic", verified_at=timezone.now()
        )
        without = Person.objects.exclude(contact_points__channel="email").values_list(
            "pk", flat=True
        )
        ring, purpose = crypto.keyring(), purpose_of(ContactPoint, "value")
        rows = []
        for pk in without.iterator():
            address = f"person{pk}@example.org"
            lookup = crypto.blind_index(f"email:{address}")
            rows.append(
                (
                    pk,
                    "email",
                    ring.encrypt(address, purpose=purpose),
                    lookup,
                    3,
                    "verified",
                    "synthetic",
                    now,
                    now,
                    now,
                )
            )
        bulk_insert(ContactPoint._meta.db_table, CONTACT_COLUMNS, rows)
    analyze(connection)
    return time.perf_counter() - started


def analyze(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def staff() -> tuple[Any, Any]:
    """An analyst and an approver of a default authority, to publish with."""
    from warden.accounts.roles import Role
    from warden.advisories.services import authority_create
    from warden.test import make_staff

    admin = make_staff("bench-admin", Role.ADMINISTRATOR)
    authority_create(
        acting_user=admin,
        slug="bench",
        name="Bench authority",
        sender="bench",
        preset="israel-nsc",
        is_default=True,
    )
    return make_staff("bench-analyst", Role.ANALYST), make_staff("bench-approver", Role.APPROVER)


def raw_insert(author: Any) -> tuple[float, int]:
    """The ceiling of creation: the same rows in one ``bulk_insert``, then removed."""
    from django.db import connection, transaction
    from django.utils import timezone

    from warden.alerting.expand import COLUMNS
    from warden.alerting.models import Delivery, Message
    from warden.alerting.services import MessageText, message_create
    from warden.geo.models import Country
    from warden.lib.bulk import bulk_insert, db_moment
    from warden.people.selectors import audience

    turkey = Country.objects.get(pk="TR")
    scratch = message_create(
        acting_user=author,
        kind="notice",
        area=turkey,
        texts={"en": MessageText("Ceiling", "Not sent.")},
    )
    Message.objects.filter(pk=scratch.pk).update(state=Message.State.CANCELLED)
    now = db_moment(timezone.now())
    base = Message.Priority.URGENT * 10
    rows = [
        (
            scratch.pk,
            c.contact_point_id,
            c.person_id,
            c.channel,
            c.language,
            base + min(max(c.priority, 1) - 1, 9),
            "queued",
            0,
            now,
            "",
            "",
            "",
            "",
        )
        for c in audience(turkey, timezone.now(), channels=["email"])
    ]
    started = time.perf_counter()
    with transaction.atomic():
        written = bulk_insert(Delivery._meta.db_table, COLUMNS, rows)
    seconds = time.perf_counter() - started
    Delivery.objects.filter(message=scratch).delete()
    analyze(connection)
    return seconds, written


def expand_all() -> float:
    from warden.alerting import expand

    started = time.perf_counter()
    while expand.expand_page():
        pass
    return time.perf_counter() - started


def run_workers(count: int, tmp: Path, **env: str) -> float:
    """``warden worker`` in ``count`` processes, as deployed, until no delivery is queued
    or in flight (the bench sends one message at a time); then SIGTERM. Returns the
    seconds from starting the processes to the moment that was seen."""
    from django.db import connections

    from warden.alerting import queue

    connections.close_all()
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "warden.settings", **env}
    logs = [(tmp / f"worker-{i}.log").open("ab") for i in range(count)]
    started = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "warden", "worker"],
            env=full,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    # The worker's own probe of the queue: a filter by message was a scan of the table,
    # taking a share of the CPU being measured.
    while any(queue.pending()) and all(worker.poll() is None for worker in workers):
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    codes = [worker.wait(timeout=120) for worker in workers]
    for log in logs:
        log.close()
    if any(codes):
        print(f"  worker exit codes {codes}; see {tmp}/worker-*.log", file=sys.stderr)
    return seconds


def sending_window(message: Any) -> float:
    """Seconds from the first attempt's start to the last delivery recorded as sent: the
    hand-off by workers that are running, as they are when a publication happens in
    production. ``run_workers`` also times the processes' start (Python, Django, system
    checks), which the raw clients, forked from this process, do not pay; both are shown."""
    from django.db.models import Max, Min

    from warden.alerting.models import Attempt, Delivery

    first = Attempt.objects.filter(delivery__message=message).aggregate(at=Min("started_at"))
    last = Delivery.objects.filter(message=message).aggregate(at=Max("sent_at"))
    if first["at"] is None or last["at"] is None:
        return 0.0
    return float((last["at"] - first["at"]).total_seconds())


def latency(message: Any) -> tuple[float, float, float]:
    from warden.alerting.models import Delivery

    sent = Delivery.objects.filter(message=message, sent_at__isnull=False)
    values = sorted(
        (at - message.created_at).total_seconds()
        for at in sent.values_list("sent_at", flat=True).iterator(chunk_size=20000)
    )
    if not values:
        return (0.0, 0.0, 0.0)
    return (values[len(values) // 2], values[int(len(values) * 0.95)], values[-1])


def samples(message: Any, channel: str, limit: int) -> list[Any]:
    """Rendered ``Outgoing`` of the message's first deliveries (what the raw clients send)."""
    from warden.alerting import queue
    from warden.alerting.models import Delivery
    from warden.alerting.render import Recipient, Renderer

    ids = list(
        Delivery.objects.filter(message=message, channel=channel)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    renderer = Renderer(message)
    return [
        renderer.outgoing(Recipient(c.delivery_id, c.channel, c.language, c.address, c.name))
        for c in queue.load(ids)
    ]


def raw_client(
    figures: Figures,
    kind: str,
    target: Callable[..., int],
    count: int,
    port: int,
    payloads: Sequence[Any],
) -> tuple[float, int]:
    """The raw client ``target`` sending ``count`` of ``payloads`` to ``port``, in as many
    processes as workers, each with ALERT_CONCURRENCY connections; its CPU is counted as
    ``kind``. Returns (seconds, how many were taken)."""
    with figures.cpu.setdefault(kind, Cpu()).measure():
        return _in_processes(figures.workers, target, count, port, payloads, figures.concurrency)


def measure_email(figures: Figures, sink: SmtpSink, tmp: Path, author: Any, approver: Any) -> Any:
    from django.db.models import Count, Max

    from warden.alerting.models import Delivery, Message
    from warden.alerting.transports.email import build_email
    from warden.geo.models import Country
    from warden.test import publish

    step("raw insert ceiling")
    figures.insert_s, ceiling_rows = raw_insert(author)
    step("publishing level 4 and expanding")
    edition = publish(Country.objects.get(pk="TR"), 4, author=author, approver=approver)
    message = Message.objects.get(edition=edition)
    figures.expand_s = expand_all()
    figures.deliveries = Delivery.objects.filter(message=message).count()
    assert figures.deliveries == ceiling_rows, (figures.deliveries, ceiling_rows)
    step(f"handing off {figures.deliveries:,} emails with {figures.workers} workers")
    before = sink.count()
    with figures.cpu.setdefault("email", Cpu()).measure():
        figures.handoff_wall_s = run_workers(figures.workers, tmp)
    figures.handoff_s = sending_window(message)
    figures.sink_count = sink.count() - before
    deliveries = Delivery.objects.filter(message=message)
    figures.states = dict(deliveries.values_list("state").annotate(n=Count("id")))
    # Max, not the first of an order: PostgreSQL puts a failed delivery's NULL first.
    last = deliveries.aggregate(last=Max("sent_at"))["last"]
    figures.publish_to_last_s = (last - message.created_at).total_seconds() if last else 0.0
    figures.latency = latency(message)
    step("raw SMTP client")
    prebuilt = [
        (out.address, build_email(out).as_bytes()) for out in samples(message, "email", SAMPLE)
    ]
    before = sink.count()
    figures.blaster_s, sent = raw_client(
        figures, "email raw", blast_smtp, figures.deliveries, sink.port, prebuilt
    )
    figures.blaster_count = sink.count() - before
    assert sent == figures.deliveries, (sent, figures.deliveries)
    return message


def settle(tmp: Path) -> float:
    """``warden worker --burst`` until the email publication's other work is done (its
    check-in round: the members created, then marked reached from the deliveries), so
    that the webhook figures measure webhooks and not that round's tail, which grows with
    the number of people (at 100,000 it took a third of the webhook hand-off's time)."""
    from django.db import connections

    connections.close_all()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "warden.settings"}
    started = time.perf_counter()
    with (tmp / "settle.log").open("ab") as log:
        code = subprocess.run(
            [sys.executable, "-m", "warden", "worker", "--burst"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    if code:
        print(f"  settling worker exit code {code}; see {tmp}/settle.log", file=sys.stderr)
    return time.perf_counter() - started


def measure_webhooks(figures: Figures, hooks: int, tmp: Path, author: Any, floor: bool) -> None:
    from django.utils import timezone

    from warden.people import crypto
    from warden.people.models import ContactPoint, Person

    sink = WebhookSink().start()
    try:
        ids = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:hooks])
        now = timezone.now()
        # Bench only: webhook contact points are https when registered; the sink is plain http.
        ContactPoint.objects.bulk_create(
            [
                ContactPoint(
                    person_id=pk,
                    channel="webhook",
                    priority=4,
                    state="verified",
                    value=f"http://127.0.0.1:{sink.port}/hook/{pk}",
                    lookup=crypto.blind_index(f"webhook:{pk}"),
                    verification_method="synthetic",
                    verified_at=now,
                    consent_at=now,
                )
                for pk in ids
            ],
            batch_size=2000,
        )
        figures.hooks, figures.hook_expand_s, message = webhook_message(ids, author)
        step(f"handing off {figures.hooks:,} webhooks with {figures.workers} workers")
        (
            figures.hook_handoff_s,
            figures.hook_handoff_wall_s,
            figures.hook_received,
            figures.hook_blaster_s,
        ) = hand_off_webhooks(figures, "webhook", message, sink, tmp)
        figures.hook_latency = latency(message)
        if floor:
            figures.floor_dropped = floor_schema()
            _count, _seconds, message = webhook_message(ids, author)
            step(f"the floor: {figures.hooks:,} webhooks again, ALERT_BATCH={FLOOR_BATCH}")
            (
                figures.floor_handoff_s,
                _wall,
                figures.floor_received,
                figures.floor_blaster_s,
            ) = hand_off_webhooks(
                figures, "webhook floor", message, sink, tmp, ALERT_BATCH=str(FLOOR_BATCH)
            )
    finally:
        sink.stop()


def webhook_message(ids: list[int], author: Any) -> tuple[int, float, Any]:
    """A notice to the people ``ids``, expanded: (its deliveries, seconds, the message)."""
    from django.conf import settings

    from warden.alerting.models import Delivery
    from warden.alerting.services import MessageText, message_create

    message = message_create(
        acting_user=author,
        kind="notice",
        people=ids,
        texts={"en": MessageText("Webhook fan-out", "Bench message.")},
    )
    settings.WARDEN_ALERT_EMAIL_URLS, settings.WARDEN_ALERT_WEBHOOK_URLS = [], ["direct:"]
    seconds = expand_all()
    return Delivery.objects.filter(message=message).count(), seconds, message


def hand_off_webhooks(
    figures: Figures, kind: str, message: Any, sink: WebhookSink, tmp: Path, **env: str
) -> tuple[float, float, int, float]:
    """``message``'s webhooks handed off by the workers, then the raw client sending as
    many; their CPU is counted as ``kind`` and ``kind raw``. Returns (Warden's sending
    window, the same counting the workers' start, what the sink received from Warden, the
    raw client's seconds)."""
    from django.utils import timezone

    from warden.alerting.models import Delivery
    from warden.alerting.transports.webhook import WebhookTransport

    count = Delivery.objects.filter(message=message).count()
    before = sink.received
    with figures.cpu.setdefault(kind, Cpu()).measure():
        wall = run_workers(figures.workers, tmp, WEBHOOK_URLS="direct:", **env)
    window = sending_window(message)
    received = sink.received - before
    step("raw HTTP client")
    now = timezone.now()
    signer = WebhookTransport("direct:", name="bench", timeout=20, concurrency=1).signer
    bodies = []
    for out in samples(message, "webhook", SAMPLE):
        body = out.body
        webhook_id = f"delivery_{out.delivery_id}"
        headers = {
            "Content-Type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": signer.sign(webhook_id, now, body),
        }
        bodies.append((body.encode(), headers))
    blaster, _sent = raw_client(figures, f"{kind} raw", blast_webhooks, count, sink.port, bodies)
    return window, wall, received, blaster


def floor_schema() -> list[str]:
    """Drop from the scratch database what sending does not read: every index of the
    deliveries but their key, the queue's (the claim) and the leases' (the sweep); the
    attempts' index; the attempts' key to their delivery. What is left is what this design
    writes for each webhook at the least: the claim's row version, the recording's, and an
    attempt row. The product needs what is dropped (the console's counts, a person's
    deliveries, receipts, one delivery per contact point, an attempt never outliving its
    delivery), so the hand-off measured after this is a floor, not a configuration.
    Returns the names dropped."""
    from django.db import connection
    from django.db.models import UniqueConstraint

    from warden.alerting.models import Attempt, Delivery

    kept = {"delivery_queue", "delivery_leases"}
    statements = [
        (index.name, f"DROP INDEX {connection.ops.quote_name(index.name)}")
        for model in (Delivery, Attempt)
        for index in model._meta.indexes
        if index.name not in kept
    ]
    for model in (Delivery, Attempt):
        table = connection.ops.quote_name(model._meta.db_table)
        unique = [c for c in model._meta.constraints if isinstance(c, UniqueConstraint)]
        statements += [
            (c.name, f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(c.name)}")
            for c in unique
        ]
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Attempt._meta.db_table)
        table = connection.ops.quote_name(Attempt._meta.db_table)
        statements += [
            (name, f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, info in constraints.items()
            if info["foreign_key"] == (Delivery._meta.db_table, "id")
        ]
        for _name, sql in statements:
            cursor.execute(sql)
    analyze(connection)
    return [name for name, _sql in statements]


def measure_peer(figures: Figures, message: Any, sink: SmtpSink, tmp: Path) -> None:
    """django-post-office: queue the same emails (send_many), then send them all."""
    from django.db import connections
    from post_office import mail
    from post_office.models import STATUS, Email

    logging.getLogger("post_office").setLevel(logging.WARNING)

    from warden.alerting.models import Delivery
    from warden.alerting.transports.email import DELIVERY_HEADER

    step(f"django-post-office: queueing {figures.deliveries:,} emails")
    last = 0
    while True:
        ids = list(
            Delivery.objects.filter(message=message, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:PEER_CHUNK]
        )
        if not ids:
            break
        last = ids[-1]
        batch = [
            {
                "recipients": [out.address],
                "sender": SENDER,
                "subject": out.subject,
                "message": out.text,
                "html_message": out.html,
                "headers": {DELIVERY_HEADER: str(out.delivery_id)},
                "priority": "high",
            }
            for out in samples_of(message, ids)
        ]
        started = time.perf_counter()
        mail.send_many(batch)
        figures.peer_enqueue_s += time.perf_counter() - started
    step(f"django-post-office: sending with {figures.workers} processes")
    connections.close_all()
    before = sink.count()
    started = time.perf_counter()
    mail.send_queued_mail_until_done(lockfile=str(tmp / "post_office"), processes=figures.workers)
    figures.peer_send_s = time.perf_counter() - started
    figures.peer_sink_count = sink.count() - before
    figures.peer_sent = Email.objects.filter(status=STATUS.sent).count()


def samples_of(message: Any, ids: list[int]) -> list[Any]:
    from warden.alerting import queue
    from warden.alerting.render import Recipient, Renderer

    renderer = Renderer(message)
    return [
        renderer.outgoing(Recipient(c.delivery_id, c.channel, c.language, c.address, c.name))
        for c in queue.load(ids)
    ]


def measure(args: argparse.Namespace, tmp: Path, sink: SmtpSink) -> Figures:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    translation.activate("en")
    call_command("migrate", verbosity=0)
    figures = Figures(
        vendor=connection.vendor,
        people=args.people,
        workers=args.workers,
        batch=settings.WARDEN_ALERT_BATCH,
        sink=sink.name,
        concurrency=settings.WARDEN_ALERT_CONCURRENCY,
    )
    step(f"seeding {args.people:,} people on {connection.vendor}")
    figures.seed_s = seed(args.people)
    author, approver = staff()
    step("one worker's start, alone, with nothing to send")
    with figures.cpu.setdefault("start", Cpu()).measure():
        settle(tmp)
    figures.worker_start_cpu = figures.cpu["start"].children
    message = measure_email(figures, sink, tmp, author, approver)
    if args.webhooks:
        step("letting the workers finish the publication's check-in round")
        figures.settle_s = settle(tmp)
        measure_webhooks(figures, min(args.webhooks, args.people), tmp, author, args.floor)
    report(figures)
    if not args.skip_peer:
        measure_peer(figures, message, sink, tmp)
    return figures


# --- Report ----------------------------------------------------------------------------


def _row(name: str, ours: float, ceiling: float, target: str, unit: str = "s") -> str:
    share = f"{ceiling / ours:6.0%}" if ours and ceiling else "     -"
    return f"  {name:34}{ours:>10.1f} {unit}{ceiling:>10.1f} {unit}  {share}   {target}"


def report(f: Figures) -> None:
    print(
        f"\nfan-out on {f.vendor}: {f.people:,} people in Turkey seeded in {f.seed_s:.1f} s; "
        f"{f.deliveries:,} email deliveries; sink: {f.sink}"
    )
    print(
        f"  {f.workers} worker processes, ALERT_BATCH={f.batch}, "
        f"ALERT_CONCURRENCY={f.concurrency} connections per process"
    )
    print(f"  {'':34}{'warden':>12}{'ceiling':>12}  {'share':>6}   target")
    print(_row("create deliveries (vs raw insert)", f.expand_s, f.insert_s, ">= 50 %"))
    print(_row("hand off by SMTP (vs raw client)", f.handoff_s, f.blaster_s, ">= 70 %"))
    print(_row("  counting the workers' start", f.handoff_wall_s, f.blaster_s, ""))
    rate = f.deliveries / f.handoff_s if f.handoff_s else 0
    ceiling_rate = f.deliveries / f.blaster_s if f.blaster_s else 0
    print(f"  {'  deliveries per second':34}{rate:>12,.0f}{ceiling_rate:>12,.0f}")
    print(
        f"  states after hand-off: {f.states}; the sink counted {f.sink_count:,} "
        f"(raw client: {f.blaster_count:,})"
    )
    p50, p95, top = f.latency
    print(f"  latency, publication to hand-off: p50 {p50:.1f} s, p95 {p95:.1f} s, max {top:.1f} s")
    print(
        f"  publication to last hand-off: {f.publish_to_last_s:.1f} s "
        f"(create {f.expand_s:.1f} s + hand off {f.handoff_s:.1f} s)"
    )
    if f.deliveries:
        million = f.publish_to_last_s / f.deliveries * 1_000_000
        print(f"  at this rate 1,000,000 deliveries take {million / 60:.1f} min (target < 10 min)")
    _cpu_row(f, "email", f.deliveries)
    if f.settle_s:
        print(f"  then the check-in round, finished by one worker: {f.settle_s:.1f} s")
    if f.hooks:
        print(_row(f"webhooks: create {f.hooks:,}", f.hook_expand_s, 0.0, ""))
        print(
            _row(
                "webhooks: hand off (vs raw client)", f.hook_handoff_s, f.hook_blaster_s, ">= 70 %"
            )
        )
        print(_row("  counting the workers' start", f.hook_handoff_wall_s, f.hook_blaster_s, ""))
        p50, p95, top = f.hook_latency
        print(
            f"  webhook sink received {f.hook_received:,}; latency p50 {p50:.1f} s, "
            f"p95 {p95:.1f} s, max {top:.1f} s"
        )
        _cpu_row(f, "webhook", f.hooks)
    if f.floor_handoff_s:
        print(
            _row(
                "  floor of this design (see --floor)",
                f.floor_handoff_s,
                f.floor_blaster_s,
                ">= 70 %",
            )
        )
        print(
            f"    ALERT_BATCH={FLOOR_BATCH}; the sink received {f.floor_received:,}; "
            f"dropped: {', '.join(f.floor_dropped)}"
        )
        _cpu_row(f, "webhook floor", f.hooks)


def _cpu_row(f: Figures, kind: str, count: int) -> None:
    """CPU a delivery: Warden's workers (less their start, measured alone) and PostgreSQL's
    server (every process of it, whatever else it did meanwhile), against the raw client."""
    ours, raw = f.cpu.get(kind), f.cpu.get(f"{kind} raw")
    if not (ours and raw and count):
        return
    micro = 1e6 / count
    workers = max(0.0, ours.children - f.workers * f.worker_start_cpu) * micro
    database = ours.postgres * micro
    print(
        f"  CPU a delivery: workers {workers:.0f} us (after their start, "
        f"{f.worker_start_cpu:.1f} s each) + PostgreSQL {database:.0f} us = "
        f"{workers + database:.0f} us; raw client {raw.children * micro:.0f} us"
    )


def report_peer(f: Figures) -> None:
    if f.peer_send_s:
        total = f.peer_enqueue_s + f.peer_send_s
        ours = f.expand_s + f.handoff_s
        print(
            f"  peer django-post-office, {f.peer_sent:,} sent (sink counted {f.peer_sink_count:,}):"
        )
        print(
            f"    queue {f.peer_enqueue_s:.1f} s (warden creates in {f.expand_s:.1f} s), "
            f"send {f.peer_send_s:.1f} s (warden {f.handoff_s:.1f} s), "
            f"total {total:.1f} s = {total / ours:.1f}x warden's {ours:.1f} s"
        )


# --- Main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="1,000,000 people")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--webhooks",
        type=int,
        default=None,
        help="people given a webhook too, for the webhook hand-off (default: as many as "
        "--people, up to 100,000; 0: skip). Runs of 20,000 took about 2 s and their share "
        "moved by 15 points from run to run",
    )
    parser.add_argument(
        "--postgres", action="store_true", help="start a throw-away PostgreSQL cluster"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server to create a scratch database on",
    )
    parser.add_argument("--skip-peer", action="store_true", help="skip django-post-office")
    parser.add_argument(
        "--floor",
        action="store_true",
        help="PostgreSQL: after the webhooks, drop every index and key that sending does not "
        f"read and send them again in batches of {FLOOR_BATCH}, for the floor of this design",
    )
    args = parser.parse_args()
    if args.million:
        args.people = 1_000_000
    if args.webhooks is None:
        args.webhooks = min(args.people, WEBHOOKS_MAX)
    if args.floor and not (args.postgres or args.database_url):
        parser.error("--floor needs PostgreSQL (--postgres or --database-url)")
    if args.floor and not args.webhooks:
        parser.error("--floor measures webhooks: do not pass --webhooks 0")
    sys.path.insert(0, str(ROOT))
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="warden-fanout-")))
        sink = SmtpSink(tmp).start()
        stack.callback(sink.stop)
        server = args.database_url
        if args.postgres and not server:
            cluster = Cluster()
            server = cluster.start()
            stack.callback(cluster.stop)
        env = {
            "WARDEN_DATA_DIR": str(tmp),
            "DJANGO_SETTINGS_MODULE": "bench.settings_fanout",
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "SMS_URLS": "",
            "MESSAGING_URLS": "",
            "WEBHOOK_URLS": "",
            "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        if server:
            env["DATABASE_URL"] = stack.enter_context(scratch_database(server))
        else:
            env["DATABASE_URL"] = ""
            env["SQLITE_PATH"] = str(tmp / "fanout.sqlite3")
        os.environ.update(env)
        report_peer(measure(args, tmp, sink))


if __name__ == "__main__":
    main()
