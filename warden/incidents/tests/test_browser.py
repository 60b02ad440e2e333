"""The review flow in a real browser: an analyst pastes a report, sees what was found
marked in the text, accepts the proposal, and lands on the new incident."""

from __future__ import annotations

import re

import pytest

from warden.incidents.models import Incident, Proposal
from warden.incidents.tests.helpers import ARTICLE
from warden.test import PASSWORD
from warden.testing.browser import sign_in
from warden.testing.staff import backup_device

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_accepts_a_proposal(live_server, browser_page, alice, posts):
    from playwright.sync_api import expect

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    backup_device(alice, "alice001")
    sign_in(page, live_server.url, "alice", PASSWORD, "alice001")

    page.goto(f"{live_server.url}/console/incidents/")
    page.get_by_role("link", name="Intake").click()
    page.get_by_label(re.compile(r"^Text")).fill(ARTICLE)
    page.get_by_label("Outlet", exact=True).fill("Example Wire")
    page.get_by_role("button", name="Read the text").click()

    expect(page.get_by_role("heading", name="Review a proposal")).to_be_visible()
    expect(page.locator("#source-text mark.mark-place").first).to_have_text("embassy")
    expect(page.get_by_label("Country")).to_have_value("TR")
    page.get_by_label("Title").fill("Demonstration at the embassy in Ankara")
    page.get_by_role("button", name="Accept", exact=True).click()

    expect(page.get_by_text("Proposal accepted as an incident.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Demonstration at the embassy in Ankara")
    ).to_be_visible()
    incident = Incident.objects.get()
    assert incident.country_id == "TR" and incident.nearest_post == posts["embassy"]
    assert Proposal.objects.get().status == "accepted"
    assert incident.claims.count() == 2

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Incidents").click()
    page.get_by_role("link", name="Map", exact=True).click()
    expect(page.locator("#incident-map[data-state=ready] .incident-marker")).to_have_text("1")
    assert errors == []
