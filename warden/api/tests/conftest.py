"""Published data for the API tests: Türkiye at level 4 with two areas and a statement."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from warden.advisories import services
from warden.advisories.models import Edition, Statement
from warden.advisories.services import AreaContent, StatementContent, TextContent
from warden.geo import services as geo
from warden.geo.models import Country
from warden.test import content, publish

LEAVE = {
    "en": ("Leave Türkiye", "Citizens in Türkiye should leave as soon as possible."),
    "he": ("לצאת מטורקיה", "אזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם."),
}


def publish_statement(
    *, author: User, approver: User, countries: tuple[str, ...], exercise: bool = False
) -> Statement:
    statement = services.statement_draft(
        acting_user=author,
        content=StatementContent(countries=countries, texts=LEAVE),
        is_exercise=exercise,
    )
    services.statement_submit(acting_user=author, statement=statement)
    return services.statement_publish(acting_user=approver, statement=statement)


def publish_exercise(country: Country, level: int, *, author: User, approver: User) -> Edition:
    drill = services.edition_draft(
        acting_user=author, country=country, content=content(level), is_exercise=True
    )
    services.edition_submit(acting_user=author, edition=drill)
    return services.edition_publish(acting_user=approver, edition=drill)


@pytest.fixture
def api() -> Client:
    return Client()


@pytest.fixture
def border(turkey: Country, alice: User) -> Any:
    return geo.custom_area_create(
        acting_user=alice,
        country=turkey,
        code="TR-X-SYRIAN-BORDER",
        name="Syrian border",
        names={"he": "גבול סוריה"},
        center_lat=36.8,
        center_lon=38.0,
        radius_km=10.0,
    )


@pytest.fixture
def published(authority: Any, turkey: Country, border: Any, alice: User, bob: User) -> Edition:
    """TR: level 2, then level 4 with İstanbul at 4 and the border at 4; one statement."""
    publish(turkey, 2, author=alice, approver=bob)
    edition = publish(
        turkey,
        4,
        author=alice,
        approver=bob,
        areas=(
            AreaContent(code="TR-34", level=4, notes={"en": "Including the airports."}),
            AreaContent(
                code="TR-X-SYRIAN-BORDER",
                level=4,
                notes={"en": "Within 10 km of the border.", "he": "עד 10 ק״מ מהגבול."},
            ),
        ),
    )
    publish_statement(author=alice, approver=bob, countries=("TR",))
    return edition


@pytest.fixture
def english_only(authority: Any, alice: User, bob: User) -> Edition:
    """Greece at level 1, with no Hebrew translation."""
    greece = Country.objects.get(pk="GR")
    return publish(
        greece,
        1,
        author=alice,
        approver=bob,
        texts={"en": TextContent("Take basic precautions.", "Normal safety precautions.")},
    )
