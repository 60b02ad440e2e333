"""A round's running totals (``RoundTally``): their triggers, reading them, folding them.

Triggers on ``welfare_roundmember`` keep the totals exact after every committed write, whatever
wrote it: the ORM, COPY and executemany (``lib/bulk.py``), raw SQL, deletes cascading from a
person or a round (docs/decisions/0012-round-tallies.md). Migration 0004_round_tally installs
them with ``install``.

- PostgreSQL: one trigger per statement (INSERT, COPY, UPDATE, DELETE) reads the statement's
  transition tables and inserts one row of delta per (round, status, reached) it changed.
  Plain inserts: concurrent answers never wait on a shared row. ``compact`` folds a round's
  rows into one per pair; the worker runs it for open rounds that gathered many.
  ``TRUNCATE`` of the members empties the totals.
- SQLite: one trigger per row adds its +1 / -1 to its pair's single row (an upsert on a
  unique index that only SQLite has). Nothing to fold.

On both, deleting a round deletes its totals.

SQLite rebuilds a table for many ALTERs (``_remake_table``), and the table's triggers go with
it; renaming a rebuilt tally table fails while the members' triggers name it. A migration that
alters ``RoundMember``, ``CheckInRound`` or ``RoundTally`` therefore runs ``uninstall`` before
and ``install`` after (``test_tally`` fails when a trigger is missing). ``install`` is
idempotent and recomputes every total from the members.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import connections, transaction
from django.db.models import Count, Sum

from warden.welfare.models import CheckInRound, RoundTally

# Rows of one round past which the worker folds them (a folded round has at most one row per
# status and reached: 14).
COMPACT_ROWS = 100

# PostgreSQL: (trigger and function, table, event and transition tables, function body).
_PG = (
    (
        "welfare_tally_insert",
        "welfare_roundmember",
        "INSERT ON welfare_roundmember REFERENCING NEW TABLE AS new_members",
        """
    INSERT INTO welfare_roundtally (round_id, status, reached, n)
    SELECT round_id, status, reached_at IS NOT NULL, COUNT(*)
    FROM new_members GROUP BY 1, 2, 3;""",
    ),
    (
        # Members whose pair did not change cancel out: nothing is written for them. A round
        # deleted earlier in the same transaction (the constraint is deferred) gets no rows.
        "welfare_tally_update",
        "welfare_roundmember",
        "UPDATE ON welfare_roundmember"
        " REFERENCING OLD TABLE AS old_members NEW TABLE AS new_members",
        """
    INSERT INTO welfare_roundtally (round_id, status, reached, n)
    SELECT change.round_id, change.status, change.reached, change.n
    FROM (
        SELECT round_id, status, reached, SUM(n) AS n
        FROM (
            SELECT round_id, status, reached_at IS NOT NULL AS reached, 1 AS n
            FROM new_members
            UNION ALL
            SELECT round_id, status, reached_at IS NOT NULL, -1 FROM old_members
        ) AS one
        GROUP BY 1, 2, 3 HAVING SUM(n) <> 0
    ) AS change
    WHERE EXISTS (SELECT 1 FROM welfare_checkinround r WHERE r.id = change.round_id);""",
    ),
    (
        "welfare_tally_delete",
        "welfare_roundmember",
        "DELETE ON welfare_roundmember REFERENCING OLD TABLE AS old_members",
        """
    INSERT INTO welfare_roundtally (round_id, status, reached, n)
    SELECT gone.round_id, gone.status, gone.reached, -gone.n
    FROM (
        SELECT round_id, status, reached_at IS NOT NULL AS reached, COUNT(*) AS n
        FROM old_members GROUP BY 1, 2, 3
    ) AS gone
    WHERE EXISTS (SELECT 1 FROM welfare_checkinround r WHERE r.id = gone.round_id);""",
    ),
    (
        "welfare_tally_truncate",
        "welfare_roundmember",
        "TRUNCATE ON welfare_roundmember",
        """
    DELETE FROM welfare_roundtally;""",
    ),
    (
        "welfare_tally_round_delete",
        "welfare_checkinround",
        "DELETE ON welfare_checkinround REFERENCING OLD TABLE AS old_rounds",
        """
    DELETE FROM welfare_roundtally WHERE round_id IN (SELECT id FROM old_rounds);""",
    ),
)

# SQLite: the member's +1 or -1 on its pair's row, the row created when missing. No other
# table is named: SQLite refuses to rename a rebuilt table while a trigger names it.
_SQLITE_ADD = """
    INSERT INTO welfare_roundtally (round_id, status, reached, n)
    VALUES ({row}.round_id, {row}.status, {row}.reached_at IS NOT NULL, {sign}1)
    ON CONFLICT (round_id, status, reached) DO UPDATE SET n = n + excluded.n;"""
SQLITE_KEY = "round_tally_unique"
_SQLITE = (
    (
        "welfare_tally_insert",
        "welfare_roundmember",
        "AFTER INSERT ON welfare_roundmember",
        _SQLITE_ADD.format(row="NEW", sign=""),
    ),
    (
        "welfare_tally_update",
        "welfare_roundmember",
        "AFTER UPDATE OF round_id, status, reached_at ON welfare_roundmember"
        " WHEN NEW.round_id IS NOT OLD.round_id OR NEW.status IS NOT OLD.status"
        " OR (NEW.reached_at IS NULL) <> (OLD.reached_at IS NULL)",
        _SQLITE_ADD.format(row="OLD", sign="-") + _SQLITE_ADD.format(row="NEW", sign=""),
    ),
    (
        "welfare_tally_delete",
        "welfare_roundmember",
        "AFTER DELETE ON welfare_roundmember",
        _SQLITE_ADD.format(row="OLD", sign="-"),
    ),
    (
        "welfare_tally_round_delete",
        "welfare_checkinround",
        "AFTER DELETE ON welfare_checkinround",
        """
    DELETE FROM welfare_roundtally WHERE round_id = OLD.id;""",
    ),
)

# Every total, from the members themselves.
_REBUILD = (
    "DELETE FROM welfare_roundtally",
    "INSERT INTO welfare_roundtally (round_id, status, reached, n)"
    " SELECT round_id, status, reached_at IS NOT NULL, COUNT(*)"
    " FROM welfare_roundmember GROUP BY 1, 2, 3",
)


def _install_sql(vendor: str) -> list[str]:
    statements = []
    if vendor == "postgresql":
        for name, table, event, body in _PG:
            statements += [
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN{body}\n    RETURN NULL;\nEND\n$$",
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} AFTER {event} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
            ]
        return statements
    if vendor == "sqlite":
        statements.append(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {SQLITE_KEY}"
            " ON welfare_roundtally (round_id, status, reached)"
        )
        for name, _table, when, body in _SQLITE:
            statements += [
                f"DROP TRIGGER IF EXISTS {name}",
                f"CREATE TRIGGER {name} {when} BEGIN{body}\nEND",
            ]
        return statements
    raise NotImplementedError(f"round tallies have no triggers for {vendor}")


def _uninstall_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, *_ in _PG] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name, *_ in _PG
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name, *_ in _SQLITE] + [
        f"DROP INDEX IF EXISTS {SQLITE_KEY}"
    ]


def install(using: str = "default") -> None:
    """Create (or re-create) the triggers, then recompute every total from the members, in
    one transaction. On PostgreSQL creating the triggers holds off other writers of the
    members until it commits, so that no write falls between the triggers and the totals."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in (*_install_sql(connection.vendor), *_REBUILD):
            cursor.execute(statement)


