"""The `status_report` command and the Atom feeds."""

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.reports.history import DRAFT_MARKERS, S, d

# Today is the history's report day (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_day")]
ATOM = "{http://www.w3.org/2005/Atom}"


def run(*args) -> str:
    out = io.StringIO()
    call_command("status_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def assert_no_drafts(text: str):
    for marker in DRAFT_MARKERS:
        assert marker not in text


# --- Command ------------------------------------------------------------------------


def test_markdown_for_a_briefing_note(history):
    text = run()
    assert text.startswith("# Status report on 30 June 2025\n\n*Current status*\n")
    assert "6 commitments: 1 completed, 1 overdue, 1 due in the next 90 days, 1 not reviewed for 180 days." in text
    assert "| Digital | 1 | 0 | 0 | 0 | 1 | 0 | 0 | 2 |" in text
    assert "| All commitments | 1 | 0 | 1 | 1 | 1 | 1 | 1 | 6 |" in text
    assert "| Ministry of Tourism and Youth | RS | 3 | 1 | 0 | 0 | 1 | 0 | 0 | 1 | 1 | 17 % |" in text
    assert "| Official visit to Belgrade | 19 November 2024 | 3 | 0 | 0 | 1 | 1 | 0 | 1 | 0 | 1 | 53 % |" in text
    assert "| Days of Serbia in Kazakhstan | 31 March 2025 | Delayed | 40 % | Ministry of Tourism and Youth |" in text
    assert "## What changed" not in text
    assert_no_drafts(text)


def test_markdown_as_of_and_since(history):
    text = run("--as-of", "2025-04-01", "--since", "2025-01-01", "--sector", "tourism")
    assert "*As it stood on 1 April 2025; Sector: Tourism; changes since 1 January 2025*" in text
    assert "2 commitments: 0 completed, 1 overdue, 0 due in the next 90 days" in text
    assert "| Cancelled | 0 | 1 | +1 |" in text  # c4, between 31 Dec 2024 and 1 April 2025
    assert "| 20 January 2025 | Tourism portal | In progress | Cancelled | 10 % |  |" in text
    assert "| 1 February 2025 | Days of Serbia in Kazakhstan | (first update) | In progress | 40 % |  |" in text
    assert "Student exchange" not in text  # another sector


def test_markdown_escapes_table_cells(history):
    factories.status_update(history["c5"], S.IN_PROGRESS, 25, reported_on=d("2025-06-29"), note="a | b\nc")
    text = run("--since", "2025-06-01")
    assert "| a \\| b c |" in text


def test_csv_and_html_formats(history):
    rows = list(csv.reader(io.StringIO(run("--format", "csv", "--organization", "ministry-of-tourism-and-youth"))))
    assert ["Commitments", "3"] in rows
    html = run("--format", "html", "--as-of", "2025-01-31")
    assert html.startswith("<!doctype html>")
    assert "Status report: 31 January 2025" in html
    assert "@page" in html  # the print stylesheet is embedded
    assert "As it stood on 31 January 2025" in html
    assert_no_drafts(html)


def test_output_to_files(history, tmp_path):
    markdown = tmp_path / "report.md"
    run("--output", str(markdown), "--visit", history["v1"].slug)
    assert "| Official visit to Belgrade |" in markdown.read_text()
    assert "Business forum in Astana" not in markdown.read_text()
    workbook = tmp_path / "report.xlsx"
    run("--format", "xlsx", "--output", str(workbook))
    figures = dict(openpyxl.load_workbook(workbook)["Key figures"].iter_rows(min_row=2, values_only=True))
    assert figures["Commitments"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2025-02-30"], "Enter a valid date"),
        (["--since", "1 May"], "Enter a valid date"),
        (["--as-of", "2031-01-01"], "cannot be in the future"),
        (["--sector", "nope"], "Select a valid choice"),
        (["--country", "XX"], "Select a valid choice"),
        (["--stale-days", "0"], "greater than or equal to 1"),
        (["--format", "xlsx"], "give --output FILE"),
    ],
)
def test_bad_options_are_errors(history, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_same_figures_as_the_page(client, history):
    """The command and the page's CSV export come from the same builder."""
    page = client.get("/reports/status/", {"_export": "csv", "as_of": "2025-04-01", "since": "2025-02-01"})
    # The page's file starts with a byte-order mark (for Excel) and cites the page with the site's
    # address; the command's output cites it by its path.
    text = page.content.decode("utf-8-sig").replace("http://testserver/", "/")
    assert page.content.startswith(b"\xef\xbb\xbf")
    assert text == run("--format", "csv", "--as-of", "2025-04-01", "--since", "2025-02-01")


# --- Feeds ----------------------------------------------------------------------------


def parse_feed(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, generated by the test


def entries(response) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in parse_feed(response).iter(f"{ATOM}entry")]


def test_feed_of_all_updates(client, history):
    response = client.get("/feeds/updates/")
    titles = entries(response)
    # The 8 published updates of published commitments, latest first.
    assert len(titles) == 8
    assert titles[:2] == ["Satellite data sharing: partially completed (60 %)", "Student exchange: completed (100 %)"]
    assert_no_drafts(response.content.decode())
    assert not any(title.startswith("Joint digital lab") for title in titles)  # its only update is a draft


def test_feed_per_commitment(client, history):
    titles = entries(client.get(f"/feeds/commitments/{history['c1'].slug}/"))
    assert titles == ["Student exchange: completed (100 %)", "Student exchange: in progress (30 %)"]
    assert client.get(f"/feeds/commitments/{history['c6'].slug}/").status_code == 404  # a draft
    assert client.get("/feeds/commitments/no-such-thing/").status_code == 404


def test_feed_per_sector(client, history):
    titles = entries(client.get("/feeds/sectors/tourism/"))
    assert sorted(titles) == sorted(
        [
            "Days of Serbia in Kazakhstan: delayed (40 %)",
            "Days of Serbia in Kazakhstan: in progress (40 %)",
            "Tourism portal: cancelled (10 %)",
            "Tourism portal: in progress (10 %)",
        ]
    )
    # Education holds the draft commitment c6 with published updates: they stay out.
    assert entries(client.get("/feeds/sectors/education/")) == [
        "Student exchange: completed (100 %)",
        "Student exchange: in progress (30 %)",
    ]
    assert client.get("/feeds/sectors/no-such-sector/").status_code == 404


def test_feed_per_organization(client, history):
    titles = entries(client.get(f"/feeds/organizations/{history['rs_tour'].slug}/"))
    assert len(titles) == 4 and all(t.startswith(("Days of Serbia", "Tourism portal")) for t in titles)
    assert client.get(f"/feeds/organizations/{history['draft_org'].slug}/").status_code == 404
    assert client.get("/feeds/organizations/nobody/").status_code == 404


def test_feed_links_and_dates(client, history):
    feed = parse_feed(client.get(f"/feeds/commitments/{history['c2'].slug}/"))
    entry = next(feed.iter(f"{ATOM}entry"))
    assert (
        entry.find(f"{ATOM}link")
        .get("href")
        .startswith("http://testserver/commitments/days-of-serbia-in-kazakhstan/#update-")
    )
    assert entry.find(f"{ATOM}published").text.startswith("2025-04-15")
    # A reported update says who reported it (the factory's source), then its note.
    source = history["c2"].updates.get(note="Postponed").evidence_source
    assert entry.find(f"{ATOM}summary").text == f"Reported by {source.publisher}, 20 November 2024\n\nPostponed"


def test_feed_queries_do_not_grow(client, django_assert_num_queries):
    sector = factories.sector("Energy")
    visit = factories.visit()

    def add(n):
        for _ in range(n):
            c = factories.commitment(origin_visit=visit, sectors=[sector])
            factories.status_update(c, S.IN_PROGRESS, 10)

    add(3)
    with CaptureQueriesContext(connection) as small:
        client.get("/feeds/sectors/energy/")
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(entries(client.get("/feeds/sectors/energy/"))) == 50
