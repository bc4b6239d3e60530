"""How every file the site hands out is named and written: the public lists' exports (web/views.py)
and the status report's (reports/views.py, reports/exports.py and its command).

- The name says what and when: `commitments-status-in_progress-2026-12-01.csv`, from the filters
  in force, in the order of the form.
- CSV starts with a UTF-8 byte-order mark: Excel reads a CSV without one in the computer's local
  code page, which garbles "Vučić" or "Қазақстан"; every CSV reader of note (Python's
  `utf-8-sig`, pandas, R, LibreOffice, Google Sheets) skips the mark. One file for everyone rather
  than an "Excel variant" people have to know to pick.
- XLSX: the header row frozen and filters on, and an "About" sheet citing the tracker and the
  address of the view. The list's CSV carries no such line: a line above the header would break
  every program that reads it as a table (the name and the page it came from say where it is from).

Cells are neutralised before they reach here (cooperation/formulas.py, the one formula rule).
"""

import datetime
import decimal
import io
from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

BYTE_ORDER_MARK = "\ufeff"
# Longest name part built from filters, before the date and the extension: file systems allow 255
# bytes, and a name that long is no use to anyone.
LONGEST_NAME = 120
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(what: str, filters: Iterable[tuple[str, str]], day: datetime.date, extension: str) -> str:
    """`what-filter-value-…-YYYY-MM-DD.extension`; names and values as slugs (underscores kept)."""
    parts = [slugify(what)]
    for name, value in filters:
        parts += [slugify(name), slugify(value) or "x"]
    stem = "-".join(part for part in parts if part)[:LONGEST_NAME].rstrip("-")
    return f"{stem}-{day.isoformat()}.{extension}"


def attachment(name: str) -> str:
    """The Content-Disposition header of a download called `name` (already plain ASCII)."""
    return f'attachment; filename="{name}"'


def csv_bytes(text: str) -> bytes:
    return (BYTE_ORDER_MARK + text).encode("utf-8")


def citation(url: str, day: datetime.date) -> str:
    """How to cite a download: the tracker, the address of the view it came from, the day."""
    return _("Cooperation Tracker (Kazakhstan–Serbia), %(url)s, %(day)s") % {"url": url, "day": day.isoformat()}


def xlsx_bytes(sheets: Iterable[tuple[str, list, Iterable[list]]], about: list[str]) -> bytes:
    """A workbook of (title, headers, rows) sheets, each with its header row bold and frozen and
    filters on it, and an "About" sheet of the `about` lines (the citation first).

    Written with openpyxl's write-only workbook, row by row: a 100,000-row export is not held as
    cell objects."""
    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title=title)
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(max(len(str(header)) + 4, 12), 60)
        sheet.append([bold(sheet, str(header)) for header in headers])
        count = 1
        for row in rows:
            sheet.append([cell_value(cell) for cell in row])
            count += 1
        if headers:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count}"
    about_sheet = book.create_sheet(title=str(_("About"))[:31])
    for line in about:
        about_sheet.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_value(value):
    """What openpyxl can write: numbers, dates and text as they are, anything else (a lazy
    translation, a model) as its text."""
    if value is None or isinstance(value, (str, int, float, decimal.Decimal, datetime.date)):
        return value
    return str(value)


def bold(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
