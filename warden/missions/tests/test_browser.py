"""Ordering a departure end to end in a real browser: the mission manager requests it,
an approver approves it, and the post, its people and their messages follow."""

from __future__ import annotations

import re

import pytest

from warden.alerting.models import Message
from warden.missions.models import StaffMember
from warden.test import PASSWORD
from warden.testing.browser import sign_in
from warden.testing.staff import backup_device

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_erin_requests_an_ordered_departure_and_bob_approves_it(
    live_server, browser_page, ankara, staff, level, erin, bob
):
    from playwright.sync_api import expect

    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    level(4)
    backup_device(erin, "erin0001")
    backup_device(bob, "bob00001")

    sign_in(page, live_server.url, "erin", PASSWORD, "erin0001")
    page.goto(f"{live_server.url}/console/posts/")
    expect(page.locator("#post-map[data-state='ready']")).to_be_visible()
    expect(page.locator(".post-marker")).to_have_count(1)
    page.get_by_role("link", name="Embassy in Ankara").click()
    page.get_by_label("New status").select_option("ordered_departure")
    page.get_by_label("Reasons").fill("Threats against Israeli representatives.")
    page.get_by_label("Who leaves").select_option("non_emergency")
    page.get_by_label("Departure deadline (UTC)").fill("2099-10-21T18:00")
    page.get_by_label("Safe haven").fill("Athens")
    page.get_by_label("Temporary measure").check()
    page.get_by_label("Review date").fill("2099-11-19")
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_text("Requested. A second person must approve it")).to_be_visible()
    expect(page.locator("#post-status")).to_contain_text("Normal operations")
    post_url = page.url
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "bob", PASSWORD, "bob00001")
    page.goto(post_url)
    expect(page.locator("#pending-request")).to_contain_text("erin asks for: Ordered departure")
    page.get_by_role("button", name="Approve the request").click()
    expect(page.get_by_text("Approved. The decision is in force")).to_be_visible()
    expect(page.locator("#post-status")).to_contain_text("Ordered departure")
    expect(page.locator("#review-date")).to_have_text("19 Nov 2099")
    officer = page.locator(f"#staff-{staff['officer'].pk}")
    expect(officer).to_contain_text("Ordered to leave")
    expect(page.locator(f"#staff-{staff['head'].pk}")).to_contain_text("At post")
    expect(page.locator("#timeline")).to_contain_text(re.compile(r"Normal operations → Ordered"))

    assert StaffMember.objects.get(pk=staff["spouse"].pk).departure_state == "ordered"
    assert Message.objects.filter(kind="drawdown").count() == 2
    assert errors == []
