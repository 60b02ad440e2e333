"""Prepared statements, for the few statements a web request runs at the rate people send
them (decisions/0016).

Django sends every statement as text with its values bound in, so PostgreSQL parses and
plans it each time. For a one-row statement such as taking an answer, planning costs
several times its execution. ``fetch_one`` runs such a statement through psycopg's
server-side binding with ``prepare=True``: each connection parses and plans it once, then
only executes it. Django's own cursors are left as they are: a prepared statement is
planned once for any values (a generic plan after five runs), which suits a lookup by
primary key but not the alert queue, whose plans must see the states they ask for
(decisions/0015).

``DATABASE_PREPARED_STATEMENTS=false`` turns preparing off, for a connection pooler in
transaction mode that does not track prepared statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import psycopg
from django.db import connection


def fetch_one(sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    """Run ``sql`` (``%s`` placeholders) and return its first row, if any; prepared on
    PostgreSQL, through Django's cursor wrapper all the same (errors, query log,
    broken-transaction check)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    raw: Any = _Preparing(connection.connection)
    wrap = connection.make_debug_cursor if connection.queries_logged else connection.make_cursor
    with wrap(raw) as cursor:
        cursor.execute(sql, params)
        row: tuple[Any, ...] | None = cursor.fetchone()
        return row


class _Preparing(psycopg.Cursor[Any]):
    """psycopg's server-binding cursor, preparing every statement it runs."""

    def execute(self, query: Any, params: Any = None, **options: Any) -> Self:
        return super().execute(query, params, **{**options, "prepare": True})

    def _convert_query(self, query: Any, params: Any = None) -> Any:
        # Kept where Django's query log looks for the statement a cursor ran.
        self._query = converted = super()._convert_query(query, params)
        return converted
