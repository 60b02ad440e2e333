"""``rows_source``: rows bound as arrays (PostgreSQL) or a VALUES list (SQLite) come back
from the database exactly as given. ``refresh_statistics``: a bulk writer analyzes its table
each time it grows tenfold past 10,000 rows (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from warden.alerting import expand
from warden.alerting.tests.helpers import expand_all, present
from warden.lib import bulk
from warden.lib.bulk import refresh_statistics, rows_source
from warden.test import publish

pytestmark = pytest.mark.django_db


def test_rows_come_back_as_given_with_nulls_and_any_text():
    rows = [
        (1, "sent", None),
        (3, "", "tail\nline"),
        (2**40, "שלום, 'quoted' and %s", "x"),
    ]
    source, params = rows_source(rows, ["bigint", "text", "text"])
    with connection.cursor() as cursor:
        query = f"WITH v (id, status, note) AS (SELECT * FROM {source}) SELECT * FROM v"  # noqa: S608
        cursor.execute(query + " ORDER BY id", params)
        assert [tuple(row) for row in cursor.fetchall()] == rows
    # One parameter per column on PostgreSQL, one per value on SQLite.
    assert len(params) == (3 if connection.vendor == "postgresql" else 9)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_statistics_are_refreshed_each_time_a_bulk_write_grows_tenfold():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE grown AS SELECT generate_series(1, 12000) AS n")
        assert not refresh_statistics("grown", 0, 9_999)  # below the first threshold
        assert refresh_statistics("grown", 9_000, 12_000)
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'grown'")
        assert cursor.fetchone()[0] == 12000  # analyzed: the planner knows the rows
        assert not refresh_statistics("grown", 12_000, 14_000)  # no new power of ten
        assert refresh_statistics("grown", 99_000, 101_000)


def test_only_postgresql_is_analyzed():
    if connection.vendor == "postgresql":
        assert refresh_statistics("people_person", 0, 10_000)
    else:
        assert not refresh_statistics("people_person", 0, 10_000)


@pytest.mark.usefixtures("authority")
def test_expanding_a_large_message_refreshes_the_deliveries_statistics(
    monkeypatch, turkey, alice, bob
):
    monkeypatch.setattr(bulk, "ANALYZE_FROM", 10)
    calls: list[tuple[str, int, int]] = []
    real = bulk.refresh_statistics

    def spy(table: str, before: int, after: int) -> bool:
        calls.append((table, before, after))
        return real(table, before, after)

    monkeypatch.setattr(expand, "refresh_statistics", spy)
    for n in range(12):
        present(f"P{n}", email=f"p{n}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    assert ("alerting_delivery", 0, 12) in calls
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'alerting_delivery'")
            assert cursor.fetchone()[0] >= 12


def test_db_moments_converts_as_db_moment_does():
    from datetime import UTC, datetime, timedelta, timezone

    moment = datetime(2023, 10, 17, 9, 30, 5, tzinfo=timezone(timedelta(hours=3)))
    convert = bulk.db_moments()
    assert convert(moment) == bulk.db_moment(moment)
    assert convert(None) is None
    if connection.vendor == "postgresql":
        assert convert(moment) is moment
    else:
        assert convert(moment) == "2023-10-17 06:30:05"
        assert bulk.db_moment(moment.astimezone(UTC)) == "2023-10-17 06:30:05"
