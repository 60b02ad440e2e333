from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from warden.advisories import services
from warden.advisories.models import Status
from warden.advisories.services import StatementContent, TwoPersonRuleError
from warden.test import content, publish

pytestmark = pytest.mark.django_db

LEAVE = {
    "en": ("Leave Turkey", "All citizens in Turkey should leave the country as soon as possible."),
    "he": ("לצאת מטורקיה", "כל האזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם האפשרי."),
}


def test_a_statement_always_needs_a_second_person(authority, turkey, carol, bob):
    statement = services.statement_draft(
        acting_user=carol, content=StatementContent(countries=("TR",), texts=LEAVE)
    )
    services.statement_submit(acting_user=carol, statement=statement)
    with pytest.raises(TwoPersonRuleError):
        services.statement_publish(acting_user=carol, statement=statement)
    services.statement_publish(acting_user=bob, statement=statement)
    statement.refresh_from_db()
    assert statement.status == Status.PUBLISHED
    assert statement.published_by == bob


def test_a_tied_statement_is_published_and_withdrawn_with_its_edition(
    authority, turkey, alice, bob
):
    publish(turkey, 2, author=alice, approver=bob)
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(4))
    statement = services.statement_draft(
        acting_user=alice,
        content=StatementContent(countries=("TR",), texts=LEAVE, edition_id=edition.pk),
    )
    services.statement_submit(acting_user=alice, statement=statement)
    services.edition_submit(acting_user=alice, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition)
    statement.refresh_from_db()
    assert statement.status == Status.PUBLISHED
    services.edition_withdraw(acting_user=bob, edition=edition, reason="Wrong country.")
    statement.refresh_from_db()
    assert statement.status == Status.WITHDRAWN
    assert "Wrong country." in statement.withdrawn_reason


def test_statement_input_is_validated(authority, turkey, alice):
    with pytest.raises(ValidationError) as err:
        services.statement_draft(
            acting_user=alice, content=StatementContent(countries=("XX",), texts=LEAVE)
        )
    assert err.value.message_dict == {"countries": ["Unknown country code."]}
    statement = services.statement_draft(
        acting_user=alice, content=StatementContent(countries=("TR",), texts={})
    )
    with pytest.raises(ValidationError) as err:
        services.statement_submit(acting_user=alice, statement=statement)
    assert err.value.message_dict == {"texts": ["The English headline and text are required."]}


def test_returning_needs_a_comment_and_reopens_editing(authority, turkey, alice, bob):
    statement = services.statement_draft(
        acting_user=alice, content=StatementContent(countries=("TR",), texts=LEAVE)
    )
    services.statement_submit(acting_user=alice, statement=statement)
    with pytest.raises(ValidationError):
        services.statement_return(acting_user=bob, statement=statement, comment="  ")
    services.statement_return(acting_user=bob, statement=statement, comment="Add Hebrew.")
    services.statement_revise(
        acting_user=alice,
        statement=statement,
        content=StatementContent(countries=("TR",), texts=LEAVE),
    )
    statement.refresh_from_db()
    assert statement.status == Status.RETURNED
    assert statement.returned_comment == "Add Hebrew."
