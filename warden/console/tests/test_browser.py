"""The two-person path in a real browser: an analyst drafts level 4 with the live preview,
another approver publishes it, and the country page shows the new level."""

from __future__ import annotations

import re

import pytest

from warden.test import PASSWORD
from warden.testing.browser import sign_in
from warden.testing.staff import backup_device

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # The live server needs committed rows; serialized rollback restores the countries and
    # roles that migrations load, for the transactional tests that come after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_analyst_drafts_level_4_and_another_approver_publishes_it(
    live_server, browser_page, authority, turkey, alice, bob
):
    from playwright.sync_api import expect

    page = browser_page
    errors: list[str] = []  # CSP violations and script errors show up here

    def console_error(message) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", console_error)
    page.on("pageerror", lambda error: errors.append(str(error)))
    backup_device(alice, "alice001")
    backup_device(bob, "bob00001")

    sign_in(page, live_server.url, "alice", PASSWORD, "alice001")
    expect(page.get_by_role("heading", name="Travel-security levels")).to_be_visible()

    page.goto(f"{live_server.url}/console/countries/TR/")
    page.get_by_role("link", name="New draft").click()
    page.get_by_label(re.compile(r"^4\s+High threat")).check()
    page.get_by_label("T — Terrorism").check()
    page.get_by_label("U — Civil unrest").check()
    page.get_by_label("Summary (English)").fill("All Israelis in Turkey should leave.")
    page.get_by_label("Full advice (English)").fill("Leave as soon as possible.")
    page.get_by_label("Summary (Hebrew)").fill("על כל הישראלים בטורקיה לעזוב.")
    page.get_by_label("Full advice (Hebrew)").fill("יש לעזוב בהקדם האפשרי.")
    page.get_by_label("Change note", exact=True).fill("Raised to level 4.")

    preview = page.locator("#preview")
    expect(preview).to_contain_text("All Israelis in Turkey should leave.")
    expect(preview).to_contain_text("על כל הישראלים בטורקיה לעזוב.")
    expect(preview).to_contain_text("High threat: do not travel")

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Submitted for approval.")).to_be_visible()
    edition_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "bob", PASSWORD, "bob00001")
    page.goto(edition_url)
    expect(page.locator(".diff-added").first).to_contain_text("All Israelis in Turkey")
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published. This edition is now in force.")).to_be_visible()

    page.goto(f"{live_server.url}/console/countries/TR/")
    current = page.locator("section", has=page.get_by_role("heading", name="In force now"))
    expect(current.locator(".level-large")).to_have_text(re.compile(r"4\s+High threat"))
    assert errors == []
