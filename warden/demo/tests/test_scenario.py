from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.accounts.roles import user_roles
from warden.advisories.models import Edition, Status
from warden.advisories.services import current_edition
from warden.audit.models import AuditEvent
from warden.audit.services import chain_verify
from warden.demo import scenario
from warden.demo.staff import STAFF
from warden.geo.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[scenario.DemoResult]:
    """The scenario, loaded once for the module (it takes seconds) and rolled back after.

    Each test runs in a savepoint inside this transaction, so tests cannot see each other.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield scenario.load(stdout=StringIO())
        transaction.set_rollback(True)


def test_every_country_has_exactly_one_current_edition(demo):
    published = Edition.objects.filter(status=Status.PUBLISHED, is_exercise=False)
    per_country = published.values("country").annotate(n=Count("id"))

    assert published.count() == Country.objects.count() == demo.editions - 1
    assert {row["n"] for row in per_country} == {1}
    assert all(
        "Demo data, not real advice." in text.body
        for edition in published
        for text in edition.texts.filter(language="en")
    )


def test_turkey_is_at_level_4_with_its_statement_published(demo):
    edition = current_edition("TR")

    assert edition is not None
    assert edition.effective_at is not None
    assert edition.previous is not None
    assert edition == demo.turkey
    assert (edition.level, edition.reasons, edition.is_temporary) == (4, ["T", "U"], False)
    assert edition.effective_at.date().isoformat() == "2023-10-18"
    assert edition.previous.level == 2
    assert demo.statement.status == Status.PUBLISHED
    assert demo.statement.edition == edition
    assert demo.statement.issued_at.date().isoformat() == "2023-10-18"
    hebrew = demo.statement.text("he")
    assert hebrew is not None
    assert hebrew.title == "כל האזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם האפשרי"


def test_a_second_person_published_the_level_4_edition(demo):
    edition = demo.turkey

    assert edition.published_by_id != edition.author_id
    assert edition.published_by.username == "approver"
    assert demo.statement.published_by_id != demo.statement.author_id


def test_each_demo_user_can_sign_in_with_a_password_and_a_backup_code(demo):
    for login in demo.logins:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password)
        assert len(login.password) >= 12
        assert {login.role} == user_roles(user)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        tokens = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        assert sorted(tokens) == sorted(login.backup_codes)
        assert len(set(login.backup_codes)) == 5
    assert [login.username for login in demo.logins] == [name for name, _ in STAFF]
    assert User.objects.get(username="admin").is_staff


def test_the_audit_chain_verifies_and_names_each_demo_user(demo):
    assert list(chain_verify()) == []
    created = AuditEvent.objects.filter(action="accounts.user.create_demo")
    assert sorted(created.values_list("object_repr", flat=True)) == sorted(
        name for name, _ in STAFF
    )


def test_it_places_the_posts_in_turkey(demo):
    assert [(post.kind, post.city) for post in demo.posts] == [
        ("embassy", "Ankara"),
        ("consulate_general", "Istanbul"),
    ]


def test_it_refuses_to_load_twice(demo):
    with pytest.raises(scenario.DemoError):
        scenario.load()


def test_a_demo_user_signs_in_with_a_backup_code_instead_of_an_app(demo, client):
    login = demo.logins[0]
    code = login.backup_codes[0]

    response = client.post(
        "/accounts/login/",
        {"username": login.username, "password": login.password, "otp_token": code},
    )

    assert response.status_code == 302
    assert not StaticToken.objects.filter(token=code).exists()


def test_the_registry_holds_20000_people_and_the_turkey_approval_counts_2000(demo):
    from warden.advisories.selectors import notification_audience_count
    from warden.missions.models import StaffMember
    from warden.people.models import Person

    staff = StaffMember.objects.values("person")  # the posts' people, added by missions
    assert demo.people == Person.objects.exclude(pk__in=staff).count() == 20_000
    assert 2_000 <= notification_audience_count(demo.turkey) < 2_100
