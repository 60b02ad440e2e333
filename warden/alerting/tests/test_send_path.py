"""The send path's cheaper forms keep their guarantees: answer tokens (one HMAC, hour
stamp), the SMTP envelope without address re-parsing, results recorded in set-based
statements, and the provider health row written only when it changes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import aiosmtplib
import pytest
from aiosmtpd.controller import Controller
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from warden.alerting import queue
from warden.alerting.links import HOUR, SALT, TokenSigner, answer_token, delivery_for_token
from warden.alerting.models import Attempt, Delivery, Message, ProviderHealth
from warden.alerting.tests.helpers import crowd, expand_all, present, send_all, smtp_server
from warden.alerting.transports.base import Outcome
from warden.test import publish

LATER = "warden.alerting.links.time.time"


def _at(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setattr(LATER, lambda: seconds)


# --- Answer tokens ------------------------------------------------------------------


def test_a_token_names_its_delivery_and_is_url_safe():
    token = answer_token(123456789)

    assert delivery_for_token(token) == 123456789
    assert all(c.isalnum() or c in "-_" for c in token)
    assert len(token) < 40  # short enough for an SMS


def test_tokens_signed_in_a_row_share_the_hour_and_differ_by_delivery(monkeypatch):
    _at(monkeypatch, 1_800_000_000)
    signer = TokenSigner()
    first, second = signer.sign(1), signer.sign(2)

    assert first.split("-")[1] == second.split("-")[1]
    assert first != second
    assert [delivery_for_token(t) for t in (first, second)] == [1, 2]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # the signature
        lambda t: "2" + t[1:] if not t.startswith("2") else "3" + t[1:],  # the delivery id
        lambda t: t.replace("-", "-1", 1),  # the hour
        lambda t: t[:-1],  # cut short
        lambda t: t + "A",
        lambda t: t.replace("-", "_"),
        lambda t: t.replace("-", ":"),
        lambda t: "é" + t[1:],
        lambda t: "",
        lambda t: "nonsense",
    ],
)
def test_a_changed_token_is_refused(change):
    token = answer_token(1234)

    with pytest.raises(signing.BadSignature):
        delivery_for_token(change(token))


def test_a_token_signed_with_another_key_is_refused(settings):
    token = answer_token(77)
    settings.SECRET_KEY = "another secret key, long enough for the checks " * 2

    with pytest.raises(signing.BadSignature):
        delivery_for_token(token)


def test_a_token_signed_with_a_fallback_key_still_verifies(settings):
    old = settings.SECRET_KEY
    token = answer_token(77)
    settings.SECRET_KEY = "the rotated secret key, long enough for the checks " * 2
    settings.SECRET_KEY_FALLBACKS = [old]

    assert delivery_for_token(token) == 77


def test_a_token_expires_answer_link_days_after_its_hour(settings, monkeypatch):
    settings.WARDEN_ANSWER_LINK_DAYS = 14
    signed_at = 1_800_000_000 + 1234  # 1234 s into an hour
    _at(monkeypatch, signed_at)
    token = answer_token(5)
    start_of_hour = signed_at - signed_at % HOUR

    _at(monkeypatch, start_of_hour + 14 * 86400)
    assert delivery_for_token(token) == 5
    _at(monkeypatch, start_of_hour + 14 * 86400 + 1)
    with pytest.raises(signing.SignatureExpired):
        delivery_for_token(token)


def test_the_lifetime_is_read_when_the_token_is_checked(settings, monkeypatch):
    _at(monkeypatch, 1_800_000_000)
    token = answer_token(5)
    _at(monkeypatch, 1_800_000_000 + 3 * 86400)

    settings.WARDEN_ANSWER_LINK_DAYS = 2
    with pytest.raises(signing.SignatureExpired):
        delivery_for_token(token)
    settings.WARDEN_ANSWER_LINK_DAYS = 14
    assert delivery_for_token(token) == 5


def test_a_token_of_the_earlier_format_is_still_accepted_until_it_expires(settings):
    earlier = signing.TimestampSigner(salt=SALT).sign(signing.b62_encode(4242))

    assert delivery_for_token(earlier) == 4242
    with pytest.raises(signing.BadSignature):
        delivery_for_token(earlier[:-2] + ("AA" if not earlier.endswith("AA") else "BB"))


# --- Recording results --------------------------------------------------------------


def _claimed(turkey: Any, alice: Any, bob: Any, count: int) -> list[int]:
    for n in range(count):
        present(f"P{n}", email=f"p{n}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    return [item.delivery_id for item in queue.claim("email", count, "me:1")]


def _explain(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner test")
@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_the_queue_is_read_through_its_indexes_whatever_the_statistics_say(turkey, alice, bob):
    """Queues defeat statistics: taken when every delivery was queued, they promise a
    queued row at once, long after all were sent. The claim must find its rows by key (it
    hashed the whole table, each claim reading every delivery) and the idle probes must
    read their partial indexes (they read the whole table to find nothing)."""
    crowd(3000)
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Delivery._meta.db_table}")
    now = timezone.now()
    claim = _explain(queue.CLAIM_POSTGRESQL, ["email", now, 500, now, "me:1"])
    assert "Seq Scan on alerting_delivery" not in claim, claim
    assert len(queue.claim("email", 500, "me:1")) == 500
    Delivery.objects.update(state=Delivery.State.SENT, lease_until=None, leased_by="")
    for rows in (queue.queued_rows(), queue.leased_rows()):
        plan = rows.values_list("pk", flat=True)[:1].explain()
        assert "Seq Scan" not in plan, plan
    assert queue.pending() == (False, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner test")
@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_a_recording_finds_its_batch_by_key_whatever_the_statistics_say(turkey, alice, bob):
    """Statistics taken while no worker held a lease say a worker's leased rows are none.
    Planned through the leases index on that promise, recording a batch ran its list of
    results once for each leased row (30-45 ms a batch of 500, against 8), and read every
    lease left in the index since the last vacuum; through an index of the state, it would
    read all of the message's deliveries; and read whole, filtered on the lease, it
    compared each leased row with every result (40-95 ms at 60,000 deliveries). The
    primary key must be the only way it reads the table, whatever its size."""
    crowd(2000)
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Delivery._meta.db_table}")
    claimed = queue.claim("email", 500, "me:1")
    plans: list[str] = []

    def explain(execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        if f"UPDATE {queue.TABLE} " in sql and not sql.startswith("EXPLAIN"):
            plans.append(_explain(sql, params))
        return execute(sql, params, many, context)

    results = [_result(c.delivery_id, Outcome.sent(f"ref-{c.delivery_id}")) for c in claimed]
    with connection.execute_wrapper(explain):
        counts = queue.record_results(results, channel="email", provider="smtp", worker="me:1")

    assert counts == {"sent": 500, "queued": 0, "failed": 0}
    assert plans
    for plan in plans:
        assert f"Seq Scan on {queue.TABLE}" not in plan, plan
        assert set(re.findall(r"Index Scan (?:using|on) (\w+)", plan)) == {
            "alerting_delivery_pkey"
        }, plan


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_a_delivery_has_a_lease_exactly_while_it_is_being_sent(turkey, alice, bob):
    """The leases index is conditioned on the lease (above); the database holds the lease
    and the state together."""
    pk = _claimed(turkey, alice, bob, 1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.filter(pk=pk).update(lease_until=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.filter(pk=pk).update(state=Delivery.State.SENT)
    assert Delivery.objects.filter(pk=pk, state="sending", lease_until__isnull=False).exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_a_message_has_one_delivery_per_contact_point(turkey, alice, bob):
    """The unique constraint is led by the contact point (it is that key's index too); it
    still refuses a second delivery of a message to the same address, and not the same
    address for another message."""
    pk = _claimed(turkey, alice, bob, 1)[0]
    first = Delivery.objects.get(pk=pk)
    twin = {
        field: getattr(first, field)
        for field in ("contact_point_id", "person_id", "channel", "language", "priority")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(message_id=first.message_id, next_attempt_at=timezone.now(), **twin)
    other = Message.objects.create(
        kind=Message.Kind.NOTICE, people=[first.person_id], audience_at=timezone.now(), texts={}
    )
    Delivery.objects.create(message=other, next_attempt_at=timezone.now(), **twin)
    assert Delivery.objects.filter(contact_point_id=first.contact_point_id).count() == 2


def _result(pk: int, outcome: Outcome, attempt: int = 1) -> queue.Result:
    return queue.Result(pk, attempt, timezone.now(), 12, outcome)


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_a_claim_returns_each_delivery_with_its_address_and_name(turkey, alice, bob):
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()

    claimed = queue.claim("email", 10, "me:1")

    assert sorted((c.address, c.name) for c in claimed) == [
        ("dana@example.org", "Dana"),
        ("eli@example.org", "Eli"),
    ]
    assert not any(c.cancelled for c in claimed)
    assert [c.attempts for c in claimed] == [1, 1]
    assert queue.claim("email", 10, "me:1") == []  # leased: not claimed twice
    Message.objects.filter(pk=claimed[0].message_id).update(state=Message.State.CANCELLED)
    again = queue.load([c.delivery_id for c in claimed])
    assert [c.delivery_id for c in again] == [c.delivery_id for c in claimed]
    assert all(c.cancelled for c in again)


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_results_are_recorded_in_one_go_for_each_outcome(settings, turkey, alice, bob):
    settings.WARDEN_ALERT_MAX_ATTEMPTS = ["email:3"]
    sent, retried, rejected, last_try, stolen = _claimed(turkey, alice, bob, 5)
    Delivery.objects.filter(pk=stolen).update(leased_by="other:2")
    results = [
        _result(sent, Outcome.sent("ref-1", response="250 ok")),
        _result(retried, Outcome.retry("451 later", retry_after=120)),
        _result(rejected, Outcome.reject("550 no such user")),
        _result(last_try, Outcome.retry("451 again"), attempt=3),
        _result(stolen, Outcome.sent("ref-5")),
    ]

    counts = queue.record_results(results, channel="email", provider="email1-smtp", worker="me:1")

    assert counts == {"sent": 2, "queued": 1, "failed": 2}
    rows = {d.pk: d for d in Delivery.objects.all()}
    assert (rows[sent].state, rows[sent].provider_ref, rows[sent].leased_by) == (
        "sent",
        "ref-1",
        "",
    )
    assert rows[sent].sent_at is not None and rows[sent].lease_until is None
    assert rows[retried].state == "queued" and rows[retried].error == "451 later"
    assert rows[retried].next_attempt_at >= timezone.now() + timedelta(seconds=110)
    assert (rows[rejected].state, rows[rejected].error) == ("failed", "550 no such user")
    assert rows[last_try].state == "failed"
    assert rows[stolen].state == "sending"  # leased by another worker now: left alone
    assert all(rows[pk].provider == "email1-smtp" for pk in (sent, retried, rejected, last_try))
    # Every attempt is recorded, the one whose lease was taken over too.
    assert Attempt.objects.count() == 5
    assert set(Attempt.objects.values_list("ok", flat=True)) == {True, False}


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_more_results_than_a_statement_page_are_all_recorded(monkeypatch, turkey, alice, bob):
    monkeypatch.setattr(queue, "UPDATE_PAGE", 2)
    ids = _claimed(turkey, alice, bob, 5)

    queue.record_results(
        [_result(pk, Outcome.sent(str(pk))) for pk in ids],
        channel="email",
        provider="p",
        worker="me:1",
    )

    assert sorted(Delivery.objects.values_list("provider_ref", flat=True)) == sorted(
        str(pk) for pk in ids
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_the_health_row_is_written_only_when_it_changes(sender, settings, turkey, alice, bob):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    settings.WARDEN_ALERT_BATCH = 1
    for n in range(3):
        present(f"P{n}", email=f"p{n}@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    ProviderHealth.objects.create(name="email1-locmem", failures=2, last_error="earlier")

    assert sender.send_channel("email") == 1  # a success resets the count
    health = ProviderHealth.objects.get()
    assert (health.failures, health.open_until) == (0, None)
    stamp = health.updated_at
    send_all(sender)

    assert ProviderHealth.objects.get().updated_at == stamp  # clean: not written again
    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_an_open_circuit_sends_through_the_next_provider(sender, settings, turkey, alice, bob):
    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:", "sandbox:"]
    present("Dana", email="dana@example.org")
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()
    ProviderHealth.objects.create(
        name="email1-locmem", failures=5, open_until=timezone.now() + timedelta(minutes=1)
    )

    send_all(sender)

    assert Delivery.objects.get().provider == "email2-sandbox"


# --- The SMTP envelope --------------------------------------------------------------


@pytest.fixture
def refusing_sink() -> Iterator[tuple[Controller, list[Any]]]:
    """An SMTP server that refuses recipients at refused.example and keeps envelopes."""
    received: list[Any] = []

    class Handler:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.endswith("@refused.example"):
                return "550 no such user"
            if address.endswith("@busy.example"):
                return "451 try later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    with smtp_server(Handler()) as controller:
        yield controller, received


@pytest.mark.django_db
@pytest.mark.usefixtures("authority")
def test_the_envelope_carries_plain_addresses_and_refusals_keep_the_session_usable(
    sender, settings, refusing_sink, turkey, alice, bob, monkeypatch
):
    controller, received = refusing_sink
    full = aiosmtplib.SMTP.sendmail
    parsed: list[str] = []

    async def sendmail(self: Any, sender: str, recipients: Any, *args: Any, **kw: Any) -> Any:
        parsed.extend(recipients)
        return await full(self, sender, recipients, *args, **kw)

    monkeypatch.setattr(aiosmtplib.SMTP, "sendmail", sendmail)
    settings.WARDEN_ALERT_EMAIL_URLS = [f"smtp://127.0.0.1:{controller.port}"]
    settings.WARDEN_ALERT_CONCURRENCY = 1  # one session: a refusal must not spoil the next
    settings.WARDEN_ALERT_MAX_ATTEMPTS = ["email:1"]
    present("Dana", email="dana@example.org")
    present("Rue", email="rue@refused.example")
    present("Bo", email="bo@busy.example")
    present("Eli", email="eli.o'neil+alerts@example.org")
    present("Quo", email="quo@[127.0.0.1]")  # not plain: aiosmtplib's own sendmail
    publish(turkey, 4, author=alice, approver=bob)
    expand_all()

    send_all(sender)

    states = sorted(Delivery.objects.values_list("state", flat=True))
    assert states == ["failed", "failed", "sent", "sent", "sent"]
    assert sorted(e.rcpt_tos[0] for e in received) == sorted(
        ["quo@[127.0.0.1]", "dana@example.org", "eli.o'neil+alerts@example.org"]
    )
    assert parsed == ["quo@[127.0.0.1]"]
    assert {e.mail_from for e in received} == {"warden@localhost"}
    refused = Attempt.objects.get(delivery__state="failed", error__contains="550")
    assert not refused.ok
    busy = Attempt.objects.get(error__contains="451")
    assert not busy.ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("authority")
def test_a_contact_point_removed_while_its_batch_is_sent_does_not_undo_the_batch(
    turkey, alice, bob
):
    """Someone removes an address (or is erased) while a batch with it is on the wire: its
    delivery and attempts are gone by the time the batch is recorded. The rest of the
    batch must still be recorded; an attempt written for the removed delivery failed the
    whole transaction, which left the others leased, to be sent a second time when their
    lease ran out."""
    ids = _claimed(turkey, alice, bob, 3)
    removed = Delivery.objects.get(pk=ids[1])
    removed.contact_point.delete()
    results = [_result(pk, Outcome.sent(f"ref-{pk}")) for pk in ids]

    counts = queue.record_results(results, channel="email", provider="smtp", worker="me:1")

    assert counts == {"sent": 3, "queued": 0, "failed": 0}  # the provider took all three
    assert sorted(Delivery.objects.filter(state="sent").values_list("pk", flat=True)) == [
        ids[0],
        ids[2],
    ]
    assert sorted(Attempt.objects.values_list("delivery_id", flat=True)) == [ids[0], ids[2]]
    assert not Delivery.objects.filter(pk=ids[1]).exists()
