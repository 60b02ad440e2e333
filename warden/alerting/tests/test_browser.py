"""In a real Chromium: an approver publishes level 4 with "notify" ticked, then watches the
message's counts move live while the worker sends it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from warden.advisories import services
from warden.alerting.models import Message
from warden.alerting.sender import Sender
from warden.alerting.tests.helpers import expand_all, present, send_all
from warden.test import PASSWORD, content
from warden.testing.browser import sign_in
from warden.testing.staff import backup_device


def _work() -> None:
    sending = Sender()
    try:
        expand_all()
        send_all(sending)
    finally:
        sending.close()
        connection.close()


pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_publish_with_notify_then_watch_the_counts_move(
    live_server, browser_page, authority, turkey, alice, bob, settings
):
    from playwright.sync_api import expect

    settings.WARDEN_ALERT_EMAIL_URLS = ["locmem:"]
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(4))
    services.edition_submit(acting_user=alice, edition=edition)
    backup_device(bob, "bob00001")

    sign_in(page, live_server.url, "bob", PASSWORD, "bob00001")
    page.goto(f"{live_server.url}/console/editions/{edition.pk}/")
    expect(page.get_by_label("Notify the people in the country", exact=False)).to_be_checked()
    page.get_by_role("button", name="Publish now").click()
    page.get_by_role("link", name=f"Message #{Message.objects.get().pk}").click()
    expect(page.locator('[data-count="planned"]')).to_have_text("0")
    expect(page.locator('[data-count="status"]')).to_have_text("Waiting to be expanded")

    # The worker's part runs in a thread of its own, as in a worker process: Playwright's
    # event loop owns this one.
    worker = threading.Thread(target=_work)
    worker.start()
    worker.join(timeout=60)
    # No reload: the page polls its progress.
    expect(page.locator('[data-count="sent"]')).to_have_text("2", timeout=10_000)
    expect(page.locator('[data-count="queued"]')).to_have_text("0")
    expect(page.locator('[data-count="status"]')).to_have_text("Finished")
    assert errors == []
