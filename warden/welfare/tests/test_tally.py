"""A round's running totals (``RoundTally``): exact after every kind of write the database
sees, folded without changing them, and, on PostgreSQL, written by concurrent transactions
that never wait on one another."""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from warden.lib.bulk import bulk_insert, db_moment
from warden.people.models import Person
from warden.people.retention import retention_purge
from warden.welfare import steps, tally
from warden.welfare.models import CheckInRound, RoundMember, RoundTally, Status
from warden.welfare.selectors import Counts, _counts, round_counts
from warden.welfare.tests.helpers import a_round

pytestmark = pytest.mark.django_db
STATUSES = ["", *Status.values]
POSTGRESQL = connection.vendor == "postgresql"
MEMBERS = RoundMember._meta.db_table
COLUMNS = ("round_id", "person_id", "status", "reached_at", "preference", "city_name", "area_code")


def direct(round_id: int) -> Counts:
    """The counts as the members themselves give them: one aggregate over the round."""
    rows = (
        RoundMember.objects.filter(round_id=round_id)
        .values_list("status")
        .annotate(n=Count("*"), reached=Count("reached_at"))
        .order_by()
    )
    return _counts([(status, n, r) for status, n, r in rows])


def agrees(*rounds: CheckInRound) -> None:
    for checkin in rounds:
        assert round_counts(checkin) == direct(checkin.pk), f"round #{checkin.pk}"


def people(count: int) -> list[Person]:
    return Person.objects.bulk_create([Person() for _ in range(count)])


def write(checkin: CheckInRound, who: list[Person], rng: random.Random) -> None:
    """Members through the bulk path (COPY on PostgreSQL), with random answers and reach."""
    now = timezone.now()
    rows = [
        (checkin.pk, p.pk, rng.choice(STATUSES), db_moment(rng.choice([None, now])), 1, "", "")
        for p in who
    ]
    bulk_insert(MEMBERS, COLUMNS, rows)


def tally_rows(checkin: CheckInRound) -> int:
    return RoundTally.objects.filter(round=checkin).count()


def test_the_triggers_are_in_place():
    # A migration that rebuilds the members', rounds' or tallies' table on SQLite drops them:
    # it must run tally.uninstall() before and tally.install() after.
    assert tally.missing_triggers() == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_totals_match_the_members_after_every_kind_of_write(turkey, seed):
    rng = random.Random(seed)
    crowd = people(60)
    first, second = a_round(turkey), a_round(turkey)
    agrees(first, second)

    # The bulk path: COPY on PostgreSQL, executemany on SQLite.
    in_first = rng.sample(crowd, 30)
    write(first, in_first, rng)
    in_second = rng.sample(crowd, 25)
    write(second, in_second, rng)
    agrees(first, second)

    # The ORM's inserts: one row, then several in one statement.
    outside = [p for p in crowd if p not in in_first]
    RoundMember.objects.create(round=first, person=outside[0], status=Status.SAFE)
    RoundMember.objects.bulk_create(
        [RoundMember(round=first, person=p, reached_at=timezone.now()) for p in outside[1:6]]
    )
    agrees(first, second)

    # The ORM's updates, of statuses and of reach, some changing nothing.
    for _ in range(12):
        checkin = rng.choice([first, second])
        ids = [p.pk for p in rng.sample(crowd, 15)]
        chosen = RoundMember.objects.filter(round=checkin, person_id__in=ids)
        kind = rng.randrange(3)
        if kind == 0:
            chosen.update(status=rng.choice(STATUSES), status_at=timezone.now())
        elif kind == 1:
            chosen.update(reached_at=rng.choice([None, timezone.now()]))
        else:
            chosen.update(preference=2)
        agrees(first, second)

    # An answer copied onto every open membership, the way members_mark does it.
    someone = rng.choice(in_first).pk
    moment = timezone.now()
    RoundMember.objects.filter(person_id=someone, round__state=CheckInRound.State.OPEN).update(
        status=Status.NEEDS_HELP,
        status_at=moment,
        answered_at=Coalesce(F("answered_at"), Value(moment)),
    )
    agrees(first, second)

    # Raw SQL, as bench/checkins.py writes answers and reach.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {MEMBERS} SET status = %s WHERE round_id = %s AND person_id %% 3 = 0",  # noqa: S608
            [Status.LEFT, first.pk],
        )
        cursor.execute(
            f"UPDATE {MEMBERS} SET reached_at = %s WHERE person_id %% 2 = 1",  # noqa: S608
            [db_moment(timezone.now())],
        )
    agrees(first, second)

    # A member saved whole, and one moved to the other round.
    member = RoundMember.objects.filter(round=first).order_by("?").first()
    assert member is not None
    member.status = Status.MISSING
    member.save()
    taken = set(RoundMember.objects.filter(round=second).values_list("person_id", flat=True))
    mover = RoundMember.objects.filter(round=first).exclude(person_id__in=taken).first()
    assert mover is not None
    mover.round = second
    mover.save()
    agrees(first, second)

    # Deletes: by a filter, one member, and people with their memberships (cascade).
    RoundMember.objects.filter(round=first, status=Status.SAFE).delete()
    RoundMember.objects.filter(round=second).order_by("?").first().delete()  # type: ignore[union-attr]
    agrees(first, second)
    Person.objects.get(pk=rng.choice(in_second).pk).delete()
    agrees(first, second)
    assert retention_purge(now=timezone.now() + timedelta(days=365 * 30), limit=5) == 5
    agrees(first, second)

    # A round deleted through the ORM takes its totals with it.
    gone = second.pk
    second.delete()
    agrees(first)
    assert not RoundTally.objects.filter(round_id=gone).exists()
    assert round_counts(gone) == Counts()

    # Raw deletes, members first, as bench/checkins.py empties its tables.
    RoundMember.objects.filter(round=first)._raw_delete(connection.alias)
    assert round_counts(first) == Counts()
    CheckInRound.objects.filter(pk=first.pk)._raw_delete(connection.alias)
    assert not RoundTally.objects.exists()


