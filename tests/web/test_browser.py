"""The public pages in a real browser (Debian's Chromium through Playwright)."""

import csv
import io
import re
import time

import pytest
from playwright.sync_api import expect

from tests import factories as f
from tests.web.story import DRAFT_NAMES, build_story

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a live server
]


@pytest.fixture
def page(browser_context, live_server):
    page = browser_context.new_page()
    page.base = live_server.url
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    # The strict Content-Security-Policy would report any inline script or style here.
    assert page.console_errors == []


def table_rows(page):
    """The data table's body as lists of cell texts."""
    return page.eval_on_selector_all(
        "table.data-table tbody tr", "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))"
    )


def column(page, header):
    headers = page.eval_on_selector_all("table.data-table thead th", "ths => ths.map(th => th.innerText.trim())")
    index = [h.lower() for h in headers].index(header.lower())
    return [row[index] for row in table_rows(page)]


def download_csv(page, link_text):
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text, exact=True).click()
    with open(info.value.path(), encoding="utf-8-sig") as file:  # the CSV starts with a byte-order mark
        return list(csv.reader(io.StringIO(file.read())))


def test_user_story_memorandums_on_digital_cooperation(page, transactional_db):
    """ "Which memorandums on digital cooperation did Kazakhstan sign with Serbia, and what has come of them?"""
    build_story()
    started = time.monotonic()
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Documents").click()
    page.get_by_label("Kind").select_option("memorandum")
    page.get_by_label("Sector", exact=True).select_option("digital")
    page.get_by_label("Country of a party").select_option("KZ")
    page.get_by_role("button", name="Apply filters").click()
    assert "1 result" in page.locator("#results-heading").inner_text()
    assert column(page, "Title") == ["Memorandum of understanding on digital cooperation"]
    page.get_by_role("link", name="Memorandum of understanding on digital cooperation").click()
    promised = page.locator("section", has=page.get_by_role("heading", name="What was promised in it"))
    assert "Joint data centre pilot" in promised.inner_text()
    assert "delayed" in promised.inner_text() and "overdue" in promised.inner_text()
    assert "Ministry of Information of Serbia" in page.locator("main").inner_text()
    page.get_by_role("link", name="Joint data centre pilot").click()
    assert page.get_by_role("heading", name="Status timeline").is_visible()
    assert "1 June 2025" in page.locator(".timeline").inner_text()
    assert time.monotonic() - started < 60
    for draft in DRAFT_NAMES:
        assert draft not in page.content()


def test_filter_sort_paginate_search_and_open_a_detail(page, transactional_db):
    story = build_story()
    for number in range(30):
        f.commitment(title=f"Extra {number:02d}", origin_document=story.memorandum, sectors=[story.education])
    page.goto(page.base + "/commitments/")
    assert "32 results" in page.locator("#results-heading").inner_text()

    # Filter by sector, fewer rows per page.
    page.get_by_label("Sector", exact=True).select_option("education")
    page.get_by_label("Rows per page").select_option("10")
    page.get_by_role("button", name="Apply filters").click()
    assert "30 results" in page.locator("#results-heading").inner_text()
    assert len(table_rows(page)) == 10

    # Sort by title, descending: click the header twice.
    page.get_by_role("columnheader", name="Commitment").get_by_role("link").click()
    page.get_by_role("columnheader", name="Commitment").get_by_role("link").click()
    assert page.get_by_role("columnheader", name="Commitment").get_attribute("aria-sort") == "descending"
    assert column(page, "Commitment")[:3] == ["Extra 29", "Extra 28", "Extra 27"]

    # Paginate; filters and sorting stay.
    page.get_by_role("link", name="Next →").click()
    assert "Page 2 of 3" in page.locator(".pagination").inner_text()
    assert column(page, "Commitment")[0] == "Extra 19"
    assert "sector=education" in page.url and "sort=-title" in page.url

    # The URL reproduces the view.
    page.goto(page.url)
    assert column(page, "Commitment")[0] == "Extra 19"

    # Clear filters, then search.
    page.get_by_role("link", name="Clear filters").click()
    assert "32 results" in page.locator("#results-heading").inner_text()
    page.get_by_label("Search").fill("council")
    page.get_by_label("Search").press("Enter")
    assert column(page, "Commitment") == ["Restart the Business Council"]

    # Open the detail page.
    page.get_by_role("link", name="Restart the Business Council").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Restart the Business Council"
    assert "completed" in page.locator(".status-line").inner_text()


def test_keyboard_skip_link_reaches_the_content(page, transactional_db):
    page.goto(page.base + "/documents/", wait_until="load")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    # The browser moves to the anchor after the key press returns: wait for it, do not race it.
    expect(page).to_have_url(re.compile(r"#main$"))


@pytest.mark.parametrize("path", ["/documents/", "/visits/", "/commitments/", "/organizations/"])
def test_csv_export_matches_the_table_on_screen(page, transactional_db, path):
    build_story()
    for number in range(12):
        f.document(title=f"Protocol {number:02d}", summary="=cmd|' /C calc'!A0")
    page.goto(page.base + path + "?sort=-" + ("name" if "organizations" in path else "title") + "&per_page=100")
    screen = table_rows(page)
    header, *rows = download_csv(page, "CSV")
    visible_headers = page.eval_on_selector_all("table.data-table thead th", "ths => ths.map(th => th.innerText)")
    # The download has every column; those on screen hold the same cells, in the same order.
    names = [h.lower() for h in header]
    shown = [names.index(h.strip().lower()) for h in visible_headers]
    assert shown == sorted(shown)
    expected = [[row[index] for index in shown] for row in rows]
    if "basis" in names:  # a commitment's status cell shows its basis under the badge
        status, basis = names.index("status"), names.index("basis")
        for row, cells in zip(rows, expected, strict=True):
            if row[basis]:
                cells[shown.index(status)] += "\n" + row[basis]
    assert expected == screen
    assert len(rows) >= 2


def test_export_of_a_filtered_paginated_view_has_all_filtered_rows_in_order(page, transactional_db):
    for number in range(15):
        f.document(title=f"Protocol {number:02d}", kind="protocol")
    f.document(title="Agreement on something else", kind="agreement")
    page.goto(page.base + "/documents/?kind=protocol&sort=title&per_page=10")
    first_page = table_rows(page)
    page.get_by_role("link", name="Next →").click()
    second_page = table_rows(page)
    header, *rows = download_csv(page, "CSV")
    # Every column is downloaded; those on screen (all but level, sectors, signed at) match it.
    shown = [header.index(name) for name in ("Title", "Kind", "Status", "Signed", "Parties", "Entry into force")]
    assert [[row[index] for index in shown] for row in rows] == first_page + second_page
    assert [row[0] for row in rows] == [f"Protocol {n:02d}" for n in range(15)]
