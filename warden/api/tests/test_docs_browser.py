"""The API's Swagger page works under the site's Content-Security-Policy (script-src 'self')."""

from __future__ import annotations

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    # The live server needs the transactional database; serialized rollback restores the
    # countries that migrations load, for the tests that come after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Recorded in the page before any of its scripts run.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_the_docs_page_renders_every_operation_without_csp_violations(live_server, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.get_by_role("heading", name="Warden public API")).to_be_visible()
    for summary in ("Every country and its current level", "One official statement"):
        expect(page.get_by_text(summary)).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
    assert outside == []