def test_a_round_of_named_people_counts_from_its_first_member(turkey):
    checkin = a_round(turkey)
    assert round_counts(checkin) == Counts()
    (dana,) = people(1)
    RoundMember.objects.create(round=checkin, person=dana)
    assert round_counts(checkin).as_dict() == {
        "audience": 1, "reached": 0, "safe": 0, "needs_help": 0, "left": 0, "other": 0,
        "no_answer": 1, "answered": 0,
    }  # fmt: skip
    RoundMember.objects.filter(round=checkin).update(
        status=Status.DECEASED, reached_at=timezone.now()
    )
    counts = round_counts(checkin)
    assert (counts.audience, counts.reached, counts.other, counts.no_answer) == (1, 1, 1, 0)


def test_compaction_keeps_the_totals_and_folds_the_rows(turkey):
    rng = random.Random(7)
    crowd = people(40)
    busy, quiet = a_round(turkey), a_round(turkey, state=CheckInRound.State.CLOSED)
    write(busy, crowd, rng)
    write(quiet, crowd[:10], rng)
    # One answer per statement, as answers come in.
    for _ in range(tally.COMPACT_ROWS):
        member = RoundMember.objects.filter(round=busy).order_by("?").first()
        assert member is not None
        RoundMember.objects.filter(pk=member.pk).update(status=rng.choice(STATUSES))
        RoundMember.objects.filter(round=quiet, person_id=member.person_id).update(
            status=rng.choice(STATUSES)
        )
    before = round_counts(busy), round_counts(quiet)
    agrees(busy, quiet)

    if POSTGRESQL:
        # A row of deltas per statement that changed a pair.
        assert tally_rows(busy) > tally.COMPACT_ROWS
        assert tally.due() == [busy.pk]  # a closed round waits
        assert steps.checkins() is True
        assert tally.compact_step() is False
        # The rows of a round that is gone (or being deleted) are left to its delete.
        stray = busy.pk + quiet.pk + 1
        RoundTally.objects.bulk_create([RoundTally(round_id=stray, n=1) for _ in range(3)])
        assert tally.compact(stray) == 0
        assert RoundTally.objects.filter(round_id=stray).count() == 3
    else:
        # One row per pair, always.
        assert tally.due() == []
        assert tally.compact_step() is False
        tally.compact(busy.pk)
    assert (round_counts(busy), round_counts(quiet)) == before
    assert tally_rows(busy) <= len(STATUSES) * 2
    assert not RoundTally.objects.filter(round=busy, n=0).exists()
    assert tally.compact(quiet.pk) >= 0
    assert (round_counts(busy), round_counts(quiet)) == before
    agrees(busy, quiet)

    # Folded rows take further deltas like any others.
    RoundMember.objects.filter(round=busy).update(status=Status.SAFE, reached_at=None)
    assert round_counts(busy).safe == 40
    agrees(busy, quiet)


def test_install_recomputes_every_total_from_the_members(turkey):
    rng = random.Random(11)
    crowd = people(20)
    first, second = a_round(turkey), a_round(turkey)
    write(first, crowd, rng)
    write(second, crowd[5:], rng)
    RoundTally.objects.filter(round=first).update(n=F("n") + 5)
    RoundTally.objects.filter(round=second).delete()
    assert round_counts(first) != direct(first.pk)
    if POSTGRESQL:
        # Pending deferred checks on the members would stop the triggers being replaced.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    tally.uninstall()
    missing = tally.missing_triggers()
    assert "welfare_tally_insert" in missing
    assert "welfare_tally_round_delete" in missing
    tally.install()
    assert tally.missing_triggers() == []
    agrees(first, second)
    RoundMember.objects.filter(round=second).update(status=Status.SAFE)
    agrees(first, second)


@pytest.mark.skipif(not POSTGRESQL, reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_answers_and_compaction_never_wait_on_each_other(turkey):
    rng = random.Random(5)
    crowd = people(30)
    checkin = a_round(turkey)
    write(checkin, crowd, rng)
    RoundMember.objects.filter(round=checkin).update(status="")
    ids = [p.pk for p in crowd]
    written = threading.Event()
    finish = threading.Event()
    failures: list[BaseException] = []

    def slow_answer() -> None:
        """An answer whose transaction stays open, holding its member's row."""
        try:
            with transaction.atomic():
                RoundMember.objects.filter(round=checkin, person_id=ids[0]).update(
                    status=Status.SAFE
                )
                written.set()
                assert finish.wait(10)
        except BaseException as error:
            failures.append(error)
            written.set()
        finally:
            connections.close_all()

    other = threading.Thread(target=slow_answer)
    other.start()
    try:
        assert written.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            # Anything waiting on the other transaction fails at once instead.
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            for pk in ids[1:11]:
                RoundMember.objects.filter(round=checkin, person_id=pk).update(
                    status=Status.NEEDS_HELP
                )
            tally.compact(checkin.pk)
        # Committed: ten answers, folded; the open one is not seen yet.
        assert round_counts(checkin).needs_help == 10
        assert round_counts(checkin).safe == 0
        assert tally_rows(checkin) == len(tally.totals(checkin.pk))
    finally:
        finish.set()
        other.join(10)
    assert not failures
    assert round_counts(checkin).safe == 1
    agrees(checkin)
    tally.compact(checkin.pk)
    agrees(checkin)
