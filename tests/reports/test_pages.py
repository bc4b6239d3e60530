"""The overview, the status report page and its exports, against the known history in tests/reports/history.py."""

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.reports.history import DRAFT_MARKERS, TODAY, S, d

# Today is the history's report day (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_day")]
REPORT_URL = "/reports/status/"


def assert_no_drafts(text: str):
    for marker in DRAFT_MARKERS:
        assert marker not in text


def csv_sections(content: str) -> dict[str, list[list[str]]]:
    """The CSV export's tables by title: {title: [header, *rows]}."""
    sections, current = {}, None
    rows = list(csv.reader(io.StringIO(content)))
    for previous, row in zip([[]] + rows, rows, strict=False):
        if not row:
            current = None
        elif current is None and not previous and len(row) == 1:
            current = sections.setdefault(row[0], [])
        elif current is not None:
            current.append(row)
    return sections


# --- Overview -----------------------------------------------------------------------


def test_overview_figures_and_links(client, history):
    response = client.get("/")
    assert response.status_code == 200
    overview = response.context["overview"]
    assert (overview.documents_signed, overview.documents_in_force, overview.visits) == (1, 1, 2)
    assert (overview.summary.total, overview.summary.overdue, overview.summary.due_soon) == (6, 1, 1)
    html = response.content.decode()
    feed = reverse("reports:feed-updates")
    assert f'<link rel="alternate" type="application/atom+xml" title="Status updates (Atom)" href="{feed}">' in html
    assert "reports/reports.css" in html
    assert html.count('<svg class="chart"') == 3
    # Every chart has a table: status rows, sector rows and timeline points are all in tables.
    assert '<a href="/commitments/?status=delayed">Delayed</a>' in html
    assert '<a href="/commitments/?sector=tourism">Tourism</a>' in html
    assert "2025 Q1" in html
    assert "First students arrived" in html
    assert_no_drafts(html)


def test_overview_has_no_inline_styles_or_scripts(client, history):
    html = client.get("/").content.decode()
    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html


