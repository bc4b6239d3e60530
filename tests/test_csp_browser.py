"""The Content-Security-Policy in a real browser: no page is broken by it.

Chromium reports every blocked inline script, inline style or outside request
as a `securitypolicyviolation` event; the admin's own JavaScript must still
run (its widgets are built by scripts served from 'self')."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

SCREENSHOTS = Path("/tmp/security-screenshots")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a live server
    pytest.mark.django_db(transaction=True),
]

# Runs before any page script (injected by the browser, so the CSP does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
    + `at ${event.sourceFile || ""}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(browser_context):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_admin_works_under_the_content_security_policy(page, live_server):
    User.objects.create_superuser("chief", "chief@example.org", "a-long-password-1")

    page.goto(f"{live_server.url}/admin/login/")
    assert violations(page) == []
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert violations(page) == []

    # The permissions picker is built by SelectFilter2.js: it only exists if the admin's scripts ran.
    page.goto(f"{live_server.url}/admin/auth/group/add/")
    page.wait_for_selector("#id_permissions_to")
    page.screenshot(path=SCREENSHOTS / "admin-group-add.png", full_page=True)
    assert violations(page) == []

    # The theme toggle (theme.js) changes the page: scripts from 'self' run.
    before = page.evaluate("document.documentElement.dataset.theme || 'auto'")
    page.click("button.theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") != before
    assert violations(page) == []

    # The recorder itself works, and the policy blocks an inline style attribute.
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert violations(page)[0].startswith("style-src")


@pytest.mark.parametrize("path", ["/", "/documents/", "/commitments/", "/reports/status/"])
def test_public_pages_trigger_no_policy_violation(page, live_server, path):
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")
    page.screenshot(path=SCREENSHOTS / f"public{path.replace('/', '-').rstrip('-') or '-home'}.png", full_page=True)
    assert violations(page) == []


def test_the_api_docs_run_under_the_content_security_policy(page, live_server):
    """Swagger UI from the vendored files: it loads the schema and draws every kind's operations."""
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    page.screenshot(path=SCREENSHOTS / "api-docs.png", full_page=False)
    paths = page.eval_on_selector_all(".opblock-summary-path", "nodes => nodes.map(node => node.textContent)")
    assert any("/api/v1/documents/" in path for path in paths)
    assert violations(page) == []
