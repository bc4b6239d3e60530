"""The overview and the status report in a real browser: CSP-clean, charts drawn, clean A4 print."""

import pytest

from tests.reports.history import build_history

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,  # a live server
]


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    # Content-Security-Policy violations and script errors show as console errors; failed
    # loads are checked by URL instead (the browser's own /favicon.ico request may 404).
    page.console_errors, page.failed_urls = [], []
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            and page.console_errors.append(msg.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and not response.url.endswith("/favicon.ico")
            and page.failed_urls.append(response.url)
        ),
    )
    yield page


@pytest.mark.django_db(transaction=True)
def test_overview_in_a_browser(live_server, page):
    build_history()
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text().startswith("Kazakhstan–Serbia cooperation")
    # The stylesheet applied (no CSP block) and the SVG bars have their status colours.
    assert page.locator(".figures").evaluate("el => getComputedStyle(el).display") == "grid"
    bar = page.locator("svg.chart rect.status-completed").first
    assert bar.evaluate("el => getComputedStyle(el).fill") == "rgb(46, 125, 50)"
    assert page.locator("svg.chart").count() == 3
    assert page.console_errors == []
    assert page.failed_urls == []


@pytest.mark.django_db(transaction=True)
def test_status_report_prints_cleanly(live_server, page, tmp_path):
    build_history()
    page.goto(live_server.url + "/reports/status/?as_of=2025-06-30&since=2025-04-01")
    assert page.locator("#changes-heading").is_visible()
    assert page.locator(".report-filters").is_visible()
    page.emulate_media(media="print")
    # Navigation, filters and download links are not printed; the tables are.
    assert not page.locator(".report-filters").is_visible()
    assert not page.locator(".report-actions").is_visible()
    assert page.locator("table.matrix").is_visible()
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert page.console_errors == []
    assert page.failed_urls == []
