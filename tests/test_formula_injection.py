"""No file the site writes holds a cell that a spreadsheet program would run as a formula, and no
imported cell that would run as one is stored: the status report's exports and command, the public
lists' exports and the admin's export, and the admin's import (cooperation/formulas.py is the one
rule; each path is swept here with the same payloads in every kind of name and title)."""

import csv
import datetime
import io
import json
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import SafeCSV, SafeXLSX
from cooperation.tracker.models import Organization, StatusUpdate
from tests import factories
from tests.admin_helpers import signed_in

pytestmark = pytest.mark.django_db

# What OWASP's "CSV injection" lists, with the white space that spreadsheet programs skip before it.
PAYLOADS = ['=HYPERLINK("http://x")', "+1", "@SUM(1)", "-2+3", "\t=1+1", "\r=1", "  =1+1", "\n@SUM(1)"]
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def runs_as_formula(cell) -> bool:
    """Written independently of cooperation/formulas.py: the first character a spreadsheet does not
    skip starts a formula, unless the text is a plain number ("+1", "-5")."""
    if not isinstance(cell, str) or PLAIN_NUMBER.match(cell.strip()):
        return False
    return cell[:1] in ("\t", "\r") or cell.lstrip(" \t\r\n")[:1] in ("=", "+", "-", "@")


def assert_safe(cells, where: str):
    cells = list(cells)
    dangerous = [cell for cell in cells if runs_as_formula(cell)]
    assert not dangerous, (where, dangerous)
    # The payloads are in the file, escaped (plain numbers as they are; XML reads a return as a
    # line break).
    texts = [str(cell).replace("\r", "\n") for cell in cells]
    for payload in PAYLOADS:
        expected = (payload if PLAIN_NUMBER.match(payload) else "'" + payload).replace("\r", "\n")
        assert any(expected in text for text in texts), (where, payload)


def csv_cells(content: bytes | str) -> list[str]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def xlsx_cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells), "a real formula cell"
    return [cell.value for cell in cells]


@pytest.fixture
def poisoned(monkeypatch):
    """Every payload as an organization's name, a visit's and a commitment's title, a sector's name
    and a status update's note, on records the report lists (overdue, scorecards, changes)."""
    today = datetime.date(2025, 6, 30)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    records = []
    for number, payload in enumerate(PAYLOADS):
        organization = factories.organization(name=payload, short_name=payload)
        visit = factories.visit(title=payload, place=payload, start_date=datetime.date(2024, 11, 19))
        document = factories.document(title=payload, short_title=payload, parties=[organization], signed_at=visit)
        commitment = factories.commitment(
            title=payload,
            origin_visit=visit,
            origin_document=document,
            responsible=[organization],
            sectors=[factories.sector(payload)],
            due_on=datetime.date(2025, 1, 1),  # overdue on the report day
        )
        factories.status_update(commitment, reported_on=datetime.date(2025, 3, number + 1), note=payload)
        records.append(commitment)
    return records


def test_the_status_report_exports(client, poisoned):
    for query in ({}, {"since": "2025-01-01"}):
        assert_safe(csv_cells(client.get("/reports/status/", {**query, "_export": "csv"}).content), f"csv {query}")
        assert_safe(xlsx_cells(client.get("/reports/status/", {**query, "_export": "xlsx"}).content), f"xlsx {query}")


def test_the_status_report_exports_with_a_poisoned_filter_in_their_heading(client, poisoned):
    organization = Organization.objects.get(name=PAYLOADS[0])
    content = client.get("/reports/status/", {"organization": organization.slug, "_export": "csv"}).content
    cells = csv_cells(content)
    assert not [cell for cell in cells if runs_as_formula(cell)]
    assert any(PAYLOADS[0] in cell for cell in cells)


def test_the_status_report_command(poisoned, tmp_path):
    csv_file, xlsx_file = tmp_path / "report.csv", tmp_path / "report.xlsx"
    call_command("status_report", "--format", "csv", "--since", "2025-01-01", "--output", str(csv_file))
    call_command("status_report", "--format", "xlsx", "--since", "2025-01-01", "--output", str(xlsx_file))
    assert_safe(csv_cells(csv_file.read_bytes()), "command csv")
    assert_safe(xlsx_cells(xlsx_file.read_bytes()), "command xlsx")


@pytest.mark.parametrize(
    "name", ["web:organization-list", "web:visit-list", "web:document-list", "web:commitment-list"]
)
def test_the_public_lists_exports(client, poisoned, name):
    url = reverse(name)
    assert_safe(csv_cells(client.get(url, {"_export": "csv"}).content), f"{name} csv")
    assert_safe(xlsx_cells(client.get(url, {"_export": "xlsx"}).content), f"{name} xlsx")
    records = json.loads(client.get(url, {"_export": "json"}).content)
    assert_safe([value for record in records for value in record.values()], f"{name} json")


@pytest.mark.parametrize("model", ["organization", "visit", "document", "commitment", "statusupdate"])
def test_the_admin_exports(client, poisoned, model):
    signed_in(client, "chief", superuser=True)
    resource = getattr(resources, f"{ {'statusupdate': 'StatusUpdate'}.get(model, model.title()) }Resource")()
    fields = {f"{type(resource).__name__.lower()}_{name}": "on" for name in resource.fields}
    url = reverse(f"admin:tracker_{model}_export")
    for file_format, cells in (("0", csv_cells), ("1", xlsx_cells)):
        response = client.post(url, {"format": file_format, "resource": "0", **fields})
        assert response.status_code == 200
        found = cells(response.content)
        assert not [cell for cell in found if runs_as_formula(cell)], (model, file_format)
        if model != "statusupdate":  # its cells name commitments by slug; the notes carry the payloads
            assert any("'" + PAYLOADS[0] in str(cell) for cell in found), model
    if model == "statusupdate":
        assert StatusUpdate.objects.filter(note=PAYLOADS[0]).exists()


# --- Import ----------------------------------------------------------------------------------


def import_organizations(rows, file_format="csv"):
    if file_format == "csv":
        stream = io.StringIO()
        csv.writer(stream).writerows(rows)
        dataset = SafeCSV().create_dataset(stream.getvalue().encode())
    else:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        stream = io.BytesIO()
        book.save(stream)
        dataset = SafeXLSX().create_dataset(stream.getvalue())
    return resources.OrganizationResource().import_data(dataset, dry_run=False)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("payload", ["\t=1+1", "  =1+1", " +SUM(1)", "\r=1", "\n-2+3", " @A1"])
def test_an_imported_cell_with_white_space_before_a_formula_is_refused(payload, file_format):
    result = import_organizations([["name", "kind", "description"], ["Bio4 Campus", "institute", payload]], file_format)
    (invalid,) = result.invalid_rows
    assert invalid.number == 2 and "description" in invalid.error_dict
    assert "formula" in " ".join(str(message) for message in invalid.error_dict["description"])
    assert not Organization.objects.exists()


def test_escaped_cells_and_plain_numbers_are_imported_as_text():
    rows = [["name", "kind", "description"], ["'  =1+1", "institute", "-5"], ["'\t@A1", "institute", " +3 "]]
    result = import_organizations(rows)
    assert not result.has_validation_errors(), [row.error_dict for row in result.invalid_rows]
    assert set(Organization.objects.values_list("name", "description")) == {("=1+1", "-5"), ("@A1", "+3")}
