"""Role × action matrix at the service layer: the layer every view, command and API uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from warden.accounts.roles import ACTIONS
from warden.advisories import services
from warden.advisories.services import StatementContent
from warden.test import CAST, content

pytestmark = pytest.mark.django_db

TEXTS = {"en": ("Headline", "Text.")}


def _submitted_edition(cast: dict[str, Any], turkey: Any, level: int = 2) -> Any:
    edition = services.edition_draft(
        acting_user=cast["alice"], country=turkey, content=content(level)
    )
    return services.edition_submit(acting_user=cast["alice"], edition=edition)


def _submitted_statement(cast: dict[str, Any]) -> Any:
    statement = services.statement_draft(
        acting_user=cast["alice"], content=StatementContent(countries=("TR",), texts=TEXTS)
    )
    return services.statement_submit(acting_user=cast["alice"], statement=statement)


CALLS: dict[str, Callable[[Any, dict[str, Any], Any], Any]] = {
    "advisory.draft": lambda u, c, t: services.edition_draft(
        acting_user=u, country=t, content=content(2)
    ),
    "advisory.submit": lambda u, c, t: services.edition_submit(
        acting_user=u,
        edition=services.edition_draft(acting_user=c["alice"], country=t, content=content(2)),
    ),
    "advisory.publish": lambda u, c, t: services.edition_publish(
        acting_user=u, edition=_submitted_edition(c, t)
    ),
    "advisory.return": lambda u, c, t: services.edition_return(
        acting_user=u, edition=_submitted_edition(c, t), comment="No."
    ),
    "statement.draft": lambda u, c, t: services.statement_draft(
        acting_user=u, content=StatementContent(countries=("TR",), texts=TEXTS)
    ),
    "statement.publish": lambda u, c, t: services.statement_publish(
        acting_user=u, statement=_submitted_statement(c)
    ),
    "authority.manage": lambda u, c, t: services.authority_create(
        acting_user=u, slug=f"a-{u.username}", name="Other", sender="other.example"
    ),
}


@pytest.mark.parametrize("action", sorted(CALLS))
@pytest.mark.parametrize("name", sorted(CAST))
def test_service_permission_matrix(action, name, cast, authority, turkey):
    user = cast[name]
    allowed = bool(ACTIONS[action] & set(CAST[name]))
    if allowed:
        CALLS[action](user, cast, turkey)
    else:
        with pytest.raises(PermissionDenied):
            CALLS[action](user, cast, turkey)


def test_inactive_staff_have_no_roles(cast, authority, turkey):
    alice = cast["alice"]
    alice.is_active = False
    alice.save()
    with pytest.raises(PermissionDenied):
        services.edition_draft(acting_user=alice, country=turkey, content=content(2))
