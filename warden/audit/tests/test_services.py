from __future__ import annotations

import pytest

from warden.audit.context import origin
from warden.audit.models import AppendOnlyError, AuditChainHead, AuditEvent
from warden.audit.services import event_hash, record

pytestmark = pytest.mark.django_db


def test_it_chains_each_event_to_the_one_before(alice):
    first = record(actor=alice, action="test.first", after={"n": 1})
    second = record(actor=None, action="test.second")

    assert second.prev_hash == first.hash
    assert first.hash == event_hash(first)
    assert second.hash == event_hash(second)
    assert AuditChainHead.objects.get(pk=1).last_hash == second.hash


def test_it_records_the_actor_and_the_origin(alice):
    with origin(source_ip="192.0.2.7", channel="web") as where:
        event = record(actor=alice, action="test.web", obj=alice)

    assert (event.actor_name, event.channel, event.source_ip) == ("alice", "web", "192.0.2.7")
    assert event.request_id == where.request_id
    assert (event.object_type, event.object_id) == ("auth.user", str(alice.pk))


def test_an_event_without_actor_is_named_after_its_channel():
    with origin(channel="worker"):
        event = record(actor=None, action="test.worker")

    assert (event.actor_id, event.actor_name, event.channel) == (None, "worker", "worker")


def test_the_orm_refuses_to_change_or_delete_events():
    event = record(actor=None, action="test.event")

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == ""
