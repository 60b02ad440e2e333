"""``field__any_of=ids``: the right rows on both databases, and on PostgreSQL a plan that
stays a plain index scan when the table's statistics are older than its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from warden.lib.bulk import bulk_insert
from warden.people.models import Person
from warden.welfare.models import RoundMember
from warden.welfare.tests.helpers import a_round

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"


def test_any_of_finds_exactly_the_listed_ids_through_keys_and_foreign_keys(turkey):
    people = Person.objects.bulk_create([Person(given_name=f"P{i}") for i in range(12)])
    ids = [p.pk for p in people]
    chosen = ids[1::3]

    assert sorted(Person.objects.filter(pk__any_of=chosen).values_list("pk", flat=True)) == chosen
    assert not Person.objects.filter(pk__any_of=[]).exists()
    checkin = a_round(turkey)
    RoundMember.objects.bulk_create([RoundMember(round=checkin, person_id=pk) for pk in ids])
    updated = RoundMember.objects.filter(round=checkin, person_id__any_of=chosen).update(
        reached_at=timezone.now()
    )
    assert updated == len(chosen)
    reached = RoundMember.objects.filter(round=checkin, reached_at__isnull=False)
    assert sorted(reached.values_list("person_id", flat=True)) == chosen


def test_any_of_binds_the_list_as_one_parameter():
    query = Person.objects.filter(pk__any_of=list(range(1, 500))).values_list("pk")
    sql, params = query.query.sql_with_params()
    assert len(params) == 1
    expected = "= ANY(" if POSTGRESQL else "json_each("
    assert expected in sql


@pytest.mark.skipif(not POSTGRESQL, reason="a PostgreSQL planner test")
def test_with_stale_statistics_a_page_is_not_planned_as_a_join(turkey):
    # A round written after its table was last analyzed: the planner believes it is empty.
    # ``IN (SELECT unnest(...))`` was then planned as a nested loop over the id list, which
    # took seconds a page; ``= ANY`` stays a filter on one index scan.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {RoundMember._meta.db_table}")
    people = Person.objects.bulk_create([Person() for _ in range(3000)])
    checkin = a_round(turkey)
    bulk_insert(
        RoundMember._meta.db_table,
        ("round_id", "person_id", "status", "preference", "city_name", "area_code"),
        [(checkin.pk, p.pk, "", 1, "", "") for p in people],
    )
    ids = [p.pk for p in people[::2]]
    page = RoundMember.objects.filter(
        round=checkin,
        person_id__any_of=ids,
        person_id__gte=ids[0],
        person_id__lte=ids[-1],
        reached_at__isnull=True,
    )
    plan = page.order_by().values("pk").explain()
    assert "Join" not in plan and "Nested Loop" not in plan, plan
    assert page.count() == len(ids)
