"""Write each XLSX sample of fixtures/import-samples/ from its CSV twin (the CSV is the one to edit):
every cell as text (a cell starting with "=" as the formula it is, which the import refuses), an
empty cell left empty, so the two import alike (tests/staff/test_import_export.py
test_xlsx_samples_match_the_csv_samples).

    .venv/bin/python tools/import_samples.py [name …]   # e.g. status-updates; all without names
"""

import csv
import sys
from pathlib import Path

import openpyxl

SAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "import-samples"


def write_xlsx(csv_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    with csv_path.open(encoding="utf-8", newline="") as rows:
        for row in csv.reader(rows):
            sheet.append([cell or None for cell in row])
    path = csv_path.with_suffix(".xlsx")
    book.save(path)
    return path


if __name__ == "__main__":
    names = sys.argv[1:]
    paths = [SAMPLES / f"{name}.csv" for name in names] if names else sorted(SAMPLES.glob("*.csv"))
    for path in paths:
        print(write_xlsx(path).relative_to(SAMPLES.parent.parent))
