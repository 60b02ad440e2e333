"""Every model change has its migration; the migrations that drop covered indexes drop
exactly those, and put them back when reversed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from warden.lib.migrations import single_column_indexes

COVERED = [
    ("alerting_delivery", "message_id"),
    ("alerting_delivery", "person_id"),
    ("alerting_delivery", "contact_point_id"),
    ("alerting_attempt", "delivery_id"),
    ("welfare_roundmember", "round_id"),
    ("welfare_welfareevent", "person_id"),
    ("welfare_pendinganswer", "person_id"),
    ("welfare_pendinganswer", "left_to_id"),
]
KEPT = [("welfare_roundmember", "person_id")]


@pytest.mark.django_db
def test_no_migration_is_missing():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Changes without a migration (run `warden makemigrations`):\n{out.getvalue()}")

    assert "No changes detected" in out.getvalue()


def indexed(table: str, column: str) -> bool:
    return bool(single_column_indexes(connection, table, column))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_covered_key_indexes_are_dropped_and_put_back_when_reversed():
    assert [pair for pair in COVERED if indexed(*pair)] == []
    assert all(indexed(*pair) for pair in KEPT)

    executor = MigrationExecutor(connection)
    executor.migrate([("alerting", "0002_contact_preference")])
    try:
        assert all(indexed(*pair) for pair in COVERED)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert [pair for pair in COVERED if indexed(*pair)] == []
    assert all(indexed(*pair) for pair in KEPT)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("authority")
def test_deliveries_that_break_the_lease_rule_are_mended_before_it_is_enforced(turkey, alice, bob):
    """Before the lease rule (alerting 0004), cancelling a message left its deliveries
    being sent with their worker's name: the migration must not fail on them."""
    from warden.alerting.models import Delivery
    from warden.alerting.tests.helpers import expand_all, present
    from warden.test import publish

    for n in range(2):
        present(f"P{n}", email=f"p{n}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    cancelled, stuck = Delivery.objects.order_by("pk").values_list("pk", flat=True)[:2]
    executor = MigrationExecutor(connection)
    executor.migrate([("alerting", "0003_drop_covered_indexes")])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE alerting_delivery SET state = 'cancelled', leased_by = 'w:1' WHERE id = %s",
                [cancelled],
            )
            cursor.execute(
                "UPDATE alerting_delivery SET state = 'sending', leased_by = 'w:1' WHERE id = %s",
                [stuck],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    rows = {d.pk: d for d in Delivery.objects.filter(pk__in=[cancelled, stuck])}
    assert (rows[cancelled].state, rows[cancelled].leased_by) == ("cancelled", "")
    assert (rows[stuck].state, rows[stuck].leased_by, rows[stuck].lease_until) == (
        "queued",
        "",
        None,
    )
