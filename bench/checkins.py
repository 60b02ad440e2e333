#!/usr/bin/env python3
"""Check-in benchmark: a round's dashboard counts at a million members, and one-click answers
ingested from a second process.

In a throw-away SQLite file and, when a PostgreSQL URL is given (``--postgres URL`` or
``DATABASE_URL``), in that database too:

1. seeds ``--members`` synthetic people, all present in Turkey (``warden.people.seeding``);
2. opens a check-in round for Turkey through ``round_open`` and lets the worker's step write
   its members (``populate_step``), timed;
3. gives the members answers (60% safe, 5% needing help, 5% left, the rest none) and marks
   90% reached, spread over an hour, then times, median of ``--runs``:
   - ``round_counts`` (the dashboard's figures: audience, reached, safe, needs help, left,
     no answer), the target being under 200 ms;
   - the whole live JSON (counts, areas, cities, answers over time);
4. sends ``--answers`` one-click answers from ``--processes`` other processes: the POST of
   each answer link's confirmation page through the whole Django stack
   (``/answer/<token>/safe/``), which takes the answer into the inbox; meanwhile one more
   process runs the worker's step that records them (``answers_apply``, batches of
   ``ANSWER_BATCH``) and this one polls the counts once a second, as an open dashboard
   does. Prints answers taken per second (target: 500 or more on PostgreSQL), how soon all
   of them were recorded (counted on the dashboard), and the counts' latency meanwhile.

    python bench/checkins.py [--members 1000000] [--answers 10000] [--runs 5]
                             [--postgres postgres://warden@127.0.0.1:54329/warden]
                             [--skip-sqlite]

The PostgreSQL database is migrated and its registry and welfare tables are emptied: give a
scratch database, never a real one (``scripts/test.sh`` shows how to start a throw-away
cluster on 127.0.0.1).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def median_ms(run: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _wipe(connection: Any) -> None:
    from warden.alerting.models import Attempt, Delivery, Message
    from warden.people.models import ContactPoint, Person, Trip
    from warden.welfare.models import (
        Case,
        CaseNote,
        CheckInRound,
        PendingAnswer,
        RoundMember,
        RoundMessage,
        WelfareEvent,
    )

    for model in (
        PendingAnswer, CaseNote, Case, RoundMember, RoundMessage, CheckInRound, WelfareEvent,
        Attempt, Delivery, Message, ContactPoint, Trip, Person,
    ):  # fmt: skip
        model.objects.all()._raw_delete(connection.alias)


def _analyze(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("welfare_roundmember", "people_person", "people_trip"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


FORM = "application/x-www-form-urlencoded"
ANSWERS = (("safe", "< 12"), ("needs_help", "= 12"), ("left", "= 13"))


def _answer_members(checkin: Any) -> None:
    """60% safe, 5% needing help, 5% left, 30% no answer; 90% reached; first answers
    spread over the hour after opening."""
    from django.db import connection

    from warden.lib.bulk import db_moment

    table = "welfare_roundmember"
    where = "WHERE round_id = %s AND person_id %% 10 = %s"
    with connection.cursor() as cursor:
        for tenth in range(10):
            at = db_moment(checkin.opened_at + timedelta(minutes=6 * tenth))
            for status, share in ANSWERS:
                cursor.execute(
                    f"UPDATE {table} SET status = %s, status_at = %s, answered_at = %s "  # noqa: S608
                    f"{where} AND person_id %% 20 {share}",
                    [status, at, at, checkin.pk, tenth],
                )
            if tenth != 9:
                cursor.execute(
                    f"UPDATE {table} SET reached_at = %s {where}",  # noqa: S608
                    [at, checkin.pk, tenth],
                )


def _ingest_tokens(checkin: Any, answers: int, path: Path) -> list[int]:
    """A message to ``answers`` members without an answer, expanded: one token each."""
    from django.utils import translation

    from warden.alerting import expand
    from warden.alerting.links import answer_token
    from warden.alerting.models import Delivery
    from warden.alerting.services import MessageText, message_create
    from warden.welfare.models import RoundMember

    ids = list(
        RoundMember.objects.filter(round=checkin, status="")
        .order_by("person_id")
        .values_list("person_id", flat=True)[:answers]
    )
    message = message_create(
        acting_user=None,
        kind="checkin",
        texts={"en": MessageText("Are you safe?", "Tell us.")},
        people=ids,
        preference=1,
        reference=checkin.reference,
    )
    while expand.expand_page():
        pass
    deliveries = list(Delivery.objects.filter(message=message).values_list("id", flat=True))
    from django.urls import reverse

    with translation.override("en"):
        paths = [
            reverse("answer_choice", kwargs={"token": answer_token(pk), "answer": "safe"})
            for pk in deliveries
        ]
    path.write_text("\n".join(paths))
    return ids


def measure(members: int, answers: int, runs: int, processes: int) -> dict[str, Any]:
    """Runs inside the child process, whose environment chose the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from warden.geo.models import Country
    from warden.people.seeding import seed_people
    from warden.welfare import members as member_pages
    from warden.welfare.selectors import round_counts, round_live
    from warden.welfare.services import RoundDetails, default_texts, round_open

    call_command("migrate", verbosity=0)
    _wipe(connection)
    now = timezone.now()
    started = time.perf_counter()
    seed_people(count=members, seed=7, now=now, weights={"TR": 1.0}, present=True)
    seed_s = time.perf_counter() - started
    _analyze(connection)
    turkey = Country.objects.get(pk="TR")
    deadline = now + timedelta(hours=24)
    details = RoundDetails(
        title="Bench", texts=default_texts(turkey, deadline, ["en"]), deadline=deadline
    )
    started = time.perf_counter()
    checkin = round_open(acting_user=None, details=details, area=turkey)
    while member_pages.populate_step():
        pass
    populate_s = time.perf_counter() - started
    checkin.refresh_from_db()
    _answer_members(checkin)
    _analyze(connection)
    counts = round_counts(checkin)
    counts_ms = median_ms(lambda: round_counts(checkin), runs)
    live_ms = median_ms(lambda: round_live(checkin), runs)

    with tempfile.TemporaryDirectory() as tmp:
        tokens = Path(tmp) / "tokens.txt"
        _ingest_tokens(checkin, answers, tokens)
        ingest, during = _ingest(tokens, checkin, processes)
    after = round_counts(checkin)
    assert after.safe - counts.safe == ingest["recorded"], (after, counts, ingest)
    return {
        "vendor": connection.vendor,
        "members": counts.audience,
        "counts": counts.as_dict(),
        "seed_s": seed_s,
        "populate_s": populate_s,
        "counts_ms": counts_ms,
        "live_ms": live_ms,
        "ingest": ingest,
        "counts_during_ms": during,
    }