def uninstall(using: str = "default") -> None:
    """Drop the triggers; the totals stay, and go stale until ``install``."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in _uninstall_sql(connection.vendor):
            cursor.execute(statement)


def missing_triggers(using: str = "default") -> list[str]:
    """The tally's triggers (and SQLite's unique key) that the database lacks."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t"
                " JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"
            )
            present = set(cursor.fetchall())
            return [name for name, table, *_ in _PG if (table, name) not in present]
        cursor.execute(
            "SELECT tbl_name, name FROM sqlite_master WHERE type IN ('trigger', 'index')"
        )
        present = set(cursor.fetchall())
    expected = [(table, name) for name, table, *_ in _SQLITE]
    expected.append(("welfare_roundtally", SQLITE_KEY))
    return [name for table, name in expected if (table, name) not in present]


def totals(round_id: int) -> list[tuple[str, bool, int]]:
    """(status, reached, members) of one round: a line per pair that has members."""
    rows = (
        RoundTally.objects.filter(round_id=round_id)
        .values_list("status", "reached")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return [(status, bool(reached), int(n)) for status, reached, n in rows if n]


# One statement, atomic on its own: the round's rows that no other compaction holds are
# deleted and their sums written back, one row per (status, reached), none for a sum of zero.
# Rows that concurrent transactions add meanwhile are not seen and stay. The round's row is
# held (FOR KEY SHARE) so that a delete of the round, which removes its totals, waits until
# the sums are written; a round being deleted is skipped. Gives the rows deleted and the rows
# written.
_PG_COMPACT = """
WITH held AS (
    SELECT id FROM welfare_checkinround WHERE id = %s FOR KEY SHARE SKIP LOCKED
), gone AS (
    DELETE FROM welfare_roundtally WHERE id IN (
        SELECT t.id FROM welfare_roundtally t JOIN held ON held.id = t.round_id
        FOR UPDATE OF t SKIP LOCKED
    )
    RETURNING status, reached, n
), kept AS (
    INSERT INTO welfare_roundtally (round_id, status, reached, n)
    SELECT %s, status, reached, SUM(n) FROM gone
    GROUP BY status, reached HAVING SUM(n) <> 0
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM kept)
"""
# SQLite keeps one row per pair: only the pairs down to no members go.
_SQLITE_COMPACT = "DELETE FROM welfare_roundtally WHERE round_id = %s AND n = 0"


def compact(round_id: int) -> int:
    """Fold the round's rows into one per (status, reached); returns the rows removed."""
    with default_connection.cursor() as cursor:
        if default_connection.vendor == "postgresql":
            cursor.execute(_PG_COMPACT, [round_id, round_id])
            deleted, written = cursor.fetchone()
            return int(deleted) - int(written)
        cursor.execute(_SQLITE_COMPACT, [round_id])
        return max(cursor.rowcount, 0)


def due(*, rows: int = COMPACT_ROWS) -> list[int]:
    """Open rounds with more than ``rows`` rows of totals."""
    open_rounds = CheckInRound.objects.filter(state=CheckInRound.State.OPEN)
    return sorted(
        RoundTally.objects.filter(round_id__in=open_rounds.values("pk"))
        .values("round_id")
        .annotate(rows=Count("*"))
        .filter(rows__gt=rows)
        .values_list("round_id", flat=True)
        .order_by()
    )


def compact_step(*, rows: int = COMPACT_ROWS) -> bool:
    """Worker: fold the totals of each open round that gathered more than ``rows`` rows
    (only PostgreSQL gathers any)."""
    if default_connection.vendor != "postgresql":
        return False
    found = False
    for round_id in due(rows=rows):
        found = compact(round_id) > 0 or found
    return found
