"""Reading and writing the spreadsheets staff import and export (CSV and XLSX).

Both formats are read as bytes so that a file we cannot read (wrong encoding,
not a spreadsheet, too big) becomes a clear message in the import preview
instead of django-import-export's generic "… encountered while trying to read
file". Formula injection is neutralised on export (a leading apostrophe) and
undone on import, by the site's one rule (cooperation/formulas.py).
"""

import codecs
import contextlib
import csv
import datetime
import io
import os
import re
import tempfile
import uuid
import zipfile
from xml.parsers import expat

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

from cooperation.formulas import neutralised

MAX_FILE_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: refuse one that would unpack to far more than it weighs (zip bomb). 10,000 rows
# of 18 filled columns, the widest sheet the resources take, unpack to about 20 MB.
MAX_XLSX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_ROWS = 10_000
# The widest resource has 18 columns; a sheet far wider is not an import file.
MAX_COLUMNS = 100


class UnreadableFile(Exception):
    """The upload is not a spreadsheet we can read; the message says why."""


class UnreadableDataset(tablib.Dataset):
    """Stands in for the rows of a file that could not be read.

    django-import-export's admin reports a read failure only by exception class
    name, so the formats return this instead and the resource turns `problem`
    into an error message in the preview (see resources.TrackerResource).
    """

    def __init__(self, problem: str):
        super().__init__()
        self.problem = problem

    def __bool__(self):  # not "empty": the admin would replace our message with its own
        return True


def _too_many_rows() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(max)d records; import at most %(max)d at a time.") % {"max": MAX_ROWS}
    )


def _too_many_columns() -> UnreadableFile:
    return UnreadableFile(
        _("The file has more than %(max)d columns; an import file has at most %(max)d columns.") % {"max": MAX_COLUMNS}
    )


def _bounded(rows):
    """`rows` as they stream by, stopped as soon as a filled cell lies past the last row or column
    an import may have (the header and MAX_ROWS records; MAX_COLUMNS): a file is refused before
    all of it is read. Blank rows and cells (formatting only) do not count."""
    for number, row in enumerate(rows, start=1):
        filled = [index for index, cell in enumerate(row, start=1) if cell not in (None, "")]
        if filled and number > MAX_ROWS + 1:
            raise _too_many_rows()
        if filled and filled[-1] > MAX_COLUMNS:
            raise _too_many_columns()
        yield row


