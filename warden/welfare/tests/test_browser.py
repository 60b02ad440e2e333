"""The dashboard in a real browser: counts, chart and map update live as answers arrive;
the case queue's clock ticks."""

from __future__ import annotations

import re

import pytest

from warden.test import PASSWORD
from warden.testing.browser import sign_in
from warden.testing.staff import backup_device
from warden.welfare.services import answer_record, round_open
from warden.welfare.tests.helpers import ANKARA, details, in_city

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dashboard_updates_live_and_the_case_clock_ticks(
    live_server, browser_page, turkey, dave, monkeypatch
):
    from playwright.sync_api import expect

    monkeypatch.setattr("warden.welfare.views.rounds.LIVE_SECONDS", 2)
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    dana = in_city("Dana", email="dana@example.org")
    in_city("Eli", ANKARA, email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    backup_device(dave, "dave0001")

    sign_in(page, live_server.url, "dave", PASSWORD, "dave0001")
    page.get_by_role("link", name="Welfare").click()
    page.get_by_role("link", name="Check-in Türkiye").click()
    expect(page.locator("[data-count='audience']")).to_have_text("2")
    expect(page.locator("[data-count='no_answer']")).to_have_text("2")
    expect(page.locator("#welfare-map[data-state='ready']")).to_be_visible()
    expect(page.locator(".city-marker")).to_have_count(2)
    expect(page.get_by_text("No answers yet.")).to_be_visible()

    answer_record(person=dana, status="needs_help", channel="link")
    expect(page.locator("[data-count='needs_help']")).to_have_text("1", timeout=10_000)
    expect(page.locator("[data-count='no_answer']")).to_have_text("1")
    expect(page.locator("#answer-chart svg .series-needs_help")).to_have_count(1)
    expect(page.locator(".city-needs-help")).to_have_count(1)

    page.goto(f"{live_server.url}/console/welfare/cases/")
    clock = page.locator(".case-clock")
    expect(clock).to_have_text(re.compile(r"^00:0\d:\d\d$"))
    first = clock.inner_text()
    page.wait_for_timeout(1500)
    assert clock.inner_text() != first
    page.get_by_role("link", name=f"Case {checkin.cases.get().pk}").click()
    page.get_by_role("textbox", name="Note *").fill("Called, no answer")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_text("The note is added.")).to_be_visible()
    assert errors == []
