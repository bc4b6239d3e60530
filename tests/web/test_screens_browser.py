"""Issue 19 in a real browser, at a laptop's 1366 × 900 and a phone's 390 × 844: every public page
fits without sideways scrolling and passes axe-core, lists become cards on a phone, the focus
moves to the results after filtering, every overview figure leads to a list of as many records,
the status report prints as an A4 document (read back from the PDF), feeds are offered visibly.

One browser for the module (conftest.py `browser`); each test walks many pages in one context.
Screenshots go to /tmp/screens-screenshots/."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.web.story import DRAFT_NAMES, build_story

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOTS = Path("/tmp/screens-screenshots")
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
SIZES = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def public_pages(story) -> list[str]:
    return [
        "/",
        "/documents/",
        "/visits/",
        "/commitments/",
        "/organizations/",
        "/figures/",
        "/reports/status/",
        story.memorandum.get_absolute_url(),
        story.state_visit.get_absolute_url(),
        story.council_restart.get_absolute_url(),
        story.ministry_kz.get_absolute_url(),
        f"/figures/{story.turnover.slug}/",
    ]


@pytest.fixture
def sized_page(browser, live_server, settings):
    """`open(size)` gives a page of that size on the live server; console errors (a blocked
    inline script or style above all) fail the test."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    contexts, errors = [], []

    def open_page(size):
        context = browser.new_context(viewport=SIZES[size], base_url=live_server.url, accept_downloads=True)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == []


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page (injected by the test, not served by the site)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return result


def sideways_overflow(page) -> int:
    """How far the page reaches past the window's width (0: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


# Elements that reach past the window's sides, or boxes whose content scrolls sideways inside them
# (a table in a scroll box fits the page but not the reader). Skipped: what is not drawn, and what
# is clipped to nothing on purpose (a visually hidden header row, a skip link off screen).
OVERFLOWING_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const hidden = el => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || style.clipPath !== 'none'
          || style.clip !== 'auto') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    if ((box.right > width + 1 || box.left < -1 || scrolls) && !hidden(el)) {
      found.push(name(el) + (scrolls ? ' scrolls ' + (el.scrollWidth - el.clientWidth) + 'px inside'
        : ' reaches ' + Math.round(Math.max(box.right - width, -box.left)) + 'px past'));
    }
  }
  return found.slice(0, 5);
}"""


def overflowing_elements(page) -> list[str]:
    return page.evaluate(OVERFLOWING_ELEMENTS)


@pytest.mark.parametrize("size", SIZES)
def test_every_public_page_fits_and_passes_axe(sized_page, transactional_db, size):
    story = build_story()
    page = sized_page(size)
    problems = {}
    for path in public_pages(story):
        page.goto(path)
        name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "overview"
        page.screenshot(path=SCREENSHOTS / f"{size}-{name}.png", full_page=True)
        if overflow := sideways_overflow(page):
            problems[path] = f"{overflow}px sideways"
        if elements := overflowing_elements(page):
            problems[f"{path} elements"] = elements
        if violations := axe_violations(page):
            problems[f"{path} axe"] = violations
        for draft in DRAFT_NAMES:
            assert draft not in page.content()
    assert problems == {}


def test_the_seeds_lists_fit_a_laptop_in_every_language(sized_page, transactional_db):
    """The seed's longest words and each language's longest headers (Russian "ПОСЛЕДНЕЕ
    ОБНОВЛЕНИЕ") still fit 1366 px; a document's kind keeps whole ("memorandum", not "memoran|dum")."""
    call_command("load_seed", stdout=io.StringIO(), stderr=io.StringIO())
    laptop = sized_page("laptop")
    scrolls = {}
    for prefix in ("", "/kk", "/ru", "/sr", "/sr-latn"):
        for path in ("/documents/", "/visits/", "/commitments/", "/organizations/", "/figures/"):
            laptop.goto(prefix + path)
            inside = laptop.evaluate("(b => b.scrollWidth - b.clientWidth)(document.querySelector('.table-scroll'))")
            if inside > 1:
                scrolls[prefix + path] = inside
    assert scrolls == {}
    laptop.goto("/documents/?kind=memorandum")
    kind_cell = laptop.locator("table.data-table tbody tr td:nth-child(2)").first
    assert kind_cell.inner_text().startswith("memorandum")
    # The word's ten letters lie on one line: a range over them has one box, two if it were cut.
    lines = "c => { const r = document.createRange(); r.setStart(c.firstChild, 0); r.setEnd(c.firstChild, 10);"
    assert kind_cell.evaluate(lines + " return r.getClientRects().length; }") == 1


