"""``warden audit verify`` against a clean chain and against someone with full database access.

The append-only triggers (migration 0002) stop a raw UPDATE, and on PostgreSQL a raw DELETE.
Someone who can drop the trigger can still change rows: these tests do that inside the test
transaction (which rolls back, trigger and all) and check that the hash chain gives it away.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from warden.audit.models import AuditEvent
from warden.audit.services import record

pytestmark = pytest.mark.django_db

DROP_TRIGGER = {
    "sqlite": "DROP TRIGGER audit_auditevent_no_update",
    "postgresql": "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
}


def raw(sql: str, *params: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def drop_append_only_trigger() -> None:
    raw(DROP_TRIGGER[connection.vendor])


def verify() -> tuple[str, str, bool]:
    """Run ``audit verify``; return its output, its errors and whether it passed."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), False
    return out.getvalue(), err.getvalue(), True


@pytest.fixture
def events() -> list[AuditEvent]:
    return [record(actor=None, action="test.event", summary=f"event {n}") for n in range(3)]


def test_it_passes_a_clean_chain(events):
    out, _err, ok = verify()

    assert ok
    assert out.strip() == f"audit chain OK: {AuditEvent.objects.count()} events"


def test_it_passes_an_empty_chain():
    out, _err, ok = verify()

    assert ok
    assert "audit chain OK: 0 events" in out


def test_the_database_refuses_a_raw_update(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("UPDATE audit_auditevent SET summary = 'changed' WHERE id = %s", events[1].pk)

    assert AuditEvent.objects.get(pk=events[1].pk).summary == "event 1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no DELETE trigger")
def test_postgresql_refuses_a_raw_delete(events):
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE id = %s", events[1].pk)

    assert AuditEvent.objects.filter(pk=events[1].pk).exists()


def test_it_reports_a_changed_row(events):
    drop_append_only_trigger()
    raw("UPDATE audit_auditevent SET summary = 'nothing happened' WHERE id = %s", events[1].pk)

    _out, err, ok = verify()

    assert not ok
    assert f"event {events[1].pk}: contents do not match the hash" in err
    assert f"event {events[0].pk}:" not in err
    assert f"event {events[2].pk}:" not in err


def test_it_reports_a_row_removed_from_the_middle(events):
    drop_append_only_trigger()
    raw("DELETE FROM audit_auditevent WHERE id = %s", events[1].pk)

    _out, err, ok = verify()

    assert not ok
    assert f"event {events[2].pk}: previous hash does not match" in err


def test_it_reports_the_newest_row_removed(events):
    drop_append_only_trigger()
    raw("DELETE FROM audit_auditevent WHERE id = %s", events[2].pk)

    _out, err, ok = verify()

    assert not ok
    assert "chain head: the newest rows were removed" in err


def test_the_command_exits_with_status_1_when_broken(events):
    drop_append_only_trigger()
    raw("UPDATE audit_auditevent SET action = 'test.other' WHERE id = %s", events[0].pk)

    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())

    assert caught.value.returncode == 1
