"""Bulk writes the fastest portable way: COPY on PostgreSQL, ``executemany`` on SQLite.

Django's ``bulk_create`` inserts at about a tenth of COPY's rate on PostgreSQL, and SQLite
caps it at 199 rows a statement; seeding the registry and expanding alert deliveries both
write millions of rows, so they come here. Callers pass values already in the database's
format (see ``db_moment``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import connection


def bulk_insert(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert ``rows`` into ``table``; returns how many were written."""
    names = ", ".join(columns)
    written = 0
    if connection.vendor == "postgresql":
        # Drawn before COPY starts: psycopg holds the connection until COPY ends, so rows
        # generated from a query on this connection would wait for it forever.
        batch = rows if isinstance(rows, Sequence) else list(rows)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
                    written += 1
        return written
    batch = list(rows)
    if not batch:
        return 0
    connection.ensure_connection()
    marks = ", ".join("?" * len(columns))
    raw_connection: Any = connection.connection
    raw_connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", batch)  # noqa: S608
    return len(batch)


def values_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[str, list[Any]]:
    """The placeholders of a ``VALUES`` list of ``rows`` (all of one width) and the flat
    parameters, for ``UPDATE … FROM (VALUES …)`` (PostgreSQL, and SQLite 3.33+ in a CTE)."""
    row = "(" + ", ".join(["%s"] * len(rows[0])) + ")"
    return ", ".join([row] * len(rows)), [value for values in rows for value in values]


def rows_source(rows: Sequence[tuple[Any, ...]], types: Sequence[str]) -> tuple[str, list[Any]]:
    """``rows`` (all of one width, ``types`` naming each column's PostgreSQL type) as a
    table expression, and its parameters: ``WITH v (id, ...) AS (SELECT * FROM <source>)``
    on both databases, or ``FROM <source> AS v(id, ...)`` on PostgreSQL.

    PostgreSQL: ``unnest`` of one array parameter per column. A VALUES list of 500 rows
    cost the worker about 4 ms of psycopg's client-side binding (it scans the query for
    every placeholder) and the server as much again to parse; the arrays cost about a
    quarter of each. SQLite: ``(VALUES …)``."""
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{name}[]" for name in types)
        return f"unnest({arrays})", [list(column) for column in zip(*rows, strict=True)]
    values, params = values_rows(rows)
    return f"(VALUES {values})", params


def db_moment(value: datetime | None) -> Any:
    """A timestamp as the raw driver wants it: aware on PostgreSQL, naive UTC text on SQLite."""
    return db_moments()(value)


def db_moments() -> Callable[[datetime | None], Any]:
    """``db_moment`` with the connection's vendor looked up once, for a loop over many rows
    (through Django's connection proxy the lookup costs about a microsecond a call)."""
    return _as_is if connection.vendor == "postgresql" else _sqlite_moment


def _as_is(value: datetime | None) -> Any:
    return value


def _sqlite_moment(value: datetime | None) -> Any:
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


ANALYZE_FROM = 10_000


def refresh_statistics(table: str, before: int, after: int) -> bool:
    """PostgreSQL: ANALYZE ``table`` when a bulk writer's running count of its rows went
    from ``before`` to ``after`` past 10,000, 100,000, 1,000,000… Returns whether it did.

    Autovacuum analyzes a table up to a minute after it grew by a tenth — and a fresh
    message's answers arrive in that minute. With statistics that still describe the table
    before a bulk write the planner takes the new rows for a few, and joined the answers
    of a batch to the deliveries by a nested loop over the whole table: 27 s for a
    statement that takes milliseconds. An ANALYZE samples a fixed number of rows (about a
    tenth of a second on a million), so a write of any size causes at most a few."""
    if connection.vendor != "postgresql" or after < ANALYZE_FROM:
        return False
    if len(str(after)) <= len(str(max(before, 0))):
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True