def _ingest(tokens: Path, checkin: Any, processes: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the answering processes; poll the counts once a second meanwhile."""
    from warden.welfare.selectors import round_counts

    paths = tokens.read_text().split()
    files = []
    recorder = subprocess.Popen(
        [sys.executable, __file__, "--record", str(len(paths))],
        env=os.environ.copy(), cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    for index in range(processes):
        part = tokens.with_name(f"tokens-{index}.txt")
        part.write_text("\n".join(paths[index::processes]))
        files.append(part)
    started = time.perf_counter()
    running = [
        subprocess.Popen(
            [sys.executable, __file__, "--ingest", str(part)],
            env=os.environ.copy(), cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        for part in files
    ]  # fmt: skip
    latencies: list[float] = []
    while any(process.poll() is None for process in running):
        clock = time.perf_counter()
        round_counts(checkin)
        latencies.append((time.perf_counter() - clock) * 1000)
        time.sleep(1.0)
    taken_wall = time.perf_counter() - started
    while recorder.poll() is None:
        time.sleep(0.05)
    wall = time.perf_counter() - started
    out, _err = recorder.communicate()
    if recorder.returncode:
        raise SystemExit(f"the recording process failed ({recorder.returncode})")
    recording = json.loads(out.strip().splitlines()[-1])
    results = []
    for process in running:
        out, _err = process.communicate()
        if process.returncode:
            raise SystemExit(f"an answering process failed ({process.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    recorded = sum(r["recorded"] for r in results)
    busy = max(r["seconds"] for r in results)
    during = {
        "median": statistics.median(latencies) if latencies else 0.0,
        "max": max(latencies) if latencies else 0.0,
        "polls": len(latencies),
    }
    ingest = {
        "processes": processes, "recorded": recorded, "seconds": busy,
        "per_second": recorded / busy, "taken_wall_s": taken_wall, "wall_s": wall,
        "recorded_after_s": wall - taken_wall, "batches": recording["batches"],
        "record_busy_s": recording["busy_s"],
    }  # fmt: skip
    return ingest, during


def ingest(tokens: Path) -> dict[str, Any]:
    """The second process: POST each answer link's confirmation, one after the other."""
    import django

    django.setup()
    from django.test import Client

    paths = tokens.read_text().split()
    client = Client(HTTP_HOST="127.0.0.1")
    client.get(paths[0], secure=True)  # warm up: templates, translations, connection
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for path in paths:
        # As a browser posts the form: urlencoded.
        response = client.post(path, "note=", FORM, secure=True)
        statuses[response.status_code] += 1
    seconds = time.perf_counter() - started
    recorded = statuses[200]
    if recorded != len(paths):
        print(f"answers refused: {dict(statuses)}", file=sys.stderr)
    return {"recorded": recorded, "seconds": seconds, "per_second": recorded / seconds}


def record(expected: int) -> dict[str, Any]:
    """The worker's part: record waiting answers in batches until ``expected`` are in (or,
    when some were refused, until nothing has come for ten seconds)."""
    import django

    django.setup()
    from django.conf import settings

    from warden.ops.conf import worker_idle_seconds
    from warden.welfare.services.inbox import answers_apply

    recorded = batches = 0
    busy = 0.0
    idle_since = time.monotonic()
    while recorded < expected and time.monotonic() - idle_since < 10:
        clock = time.perf_counter()
        applied = answers_apply()
        if applied:
            busy += time.perf_counter() - clock
            recorded += applied
            batches += 1
            idle_since = time.monotonic()
        if applied < settings.WARDEN_ANSWER_BATCH:
            # As the worker does (``welfare_answers``): rest after a partial batch.
            time.sleep(worker_idle_seconds())
    return {"recorded": recorded, "batches": batches, "busy_s": busy}


def run_child(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--members", str(args.members),
               "--answers", str(args.answers), "--runs", str(args.runs),
               "--processes", str(args.processes)]  # fmt: skip
    result = subprocess.run(
        command, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "warden.settings",
                      "LOG_LEVEL": "WARNING"},
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def report(f: dict[str, Any]) -> None:
    c, i, d = f["counts"], f["ingest"], f["counts_during_ms"]
    print(f"\n{f['vendor']}: a round of {f['members']:,} members "
          f"(people seeded in {f['seed_s']:.0f} s; members written in {f['populate_s']:.1f} s, "
          f"{f['members'] / f['populate_s']:,.0f}/s)")  # fmt: skip
    print(f"  safe {c['safe']:,}, needs help {c['needs_help']:,}, left {c['left']:,}, "
          f"no answer {c['no_answer']:,}, reached {c['reached']:,}")  # fmt: skip
    print(f"  dashboard counts: {f['counts_ms']:.1f} ms (median; target < 200 ms)")
    print(f"  whole live JSON (counts, areas, cities, series): {f['live_ms']:.1f} ms")
    print(f"  one-click answers taken from {i['processes']} other process(es): "
          f"{i['recorded']:,} in {i['seconds']:.1f} s = {i['per_second']:,.0f}/s "
          "(target >= 500/s on PostgreSQL)")  # fmt: skip
    print(f"  all recorded (on the dashboard) {i['wall_s']:.1f} s after the first was sent, "
          f"{i['recorded_after_s']:.1f} s after the last; the worker's step was busy "
          f"{i['record_busy_s']:.1f} s over {i['batches']} batches = "
          f"{i['recorded'] / i['record_busy_s']:,.0f} answers/s")  # fmt: skip
    print(f"  counts meanwhile: median {d['median']:.1f} ms, max {d['max']:.1f} ms "
          f"over {d['polls']} polls")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--processes", type=int, default=1, help="answering processes")
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ingest", help=argparse.SUPPRESS)
    parser.add_argument("--record", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ingest:
        print(json.dumps(ingest(Path(args.ingest))))
        return
    if args.record is not None:
        print(json.dumps(record(args.record)))
        return
    if args.child:
        print(json.dumps(measure(args.members, args.answers, args.runs, args.processes)))
        return
    with tempfile.TemporaryDirectory(prefix="warden-bench-") as tmp:
        base = {"WARDEN_DATA_DIR": tmp}
        if not args.skip_sqlite:
            sqlite = {**base, "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3")}
            report(run_child({**sqlite, "DATABASE_URL": ""}, args))
        if args.postgres:
            report(run_child({**base, "DATABASE_URL": args.postgres}, args))


if __name__ == "__main__":
    main()
