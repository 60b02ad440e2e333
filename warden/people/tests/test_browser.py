"""Enrolment in a real Chromium: magic link from the mail outbox, the wizard, my registration.

Screenshots are written to /tmp/enrol-*.png for a person to look at.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from django.core import mail

from warden.people.models import ContactPoint, Person, PhoneCode

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = str(Path(tempfile.gettempdir()) / "enrol-{name}.png")
EMAIL = "noa.cohen@example.org"


def shot(page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS.format(name=name), full_page=True)


def test_enrol_in_the_browser_then_read_my_registration_in_hebrew(live_server, browser_page):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url

    page.goto(f"{base}/")
    page.get_by_role("link", name="Register your trip").click()
    page.get_by_label("Your email address").fill(EMAIL)
    shot(page, "1-start")
    page.get_by_role("button", name="Send me the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()

    link = re.search(r"https?://\S+", str(mail.outbox[-1].body))
    assert link is not None
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    page.goto(f"{base}{path}")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("Given name").fill("Noa")
    page.get_by_label("Family name").fill("Cohen")
    shot(page, "2-who")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Country").select_option("TR")
    page.get_by_label("City (optional)").press_sequentially("Istan", delay=30)
    page.locator('#city-suggestions option[value="Istanbul"]').wait_for(state="attached")
    page.get_by_label("City (optional)").fill("Istanbul")
    page.get_by_label("Arrival").fill("2030-05-01")
    page.get_by_label("Departure (leave empty if you live there)").fill("2030-05-20")
    shot(page, "3-where")
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Mobile phone (optional)").fill("+972 54 321 1234")
    shot(page, "4-how")
    page.get_by_role("button", name="Next").click()

    page.get_by_label(re.compile("I agree")).check()
    shot(page, "5-consent")
    page.get_by_role("button", name="Register").click()

    page.get_by_role("heading", name="My registration").wait_for()
    shot(page, "6-mine")
    person = Person.objects.get()
    assert person.full_name == "Noa Cohen"
    assert person.trips.get().city_name == "Istanbul"
    assert person.contact_points.get(channel="email").state == ContactPoint.State.VERIFIED

    # The phone waits for the code it was sent (read here from the database: the worker's
    # sending is tested in warden/alerting/tests/test_codes.py).
    phone = person.contact_points.get(channel="sms")
    page.get_by_text("A code is on its way").wait_for()
    code = PhoneCode.objects.get().code
    page.get_by_label("Code").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("alert").filter(has_text="This code is not the one we sent.").wait_for()
    shot(page, "6-mine-wrong-code")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("heading", name="My registration").wait_for()
    phone.refresh_from_db()
    assert phone.state == ContactPoint.State.VERIFIED
    assert page.get_by_role("button", name="Verify").count() == 0

    page.goto(f"{base}/he/register/mine/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "he"
    shot(page, "7-mine-he")
    assert not [e for e in errors if "CSP" in e], errors
