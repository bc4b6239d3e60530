"""The status report's "Signed, not yet in force": page, exports and command, with the time since
signature and the side still to act; published documents only."""

import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command

from cooperation.reports.services import ReportParams, build_report
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def documents():
    waiting = f.document(
        title="Visa agreement",
        signed_on=D(2024, 11, 19),
        subject_to_procedures="yes",
        entry_into_force_rule="on_last_notification",
    )
    f.step(waiting, "RS", "internal_procedure", act_on=D(2025, 3, 4))
    in_force = f.document(title="Tourism agreement", signed_on=D(2024, 11, 19), entry_into_force_rule="on_signature")
    unknown = f.document(title="Memorandum on culture", signed_on=D(2025, 2, 1))
    draft = f.document(title="Hidden agreement", signed_on=D(2024, 1, 1), publication_status=f.DRAFT)
    return waiting, in_force, unknown, draft


def test_the_section_lists_the_signed_documents_not_in_force(documents):
    report = build_report(ReportParams(today=D(2026, 1, 19)))
    rows = {row.title: row for row in report.not_in_force}
    assert set(rows) == {"Visa agreement", "Memorandum on culture"} and report.not_in_force_total == 2
    assert rows["Visa agreement"].to_act == "Kazakhstan"
    assert rows["Visa agreement"].since_signature == "1\xa0year, 2\xa0months"
    assert rows["Memorandum on culture"].to_act == "not reported"
    assert [row.title for row in report.not_in_force] == ["Visa agreement", "Memorandum on culture"]  # longest first


def test_the_page_export_and_command_show_it(client, documents):
    page = client.get("/reports/status/").content.decode()
    assert "Signed, not yet in force" in page and "Visa agreement" in page and "Hidden agreement" not in page
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/status/", {"_export": "xlsx"}).content))
    sheet = list(book["Not yet in force"].iter_rows(values_only=True))
    assert sheet[0][:5] == ("Document", "Signed", "Time since signature", "Status", "Still to act")
    assert {row[0] for row in sheet[1:] if row[0]} >= {"Visa agreement", "Memorandum on culture"}
    out = io.StringIO()
    call_command("status_report", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "## Signed, not yet in force" in text and "| Visa agreement |" in text and "Hidden agreement" not in text
