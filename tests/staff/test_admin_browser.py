"""A staff user enters a visit, a document signed at it between two parties and a
commitment with a status update, entirely in the admin, in a real browser."""

import os
import re
from pathlib import Path

import pytest

from cooperation.tracker.models import Commitment, Document, StatusUpdate, Visit
from tests import factories
from tests.admin_helpers import staff_user

SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/admin-screenshots"))

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a live server
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(browser_context):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_context.new_page()
    page.set_viewport_size({"width": 1400, "height": 1000})
    return page


def choose(page, field_id: str, text: str):
    """Pick `text` in an admin autocomplete (select2) widget."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def save(page, name: str):
    page.click("input[name=_save]")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert not errors, errors
    assert page.locator(".messagelist .success").count() == 1


def test_staff_user_enters_a_visit_document_and_commitment(page, live_server):
    factories.organization(name="Ministry of Foreign Affairs of Kazakhstan")
    factories.organization(name="Ministry of Foreign Affairs of Serbia", country=factories.country("RS"))
    source = factories.source(publisher="Kazinform", title="Premises found for an honorary consulate")
    staff_user("editor", role="Editor")
    admin = f"{live_server.url}/admin"
    console_errors = []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    failed_requests = []
    page.on("response", lambda response: response.status >= 400 and failed_requests.append(response.url))

    page.goto(f"{admin}/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url(f"{admin}/")

    # A visit, its date known only to the month.
    page.goto(f"{admin}/tracker/visit/add/")
    # A translated field is one row with a tab per language (README "Languages"), English shown first.
    tabs = page.locator(".language-tabs").first
    assert tabs.is_visible() and not page.locator("#id_title_ru").is_visible()
    tabs.get_by_role("tab", name="RU").click()
    assert page.locator("#id_title_ru").is_visible() and not page.locator("#id_title_en").is_visible()
    tabs.get_by_role("tab", name="EN").click()
    page.fill("#id_title_en", "Working visit of the Foreign Minister to Belgrade")
    page.select_option("#id_kind", "working_visit")
    page.fill("#id_start_date", "2025-03-12")
    page.select_option("#id_start_precision", "month")
    page.fill("#id_place_en", "Belgrade")
    page.screenshot(path=str(SCREENSHOTS / "visit-add.png"), full_page=True)
    save(page, "visit-saved")

    # A document signed at it, between the two ministries.
    page.goto(f"{admin}/tracker/document/add/")
    page.fill("#id_title_en", "Memorandum on consular cooperation")
    page.select_option("#id_kind", "mou")
    page.select_option("#id_level", "interdepartmental")
    page.fill("#id_signed_on", "2025-03-12")
    page.screenshot(path=str(SCREENSHOTS / "document-add-empty.png"), full_page=True)
    choose(page, "id_signed_at", "Working visit")
    choose(page, "id_parties-0-organization", "of Kazakhstan")
    choose(page, "id_parties-1-organization", "of Serbia")
    page.screenshot(path=str(SCREENSHOTS / "document-add.png"), full_page=True)
    save(page, "document-saved")

    # A commitment from the document, with its first status update.
    page.goto(f"{admin}/tracker/commitment/add/")
    page.fill("#id_title_en", "Open an honorary consulate in Novi Sad")
    choose(page, "id_origin_document", "consular cooperation")
    page.fill("#id_due_on", "2025-12-01")
    page.select_option("#id_due_precision", "year")
    page.fill("#id_updates-0-reported_on", "2025-06-01")
    page.select_option("#id_updates-0-status", "in_progress")
    page.fill("#id_updates-0-progress", "30")
    page.fill("#id_updates-0-note_en", "Premises found.")
    choose(page, "id_updates-0-evidence_source", "honorary consulate")  # reported: the source says so
    page.screenshot(path=str(SCREENSHOTS / "commitment-add.png"), full_page=True)
    save(page, "commitment-saved")

    # Each is listed, as a draft waiting for a publisher.
    page.goto(f"{admin}/tracker/visit/")
    assert page.locator("#result_list").get_by_text("Working visit of the Foreign Minister").count() == 1
    assert page.locator("#result_list td.field-date").first.inner_text() == "March 2025"
    page.goto(f"{admin}/tracker/document/")
    row = page.locator("#result_list tbody tr", has_text="consular cooperation")
    assert re.search(r"of Kazakhstan; Ministry of Foreign Affairs of Serbia", row.inner_text())
    page.screenshot(path=str(SCREENSHOTS / "document-list.png"), full_page=True)
    page.goto(f"{admin}/tracker/commitment/")
    row = page.locator("#result_list tbody tr", has_text="honorary consulate")
    assert "2025" in row.inner_text() and "draft" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "commitment-list.png"), full_page=True)
    page.goto(f"{admin}/tracker/statusupdate/")
    assert page.locator("#result_list").get_by_text("honorary consulate").count() == 1

    visit = Visit.objects.get()
    document = Document.objects.get()
    assert document.signed_at == visit
    assert sorted(document.parties.values_list("side__code", flat=True)) == ["KZ", "RS"]
    commitment = Commitment.objects.get()
    assert commitment.origin_document == document
    update = StatusUpdate.objects.get()
    assert update.commitment == commitment and update.entered_by.username == "editor"
    assert (update.basis, update.evidence_source) == ("reported", source)
    # Browsers ask for /favicon.ico on their own; anything else failing is a bug (CSP, missing asset).
    failed_requests = [url for url in failed_requests if not url.endswith("/favicon.ico")]
    assert not failed_requests, failed_requests
    assert len(console_errors) == len([e for e in console_errors if "404" in e]), console_errors
