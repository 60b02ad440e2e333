"""The public site in a real Chromium: the maps draw, the pages read right in both directions.

Screenshots are written to /tmp/site-*.png for a person to look at.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from warden.advisories import services
from warden.geo.models import Country, CustomArea
from warden.test import publish

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = str(Path(tempfile.gettempdir()) / "site-{name}.png")
LEVEL_4 = "#c0162c"
LEVEL_3 = "#e06c00"

# Reports CSP violations to the console, where the listener below collects them.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def demo(cast, authority, turkey) -> dict[str, Any]:
    """Something like the demo: Turkey raised to level 4, a few other countries, a statement."""
    alice, bob = cast["alice"], cast["bob"]
    publish(turkey, 2, author=alice, approver=bob)
    border = CustomArea.objects.create(
        code="TR-X-SYRIA-BORDER",
        country=turkey,
        name="Syrian border zone",
        names={"he": "אזור הגבול עם סוריה"},
        kind=CustomArea.Kind.CIRCLE,
        center_lat=36.8,
        center_lon=38.0,
        radius_km=60,
    )
    publish(
        turkey,
        4,
        author=alice,
        approver=bob,
        change_note="Raised after demonstrations at the consulate and the embassy.",
        texts={
            "en": services.TextContent(
                "All Israelis in Turkey should leave the country as soon as possible.",
                "Leave as soon as possible.\nAvoid demonstrations and crowds.",
            ),
            "he": services.TextContent(
                "על כל הישראלים השוהים בטורקיה לעזוב בהקדם האפשרי.",
                "יש לעזוב בהקדם האפשרי.\nיש להימנע מהפגנות ומהתקהלויות.",
            ),
        },
        is_temporary=True,
        expected_end=timezone.localdate() + timedelta(days=21),
        areas=(services.AreaContent(code=border.code, level=4),),
    )
    for code, level in [("EG", 3), ("JO", 2), ("GR", 1)]:
        publish(Country.objects.get(code=code), level, author=alice, approver=bob)
    draft = services.statement_draft(
        acting_user=alice,
        content=services.StatementContent(
            countries=("TR",),
            texts={
                "en": ("Leave Turkey", "All Israelis in Turkey should leave the country."),
                "he": ("לעזוב את טורקיה", "על כל הישראלים בטורקיה לעזוב את המדינה."),
            },
        ),
    )
    services.statement_submit(acting_user=alice, statement=draft)
    services.statement_publish(acting_user=bob, statement=draft)
    return {"turkey": turkey}


@pytest.fixture
def page(browser_page: Any) -> Iterator[Any]:
    """A page that fails the test on any console error, page error or CSP violation."""
    problems: list[str] = []
    browser_page.add_init_script(CSP_REPORTER)
    browser_page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    browser_page.on("pageerror", lambda error: problems.append(str(error)))
    yield browser_page
    assert problems == []


def wait_for_map(page: Any, kind: str) -> None:
    page.wait_for_selector(f'[data-map="{kind}"][data-state="ready"]')


def fill_of(page: Any, code: str) -> str:
    return str(page.get_attribute(f'path[data-country="{code}"]', "fill"))


def test_the_world_map_colours_each_country_by_level(live_server, demo, page) -> None:
    page.goto(f"{live_server.url}/")
    wait_for_map(page, "world")
    assert fill_of(page, "TR") == LEVEL_4
    assert fill_of(page, "EG") == LEVEL_3
    assert "country-TR" in str(page.get_attribute('path[data-country="TR"]', "class"))
    assert page.locator("#country-TR").inner_text().split("\t")[0] == "Türkiye"
    assert "Level 4" in page.locator("#country-TR").inner_text()
    page.screenshot(path=SCREENSHOTS.format(name="home"), full_page=False)
    page.locator('path[data-country="TR"]').click(force=True)
    page.wait_for_url(f"{live_server.url}/countries/TR/")


def test_the_country_page_shows_history_and_a_diff(live_server, demo, page) -> None:
    page.goto(f"{live_server.url}/countries/TR/")
    wait_for_map(page, "country")
    assert fill_of(page, "TR") == LEVEL_4
    assert page.locator("path.area-TR-X-SYRIA-BORDER").count() == 1
    history = page.locator("#history")
    assert history.locator("tbody tr").count() == 2
    assert "Raised after demonstrations" in history.inner_text()
    page.screenshot(path=SCREENSHOTS.format(name="country"), full_page=True)
    history.get_by_role("link", name="Changes since edition 1").click()
    page.wait_for_url("**/countries/TR/diff/?from=1&to=2")
    assert page.locator(".diff-added").first.inner_text().startswith("+")
    assert "All Israelis in Turkey" in page.locator(".diff-added").first.inner_text()
    page.screenshot(path=SCREENSHOTS.format(name="diff"), full_page=True)


def test_the_hebrew_pages_read_right_to_left(live_server, demo, page) -> None:
    page.goto(f"{live_server.url}/he/countries/TR/")
    assert page.evaluate("document.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "he"
    wait_for_map(page, "country")
    assert "איום גבוה" in page.locator(".level-panel").inner_text()
    page.screenshot(path=SCREENSHOTS.format(name="country-he"), full_page=True)
    page.goto(f"{live_server.url}/he/")
    wait_for_map(page, "world")
    assert fill_of(page, "TR") == LEVEL_4
    page.screenshot(path=SCREENSHOTS.format(name="home-he"), full_page=False)


def test_the_language_link_opens_the_same_page(live_server, demo, page) -> None:
    page.goto(f"{live_server.url}/countries/TR/")
    page.locator('.language-links a[hreflang="he"]').click()
    page.wait_for_url(f"{live_server.url}/he/countries/TR/")
    assert page.evaluate("document.dir") == "rtl"