def test_overview_empty_database(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No commitments yet." in response.content.decode()


def _bulk_history(count: int):
    sector, org = factories.sector("Trade"), factories.organization()
    visit = factories.visit(start_date=d("2024-11-19"))
    deadlines = [d("2025-03-01"), d("2025-07-15"), d("2026-01-01")]
    for i in range(count):
        c = factories.commitment(origin_visit=visit, sectors=[sector], responsible=[org], due_on=deadlines[i % 3])
        factories.status_update(c, S.IN_PROGRESS, 20, reported_on=d("2024-12-01"))


@pytest.mark.parametrize("url", ["/", f"{REPORT_URL}?since=2025-01-01", f"{REPORT_URL}?as_of=2025-05-01&_export=csv"])
def test_pages_query_count_does_not_grow(client, url, django_assert_num_queries, django_assert_max_num_queries):
    _bulk_history(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _bulk_history(195)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
    # The page, its figures built afresh (REPORT_CACHE_SECONDS 0): ten; compared with an earlier
    # date (`since`), the counts of that date and the changes since make two more.
    with django_assert_max_num_queries(12 if "since=" in url else 10):
        client.get(url)


# --- Status report page ---------------------------------------------------------------


def test_report_page(client, history):
    response = client.get(REPORT_URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.date == TODAY
    assert (report.summary.total, report.summary.overdue, report.summary.stale) == (6, 1, 1)
    html = response.content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/static/reports/print.css" media="print"' in html
    assert "Days of Serbia in Kazakhstan" in html
    # No inline style or script (the Content-Security-Policy); the print button's script is a file.
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert 'href="/reports/status/print.css" media="print"' in html
    assert_no_drafts(html)


def test_report_page_filters_and_dates(client, history):
    response = client.get(REPORT_URL, {"sector": "tourism", "as_of": "2025-01-31", "since": "2025-01-01"})
    report = response.context["report"]
    assert response.context["problems"] == []
    assert report.params.as_of == d("2025-01-31")
    assert report.summary.total == 2  # c2 and c4
    assert report.summary.by_status[S.CANCELLED] == 1
    assert [u.commitment for u in report.changes.updates] == ["Tourism portal"]
    html = response.content.decode()
    assert "The report as it stood on 31 January 2025" in html
    assert "Sector: Tourism" in html


@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ({"as_of": "2025-13-45"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2030-01-01"}, "as_of"),
        ({"since": "2025-07-01"}, "since"),
        ({"since": "2025-03-01", "as_of": "2025-02-01"}, "since"),
        ({"sector": "no-such-sector"}, "sector"),
        ({"organization": "secret-draft-agency"}, "organization"),
        ({"visit": "hidden-draft-visit"}, "visit"),
        ({"document": "draft-protocol"}, "document"),
        ({"country": "XX"}, "country"),
        ({"stale_days": "-3"}, "stale_days"),
        ({"stale_days": "lots"}, "stale_days"),
    ],
)
def test_bad_parameters_give_a_message_and_are_ignored(client, history, query, ignored):
    response = client.get(REPORT_URL, query)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 1 and f"{ignored}=" in problems[0]
    assert problems[0] in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    report = response.context["report"]
    if ignored == "stale_days":
        assert report.params.stale_days == 180  # the default
    else:
        assert getattr(report.params, ignored) is None
    if ignored in {"sector", "organization", "visit", "document", "country"}:
        assert report.summary.total == 6  # the filter was dropped, not applied half-way
    assert_no_drafts(response.content.decode())


def test_unknown_export_format_is_refused_with_a_message(client, history):
    response = client.get(REPORT_URL, {"_export": "pdf"})
    assert response.status_code == 400
    assert "Unknown export format" in response.content.decode()


def test_export_with_a_bad_parameter_is_refused(client, history):
    response = client.get(REPORT_URL, {"_export": "csv", "as_of": "31/01/2025"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "as_of=31/01/2025" in response.content.decode()


# --- Exports ----------------------------------------------------------------------------


def test_csv_export(client, history):
    response = client.get(REPORT_URL, {"_export": "csv", "since": "2025-04-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # What and when: the filters in force and the report's date.
    assert 'filename="status-report-since-2025-04-01-2025-06-30.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    content = response.content.decode("utf-8-sig")
    assert content.splitlines()[2] == (
        '"Cooperation Tracker (Kazakhstan–Serbia), http://testserver/reports/status/?since=2025-04-01, '
        f'{timezone.localdate().isoformat()}"'
    )
    assert_no_drafts(content)
    sections = csv_sections(content)
    figures = dict(row for row in sections["Key figures"][1:])
    assert figures["Commitments"] == "6"
    assert figures["Overdue"] == "1"
    assert figures["Due in the next 90 days"] == "1"
    assert figures["Completed"] == "1"
    assert figures["Average progress"] == "38 %"
    matrix = sections["Commitments by sector and status"]
    assert matrix[0] == [
        "Sector",
        "No information",
        "Not started",
        "In progress",
        "Delayed",
        "Partially completed",
        "Completed",
        "Cancelled",
        "Total",
    ]
    assert matrix[1:5] == [
        ["Digital", "1", "0", "0", "0", "1", "0", "0", "2"],
        ["Education", "1", "0", "0", "0", "0", "1", "0", "2"],
        ["Tourism", "0", "0", "0", "1", "0", "0", "1", "2"],
        ["No sector", "0", "0", "1", "0", "0", "0", "0", "1"],
    ]
    assert [row[0] for row in sections["Overdue"][1:]] == ["Days of Serbia in Kazakhstan"]
    organizations = sections["Scorecard by responsible organization"]
    assert [row[:3] for row in organizations[1:]] == [
        ["Ministry of Science and Higher Education", "KZ", "4"],
        ["Ministry of Tourism and Youth", "RS", "3"],
    ]
    updates = sections["Status updates since 1 April 2025"]
    assert [row[1:4] for row in updates[1:]] == [
        ["Satellite data sharing", "(first update)", "Partially completed"],
        ["Student exchange", "In progress", "Completed"],
        ["Days of Serbia in Kazakhstan", "In progress", "Delayed"],
    ]


def test_xlsx_export(client, history):
    response = client.get(REPORT_URL, {"_export": "xlsx", "as_of": "2025-04-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Key figures",
        "By sector",
        "By organization",
        "By visit",
        "Overdue",
        "Due soon",
        "Stale",
        "Not yet in force",
        "Figures",
        "About",
    ]
    assert 'filename="status-report-as_of-2025-04-01-2025-04-01.xlsx"' in response["Content-Disposition"]
    for sheet in book.worksheets[:-1]:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref.startswith("A1:")
    about = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert about[0] == "Status report on 1 April 2025"
    assert about[2].startswith(
        "Cooperation Tracker (Kazakhstan–Serbia), http://testserver/reports/status/?as_of=2025-04-01"
    )
    figures = {row[0]: row[1] for row in book["Key figures"].iter_rows(min_row=2, values_only=True)}
    assert figures["Commitments"] == 6
    assert figures["In progress"] == 3
    assert figures["Overdue"] == 1
    everything = " ".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert_no_drafts(everything)


def test_filtered_report_advertises_its_feeds(client, history):
    html = client.get(REPORT_URL, {"sector": "tourism", "organization": history["rs_tour"].slug}).content.decode()
    assert 'href="/feeds/sectors/tourism/"' in html
    assert f'href="/feeds/organizations/{history["rs_tour"].slug}/"' in html


@pytest.mark.django_db
def test_report_page_shows_fifty_scorecard_rows_and_the_export_keeps_all(client):
    visit = factories.visit(title="Business forum")
    for number in range(53):
        ministry = factories.organization(name=f"Ministry {number:02d}")
        factories.commitment(title=f"Promise {number:02d}", responsible=[ministry], origin_visit=visit)

    page = client.get(reverse("reports:status-report")).content.decode()
    exported = client.get(reverse("reports:status-report") + "?_export=csv").content.decode("utf-8-sig")

    scorecard_rows = re.findall(r'<th scope="row"><a href="[^"]*">(Ministry \d\d)</a></th>', page)
    assert scorecard_rows == [f"Ministry {number:02d}" for number in range(50)]
    assert "3 more organizations" in page
    assert all(f"Ministry {number:02d}" in exported for number in range(53))


def test_exports_neutralise_formulas_and_keep_plain_numbers(client, history):
    factories.commitment(
        title='=HYPERLINK("http://evil.example","click")',
        origin_visit=history["v1"],
        due_on=d("2025-03-01"),  # overdue on the report day: in the overdue table
    )
    exported = client.get(REPORT_URL, {"_export": "csv"}).content.decode()
    csv_cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","click")' in csv_cells
    since = csv_sections(client.get(REPORT_URL, {"_export": "csv", "since": "2025-04-01"}).content.decode())
    changes = [row[-1] for row in since["Status counts: 31 March 2025 and 30 June 2025"][1:]]
    assert changes and all(change[0] in "+-" for change in changes)  # "+1", "-1": numbers, left as they are
    book = openpyxl.load_workbook(io.BytesIO(client.get(REPORT_URL, {"_export": "xlsx"}).content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","click")' in [cell.value for cell in cells]


def test_the_due_soon_window_and_its_headings_follow_the_setting(client, history, settings):
    # Only "Joint digital lab" (due 15 August 2025, 46 days after the report day) is due within 90 days.
    settings.DUE_SOON_DAYS = 30
    html = client.get(REPORT_URL).content.decode()
    assert "<dt>Due in the next 30 days</dt><dd>0</dd>" in html
    assert "Due in the next 90 days" not in html
    exported = csv_sections(client.get(REPORT_URL, {"_export": "csv"}).content.decode())
    figures = dict(row for row in exported["Key figures"][1:])
    assert figures["Due in the next 30 days"] == "0"
    overview = client.get(reverse("reports:overview")).content.decode()
    assert "<dt>Due in the next 30 days</dt>" in overview
    settings.DUE_SOON_DAYS = 50
    assert "<dt>Due in the next 50 days</dt><dd>1</dd>" in client.get(REPORT_URL).content.decode()
