"""Import is quick to refuse and never merges silently: a workbook that unpacks to far more than
it weighs, or a sheet with too many rows or columns, is refused in well under 2 seconds, before
its rows are read; two rows of one file naming the same record are an error for both."""

import csv
import io
import time
import zipfile

import openpyxl
import pytest

from cooperation.staff.spreadsheets import resources
from cooperation.staff.spreadsheets.files import MAX_COLUMNS, MAX_ROWS, SafeCSV, SafeXLSX
from cooperation.tracker.models import Organization, StatusUpdate, Visit
from tests import factories

pytestmark = pytest.mark.django_db

SECONDS = 2.0
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(sheet_xml: bytes) -> bytes:
    """A real workbook (written by openpyxl) whose first sheet is `sheet_xml`, deflated."""
    book = openpyxl.Workbook()
    book.active.append(["name", "kind"])
    plain = io.BytesIO()
    book.save(plain)
    packed = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item.filename, data)
    return packed.getvalue()


def sheet(rows, dimension="A1:B2") -> bytes:
    """Sheet XML: `rows` is an iterable of lists of cell texts; the dimension may lie."""

    def cells(number, values):
        return "".join(
            f'<c r="{column_letter(index)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for index, value in enumerate(values, start=1)
        )

    body = "".join(f'<row r="{number}">{cells(number, values)}</row>' for number, values in enumerate(rows, start=1))
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    ).encode()


def column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def refused_quickly(data: bytes, file_format: str) -> str:
    fmt = SafeXLSX() if file_format == "xlsx" else SafeCSV()
    started = time.monotonic()
    result = resources.OrganizationResource().import_data(fmt.create_dataset(data), dry_run=True)
    elapsed = time.monotonic() - started
    messages = " ".join(str(error.error) for error in result.base_errors)
    assert elapsed < SECONDS, f"took {elapsed:.1f} s to refuse: {messages}"
    assert not Organization.objects.exists()
    return messages


def test_a_workbook_that_unpacks_to_58_mib_is_refused_at_once():
    # Without their optional cell references the rows are all alike, and deflate packs them ~300:1.
    rows = f'<row><c t="inlineStr"><is><t>{"x" * 250}</t></is></c></row>' * 200_000
    bomb = workbook(f'<worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'.encode())
    assert len(bomb) < 400 * 1024  # small on the way in
    assert sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 50 * 2**20
    assert "too large once unpacked" in refused_quickly(bomb, "xlsx")


def test_a_sheet_with_too_many_rows_is_refused_before_they_are_read():
    # Small enough once unpacked, its dimension lying: the rows are counted as the sheet streams by.
    data = workbook(sheet((["Org", "ministry"] for _ in range(150_000)), dimension="A1:B2"))
    message = refused_quickly(data, "xlsx")
    assert f"import at most {MAX_ROWS} at a time" in message


def test_a_sheet_with_too_many_columns_is_refused_before_it_is_read():
    data = workbook(sheet([[f"c{n}" for n in range(5000)], ["x"] * 5000]))
    assert f"at most {MAX_COLUMNS} columns" in refused_quickly(data, "xlsx")


def test_a_csv_with_too_many_rows_is_refused_quickly():
    data = b"name,kind\n" + b"O,ministry\n" * 400_000
    assert f"import at most {MAX_ROWS} at a time" in refused_quickly(data, "csv")


def test_a_csv_with_too_many_columns_is_refused():
    data = ",".join(f"c{n}" for n in range(5000)).encode() + b"\n" + b"x," * 4999 + b"x\n"
    assert f"at most {MAX_COLUMNS} columns" in refused_quickly(data, "csv")


def test_empty_formatted_rows_after_the_data_do_not_count():
    """Spreadsheet programs keep rows that were only formatted; they hold nothing to import."""
    body = "".join(f'<row r="{n}" ht="15" customHeight="1"></row>' for n in range(4, 30_000))
    xml = sheet([["name", "kind"], ["Bio4 Campus", "institute"], ["SEE UP", "company"]]).replace(
        b"</sheetData>", body.encode() + b"</sheetData>"
    )
    result = resources.OrganizationResource().import_data(SafeXLSX().create_dataset(workbook(xml)), dry_run=True)
    assert not result.base_errors and result.totals["new"] == 2


# --- Two rows, one record --------------------------------------------------------------------


def csv_bytes(rows) -> bytes:
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode()


def row_errors(result) -> dict[int, str]:
    return {
        invalid.number: " ".join(str(message) for messages in invalid.error_dict.values() for message in messages)
        for invalid in result.invalid_rows
    }


def run_import(resource_class, rows):
    dataset = SafeCSV().create_dataset(csv_bytes(rows))
    return resource_class().import_data(dataset, dry_run=False)


def test_two_rows_for_one_organization_are_both_errors():
    factories.country("KZ")
    result = run_import(
        resources.OrganizationResource,
        [
            ["name", "kind", "country", "website"],
            ["Kazakh Invest", "agency", "KZ", "https://invest.gov.kz"],
            ["Astana Hub", "agency", "KZ", ""],
            ["KAZAKH INVEST", "agency", "Kazakhstan", "https://kazakhinvest.kz"],
        ],
    )
    errors = row_errors(result)
    assert set(errors) == {2, 4}
    assert "rows 2 and 4" in errors[2] and "rows 2 and 4" in errors[4]
    assert not Organization.objects.exists(), "nothing saved, not “new” then “update”"


def test_two_rows_for_one_status_update_are_both_errors():
    commitment = factories.commitment(slug="restart-the-business-council", title="Restart the Business Council")
    source = factories.source().title
    result = run_import(
        resources.StatusUpdateResource,
        [
            ["commitment", "reported_on", "status", "progress", "evidence_source"],
            ["restart-the-business-council", "2026-02-26", "completed", "100", source],
            ["Restart the Business Council", "26.02.2026", "in_progress", "50", source],
            ["restart-the-business-council", "2026-03-01", "in_progress", "50", source],
        ],
    )
    errors = row_errors(result)
    assert set(errors) == {2, 3}
    assert "rows 2 and 3" in errors[2]
    assert not StatusUpdate.objects.filter(commitment=commitment).exists()


def test_two_rows_with_one_slug_are_both_errors():
    result = run_import(
        resources.VisitResource,
        [
            ["slug", "title", "kind", "start_date"],
            ["forum-2024", "Business forum", "business_forum", "2024-11-12"],
            ["forum-2024", "Business forum (corrected)", "business_forum", "2024-11-12"],
            ["", "Business forum", "business_forum", "2024-11-12"],
        ],
    )
    errors = row_errors(result)
    assert set(errors) == {2, 3}
    assert "rows 2 and 3" in errors[3]
    assert not Visit.objects.exists()


def test_a_wrong_dimension_does_not_drop_rows():
    """openpyxl stops at the <dimension> a file states; a file written by another program may state
    a wrong one, and its last rows would vanish from the import without a word."""
    rows = [["name", "kind"], ["Bio4 Campus", "institute"], ["SEE UP", "company"], ["Hipol", "company"]]
    dataset = SafeXLSX().create_dataset(workbook(sheet(rows, dimension="A1:B2")))
    result = resources.OrganizationResource().import_data(dataset, dry_run=True)
    assert result.totals["new"] == 3
