"""Figures in the reports: the overview's latest trade turnover (honest about its wording and its
assessed period), and the status report's "Figures" section on the page, in its CSV and XLSX files
and in the status_report command's Markdown, HTML, CSV and XLSX. The data is tests/web/story.py's."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command

from cooperation.reports.figures import headline_figures, report_figures
from tests import factories as f
from tests.reports.test_pages import csv_sections
from tests.web.story import DRAFT_NAMES

pytestmark = pytest.mark.django_db
REPORT_URL = "/reports/status/"


def assert_no_draft(text: str):
    for draft in DRAFT_NAMES:
        assert draft not in text, draft


# --- Overview ----------------------------------------------------------------------------------------


def test_the_overview_shows_the_latest_trade_turnover_as_reported(client, story):
    html = client.get("/").content.decode()
    assert_no_draft(html)
    assert "Trade turnover: the latest figure" in html
    assert f'<a href="{story.last_year.get_absolute_url()}">surpassing 107 million USD</a>' in html
    assert '<span class="headline-period">2025</span> <span class="flag flag-assessed">period assessed</span>' in html
    assert "In the report's words “surpassing $107 million”, reported by the Prime Minister’s press service" in html
    assert "(The Astana Times, 26 February 2026)" in html
    assert "Period assessed by the editors: The report of 26 February 2026 says “last year”." in html
    assert "The reports give 3 figures for it, from 2 reports, and they differ" in html
    assert 'href="/figures/trade-turnover/"' in html


def test_the_latest_is_the_latest_period_never_a_part_or_a_draft(story):
    f.figure(indicator=story.turnover, value=900, period_year=2030, publication_status=f.DRAFT)
    f.figure(indicator=story.turnover, value=5, period_year=2031, subject="electricity")
    (headline,) = headline_figures()
    assert (headline.figure.value, headline.figure.period) == ("surpassing 107 million USD", "2025")
    assert (headline.figures, headline.sources, headline.disagree) == (3, 2, True)


def test_no_featured_indicator_no_headline(client, story):
    type(story.turnover).objects.update(featured=False)
    assert "the latest figure" not in client.get("/").content.decode()


# --- Status report -----------------------------------------------------------------------------------


def test_the_report_page_has_a_figures_section(client, story):
    html = client.get(REPORT_URL).content.decode()
    assert_no_draft(html)
    assert '<h2 id="report-figures-heading">Figures <span class="count">(6)</span></h2>' in html
    assert 'The sources differ on: <a href="/figures/trade-turnover/">Trade turnover</a> (3 figures).' in html
    assert "surpassing 107 million USD<br><small>“surpassing $107 million”</small>" in html
    assert "Secret Draft Agency" not in html


def test_as_of_leaves_out_later_periods_and_a_visit_keeps_its_reports_figures(story):
    before_2025 = report_figures(datetime.date(2024, 12, 31), None, None, limit=100)
    assert [row.printed for row in before_2025.rows if row.indicator == "Trade turnover"] == [
        "$69.4 million",
        "slightly more than $90 million",  # no period: kept
    ]
    at_the_visit = report_figures(None, story.state_visit, None, limit=100)
    assert "surpassing $107 million" not in [row.printed for row in at_the_visit.rows]
    assert at_the_visit.total == 5
    first_two = report_figures(None, None, None, limit=2)
    assert (len(first_two.rows), first_two.total) == (2, 6)


def test_report_csv_and_xlsx_carry_the_figures_with_their_passages(client, story):
    sections = csv_sections(client.get(REPORT_URL, {"_export": "csv"}).content.decode())
    header, *rows = sections["Figures"]
    assert header[:3] == ["Indicator", "Of what", "Value"] and header[-1] == "Passage quoted"
    latest = next(row for row in rows if row[3] == "surpassing $107 million")
    assert latest[4] == "2025 (assessed: The report of 26 February 2026 says “last year”.)"
    assert latest[-1] == "Bilateral trade turnover increased by 7.6% last year, surpassing $107 million."
    assert any("The sources differ on: Trade turnover (3)." in " ".join(row) for row in rows)
    book = openpyxl.load_workbook(io.BytesIO(client.get(REPORT_URL, {"_export": "xlsx"}).content))
    sheet = list(book["Figures"].iter_rows(values_only=True))
    assert sheet[0][-1] == "Passage quoted" and len([row for row in sheet[1:] if row[0]]) >= 6


def run(*args) -> str:
    out = io.StringIO()
    call_command("status_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_writes_the_figures_in_every_format(story, tmp_path):
    markdown = run()
    assert "## Figures" in markdown
    assert "| Trade turnover |  | surpassing 107 million USD | surpassing $107 million |" in markdown
    assert_no_draft(markdown)
    html = run("--format", "html")
    assert '<h2 id="report-figures-heading">Figures' in html and "surpassing 107 million USD" in html
    rows = list(csv.reader(io.StringIO(run("--format", "csv"))))
    assert ["Figures"] in rows
    path = tmp_path / "report.xlsx"
    call_command("status_report", "--format", "xlsx", "--output", str(path), stderr=io.StringIO())
    assert "Figures" in openpyxl.load_workbook(path).sheetnames
