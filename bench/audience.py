#!/usr/bin/env python3
"""Audience benchmark: count and stream the people present in one country, next to the ceiling.

Seeds a synthetic population (``warden.people.seeding``: 1,000,000 people and about 1.5
million trips by default) into a throw-away SQLite file and, when a PostgreSQL URL is given
(``--postgres URL`` or ``DATABASE_URL``), into that database too, then times

- ``audience_count`` for the country, against the ceiling: one hand-written
  ``COUNT(DISTINCT person_id)`` on the same index and tables;
- streaming the country's audience (``audience()``, keyset pages of person ids, verified
  contact points), against the ceiling: one plain SQL query returning the same rows.

Prints medians of ``--runs`` runs and the ratios (target: within 2x of the ceiling).

    python bench/audience.py [--people 1000000] [--country TR] [--runs 5]
                             [--postgres postgres://user@127.0.0.1:5432/scratch]

The PostgreSQL database is migrated and its people tables are emptied first: give a
scratch database, never a real one.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

CEILING_COUNT = """
SELECT COUNT(DISTINCT person_id) FROM people_trip
WHERE country_id = %s AND until > %s AND arrival <= %s
"""
CEILING_STREAM = """
SELECT cp.id, cp.person_id, cp.channel, p.language, cp.priority
FROM people_contactpoint cp JOIN people_person p ON p.id = cp.person_id
WHERE cp.state = 'verified' AND cp.person_id IN (
    SELECT person_id FROM people_trip WHERE country_id = %s AND until > %s AND arrival <= %s)
ORDER BY cp.person_id, cp.priority, cp.id
"""


def median_seconds(run: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def measure(people: int, country: str, runs: int) -> dict[str, Any]:
    """Runs inside the child process, whose environment chose the database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from warden.geo.models import Country
    from warden.people.models import ContactPoint, Person, Trip
    from warden.people.seeding import seed_people
    from warden.people.selectors import audience, audience_count

    call_command("migrate", verbosity=0)
    for model in (ContactPoint, Trip, Person):
        model.objects.all()._raw_delete(connection.alias)  # type: ignore[attr-defined]
    now = timezone.now()
    started = time.perf_counter()
    seeded = seed_people(count=people, seed=42, now=now, progress=_progress(people))
    seed_seconds = time.perf_counter() - started
    _analyze(connection)
    area = Country.objects.get(pk=country)
    at = connection.ops.adapt_datetimefield_value(now)

    def ceiling_count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(CEILING_COUNT, [country, at, at])
            return int(cursor.fetchone()[0])

    def ceiling_stream() -> int:
        with connection.cursor() as cursor:
            cursor.execute(CEILING_STREAM, [country, at, at])
            return sum(len(rows) for rows in iter(lambda: cursor.fetchmany(2000), []))

    count_s, count = median_seconds(lambda: audience_count(area, now), runs)
    ceiling_count_s, ceiling = median_seconds(ceiling_count, runs)
    stream_s, streamed = median_seconds(lambda: sum(1 for _ in audience(area, now)), runs)
    ceiling_stream_s, ceiling_rows = median_seconds(ceiling_stream, runs)
    assert count == ceiling, (count, ceiling)
    assert streamed == ceiling_rows, (streamed, ceiling_rows)
    return {
        "vendor": connection.vendor,
        "people": seeded.people,
        "trips": seeded.trips,
        "contact_points": seeded.contact_points,
        "seed_s": seed_seconds,
        "present": count,
        "streamed": streamed,
        "count_s": count_s,
        "ceiling_count_s": ceiling_count_s,
        "stream_s": stream_s,
        "ceiling_stream_s": ceiling_stream_s,
    }


def _progress(total: int) -> Callable[[int], None]:
    done = [0]

    def tick(size: int) -> None:
        done[0] += size
        print(f"\r  seeded {done[0]:,}/{total:,}", end="", file=sys.stderr, flush=True)
        if done[0] >= total:
            print(file=sys.stderr)

    return tick


def _analyze(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("people_person", "people_trip", "people_contactpoint"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")


def run_child(env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", "--people", str(args.people),
               "--country", args.country, "--runs", str(args.runs)]  # fmt: skip
    result = subprocess.run(
        command, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "warden.settings"},
        cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def report(figures: dict[str, Any]) -> None:
    f = figures
    print(f"\n{f['vendor']}: {f['people']:,} people, {f['trips']:,} trips, "
          f"{f['contact_points']:,} contact points seeded in {f['seed_s']:.1f} s "
          f"({f['people'] / f['seed_s']:,.0f} people/s)")  # fmt: skip
    print(f"  present in the country: {f['present']:,} people, {f['streamed']:,} contact points")
    rows = [
        ("count", f["count_s"], f["ceiling_count_s"]),
        ("stream", f["stream_s"], f["ceiling_stream_s"]),
    ]
    print(f"  {'':8}{'warden':>12}{'ceiling':>12}{'ratio':>8}")
    for name, ours, ceiling in rows:
        print(f"  {name:8}{ours * 1000:>10.1f}ms{ceiling * 1000:>10.1f}ms{ours / ceiling:>7.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--country", default="TR")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.people, args.country, args.runs)))
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
