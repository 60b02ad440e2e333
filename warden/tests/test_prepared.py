"""warden.lib.prepared: one statement, prepared per connection on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from warden.lib.prepared import fetch_one

pytestmark = pytest.mark.django_db

SQL = "SELECT code FROM geo_country WHERE code = %s"


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_it_returns_the_first_row_or_none(turkey):
    assert fetch_one(SQL, ["TR"]) == ("TR",)
    assert fetch_one(SQL, ["XX"]) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_it_prepares_once_per_connection(turkey):
    fetch_one(SQL, ["TR"])
    fetch_one(SQL, ["IL"])

    statements = [text for text in prepared() if "geo_country" in text]
    assert statements == ["SELECT code FROM geo_country WHERE code = $1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_nothing_is_prepared_when_turned_off(turkey, monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)

    assert fetch_one(SQL, ["TR"]) == ("TR",)
    assert not [text for text in prepared() if "geo_country" in text]


def test_it_is_logged_like_any_query(turkey):
    with CaptureQueriesContext(connection) as queries:
        fetch_one(SQL, ["TR"])

    assert [query["sql"] for query in queries.captured_queries] == [
        SQL.replace("%s", "$1" if connection.vendor == "postgresql" else "'TR'")
    ]


def test_errors_are_django_errors_and_it_rolls_back_with_its_transaction(turkey):
    taken = "UPDATE geo_country SET alpha3 = %s WHERE code = %s RETURNING code"
    with pytest.raises(IntegrityError), transaction.atomic():
        fetch_one(taken, ["ISR", "TR"])

    rename = "UPDATE geo_country SET name = %s WHERE code = %s RETURNING name"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert fetch_one(rename, ["Renamed", "TR"]) == ("Renamed",)
        raise RuntimeError

    assert fetch_one("SELECT name FROM geo_country WHERE code = %s", ["TR"]) == (turkey.name,)