CELL_REFERENCE = re.compile(r"^([A-Z]+)(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_sheet_shape(source) -> None:
    """Stream a worksheet's XML (`source`, a file) once with expat, which is several times faster
    than building openpyxl's cells, and refuse it at the first filled cell past MAX_ROWS + 1 rows
    or MAX_COLUMNS columns. A cell's place is its reference (r="C12"), or the next after the last."""
    row = column = 0
    in_cell = False

    def start(name, attributes):
        nonlocal row, column, in_cell
        local = name.rpartition(" ")[2]
        if local == "row":
            row = int(attributes["r"]) if attributes.get("r", "").isdigit() else row + 1
            column = 0
        elif local == "c":
            reference = CELL_REFERENCE.match(attributes.get("r", ""))
            column = _column_number(reference[1]) if reference else column + 1
            in_cell = True
        elif in_cell and local in ("v", "is", "f"):  # the cell holds a value, not only a format
            if row > MAX_ROWS + 1:
                raise _too_many_rows()
            if column > MAX_COLUMNS:
                raise _too_many_columns()

    def end(name):
        nonlocal in_cell
        if name.rpartition(" ")[2] == "c":
            in_cell = False

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    while chunk := source.read(1 << 16):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _drop_trailing_blank_rows(rows: list[list]) -> list[list]:
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    return rows


def _dataset(rows: list[list]) -> tablib.Dataset:
    """Header row plus records; short records are padded, blank ones kept so row numbers match the file."""
    rows = _drop_trailing_blank_rows(rows)
    if not rows:
        raise UnreadableFile(_("The file is empty: it needs a header row and at least one record."))
    headers, records = rows[0], rows[1:]
    if not records:
        raise UnreadableFile(_("The file has a header row but no records."))
    if len(headers) > MAX_COLUMNS and any(cell not in (None, "") for cell in headers[MAX_COLUMNS:]):
        raise _too_many_columns()
    if len(records) > MAX_ROWS:
        raise UnreadableFile(
            _("The file has %(count)d records; import at most %(max)d at a time.")
            % {"count": len(records), "max": MAX_ROWS}
        )
    width = len(headers)
    dataset = tablib.Dataset(headers=["" if h is None else str(h) for h in headers])
    for number, record in enumerate(records, start=2):
        if len(record) > width and any(cell not in (None, "") for cell in record[width:]):
            raise UnreadableFile(_("Row %(row)d has more cells than the header row has columns.") % {"row": number})
        dataset.append((list(record) + [""] * width)[:width])
    return dataset


def _check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            _("The file is larger than %(mb)d MB; split it into smaller files.") % {"mb": MAX_FILE_BYTES // 2**20}
        )


def decode_csv(data: bytes) -> str:
    """UTF-8 text (with or without a byte-order mark), or a message that says what to do."""
    if isinstance(data, str):
        return data
    _check_size(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(
            _("The file is encoded as UTF-16. Save it from your spreadsheet as “CSV UTF-8” and import it again.")
        )
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(_("This is an Excel (XLSX) file, not CSV: choose the xlsx format."))
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_("This is not a CSV text file. Upload a CSV or XLSX spreadsheet."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _(
                "The file is not UTF-8 text (byte %(position)d), perhaps Windows-1251 or another older encoding. "
                "Save it from your spreadsheet as “CSV UTF-8” and import it again."
            )
            % {"position": error.start + 1}
        ) from None


def read_csv(data: bytes | str) -> tablib.Dataset:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    # Excel in Serbian, Russian or Kazakh locale separates CSV columns with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        rows = list(_bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)))
    except csv.Error as error:
        raise UnreadableFile(_("The CSV file is malformed: %(error)s.") % {"error": error}) from None
    return _dataset(rows)


def _xlsx_cell(cell):
    if cell.data_type == "f":
        # Keep the formula text: the resource refuses it with the row and column.
        return str(cell.value)
    value = cell.value
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def read_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl

    _check_size(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_XLSX_UNPACKED_BYTES:
                raise UnreadableFile(_("The workbook is too large once unpacked; split it into smaller files."))
        # Not data_only: a formula must reach the resource as a formula, never as Excel's cached result.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(
            _("This is not an Excel (XLSX) workbook. Upload an .xlsx file or choose the csv format.")
        ) from None
    try:
        sheet = book.worksheets[0]
        with sheet._get_source() as source:  # openpyxl's own handle on the sheet's XML in the zip
            check_sheet_shape(source)
        # The <dimension> a file states may be wrong (openpyxl would stop reading there): read all.
        sheet.reset_dimensions()
        rows = list(_bounded([_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows()))
    except UnreadableFile:
        raise
    except Exception:
        message = _("The workbook could not be read; open it in your spreadsheet and save it again.")
        raise UnreadableFile(message) from None
    finally:
        book.close()
    return _dataset(rows)


def _deferred(reader, data) -> tablib.Dataset:
    try:
        return reader(data)
    except UnreadableFile as error:
        return UnreadableDataset(str(error))


class SafeCSV(base_formats.CSV):
    """CSV read as bytes (clear encoding errors, `;` or `,`), written with a BOM so Excel shows Cyrillic."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _deferred(read_csv, in_stream)

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + neutralised(dataset).export("csv")


class SafeXLSX(base_formats.XLSX):
    """XLSX whose formulas are refused on import and neutralised on export."""

    def create_dataset(self, in_stream, **kwargs):
        return _deferred(read_xlsx, in_stream)

    def export_data(self, dataset, **kwargs):
        return neutralised(dataset).export("xlsx")


# The admin's import and export formats, in the order its format menu offers them.
FORMATS = [SafeCSV, SafeXLSX]


class UploadStorage(TempFolderStorage):
    """Holds an upload between preview and confirm, under a random name of our own.

    The confirm form posts the name back; a forged, reused or expired name reads
    as an empty file (a clear message, no 500) instead of opening another file in
    the temporary folder.
    """

    PREFIX = "cooperation-import-"
    VALID_NAME = re.compile(rf"^{PREFIX}[0-9a-f]{{32}}$")

    def save(self, data):
        self.name = f"{self.PREFIX}{uuid.uuid4().hex}"
        with open(self.get_full_path(), "wb") as file:
            file.write(data if isinstance(data, bytes) else data.encode("utf-8"))

    def read(self):
        if not self.VALID_NAME.match(self.name or ""):
            return b""
        try:
            with open(self.get_full_path(), "rb") as file:
                return file.read()
        except OSError:
            return b""

    def remove(self):
        if self.VALID_NAME.match(self.name or ""):
            with contextlib.suppress(OSError):
                os.remove(self.get_full_path())

    def get_full_path(self):
        return os.path.join(tempfile.gettempdir(), self.name)
