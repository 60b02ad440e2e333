"""``rows_source``: rows bound as arrays (PostgreSQL) or a VALUES list (SQLite) come back
from the database exactly as given."""

from __future__ import annotations

import pytest
from django.db import connection

from warden.lib.bulk import rows_source

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