def test_lists_fit_a_laptop_and_become_cards_on_a_phone(sized_page, transactional_db):
    build_story()
    laptop, phone = sized_page("laptop"), sized_page("phone")
    for path in ("/documents/", "/visits/", "/commitments/", "/organizations/", "/figures/"):
        laptop.goto(path)
        # The table itself fits: its scroll box does not scroll.
        assert laptop.evaluate("(b => b.scrollWidth - b.clientWidth)(document.querySelector('.table-scroll'))") <= 1
        expect(laptop.locator("table.data-table thead")).to_be_visible()
        phone.goto(path)
        # The header row is kept for screen readers only (a 1 px clipped box).
        assert phone.locator("table.data-table thead").bounding_box()["height"] <= 1
        card = phone.locator("table.data-table tbody tr").first
        expect(card.locator("td.card-title")).to_be_visible()
        for hidden in card.locator("td.not-in-card").all():
            expect(hidden).to_be_hidden()
        assert phone.evaluate("getComputedStyle(document.querySelector('tbody tr')).display") == "block"
        # The filters are a folded panel on the phone, open on the laptop.
        assert phone.evaluate("document.querySelector('details.filter-toggle').open") is False
        assert laptop.evaluate("document.querySelector('details.filter-toggle').open") is True

    # A commitment's card: title, status badge and how the status is known, progress.
    phone.goto("/commitments/?q=data+centre")
    card_text = phone.locator("table.data-table tbody tr").first.inner_text()
    assert card_text.split("\n")[:4] == ["Joint data centre pilot", "delayed", "reported", "20%"]
    labels = phone.eval_on_selector_all(
        "tbody tr:first-child td", "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"Status: "' in labels and '"Progress: "' in labels
    phone.screenshot(path=SCREENSHOTS / "phone-commitment-cards.png")


def test_column_chooser_and_the_sort_in_force(sized_page, transactional_db):
    build_story()
    page = sized_page("laptop")
    page.goto("/commitments/")
    expect(page.locator(".sort-in-force")).to_have_text("Sorted by Due, ascending (the default order)")
    assert page.get_by_role("columnheader", name="Due", exact=True).get_attribute("aria-sort") == "ascending"
    assert "Sectors" not in page.locator("table.data-table thead").inner_text()
    page.get_by_text("More columns").click()
    page.get_by_label("Sectors").check()
    page.get_by_role("button", name="Show these columns").click()
    assert "columns=sectors" in page.url
    expect(page.get_by_role("columnheader", name="Sectors")).to_be_visible()
    page.get_by_role("columnheader", name="Commitment").get_by_role("link").click()
    expect(page.locator(".sort-in-force")).to_have_text("Sorted by Commitment, ascending")
    assert "columns=sectors" in page.url  # the chosen columns stay with the sort
    expect(page.get_by_role("columnheader", name="Sectors")).to_be_visible()


def test_focus_moves_to_the_results_after_filtering(sized_page, transactional_db):
    build_story()
    for size in SIZES:
        page = sized_page(size)
        page.goto("/documents/")
        if size == "phone":
            page.get_by_text("Filter", exact=True).click()
        page.get_by_label("Kind").select_option("memorandum")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.locator("#results")).to_be_focused()
        assert page.url.endswith("#results")


def test_every_overview_figure_leads_to_a_list_of_as_many(sized_page, transactional_db):
    build_story()
    page = sized_page("laptop")
    page.goto("/")
    figures = page.eval_on_selector_all(
        ".figures dd a, #status-heading ~ table a, #sector-heading ~ table a",
        "links => links.map(a => [a.href, a.closest('tr, div').querySelector('dd, td.num').innerText.trim()])",
    )
    assert len(figures) >= 8
    for url, number in figures:
        page.goto(url)
        heading = page.locator("#results-heading").inner_text()
        assert re.match(rf"{number} results?\b", heading), (url, number, heading)
    page.goto("/")
    expect(page.locator("#in-force-note")).to_be_visible()


def test_feeds_are_offered_with_a_visible_subscribe_link(sized_page, transactional_db):
    story = build_story()
    page = sized_page("phone")
    for path in (
        "/",
        "/reports/status/",
        story.council_restart.get_absolute_url(),
        "/commitments/?sector=digital",
        "/documents/",
        "/visits/",
    ):
        page.goto(path)
        link = page.get_by_role("link", name="Subscribe")
        expect(link).to_be_visible()
        feed = link.get_attribute("href")
        assert page.locator(f'link[rel="alternate"][href="{feed}"]').count() == 1
        assert page.request.get(feed).headers["content-type"].startswith("application/atom+xml")


def test_the_status_report_prints_as_an_a4_document(sized_page, transactional_db):
    build_story()
    page = sized_page("laptop")
    page.goto("/reports/status/?sector=digital")
    expect(page.get_by_role("button", name="Print as an A4 report")).to_be_visible()
    # Nothing reaches past the right margin: A4 less 12 mm each side is 186 mm ≈ 703 px.
    page.set_viewport_size({"width": 703, "height": 1000})
    page.emulate_media(media="print")
    assert sideways_overflow(page) <= 0
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True, print_background=True)))
    pages = [sheet.extract_text() for sheet in pdf.pages]
    total = len(pages)
    printed = f"Printed {timezone.localdate():%-d %B %Y}"
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert printed in text
        assert "Staff sign-in" not in text and "Skip to content" not in text  # no navigation or footer
    assert "Status report" in pages[0] and "Sector: Digital" in pages[0]
    if total > 1:
        # Table headers repeat on every page a table runs over; no page is left nearly empty.
        assert len(pages[-1]) > 200
    page.screenshot(path=SCREENSHOTS / "print-emulated.png", full_page=True)
