"""Spreadsheet formula injection (OWASP "CSV injection"): the one rule for every file the site
writes or reads — the public lists' CSV/XLSX/JSON exports (web/tables.py), the status report's
CSV/XLSX (reports/exports.py) and the admin's spreadsheet export and import
(staff/spreadsheets/files.py and resources.py).

A cell whose text starts with "=", "+", "-" or "@" (or a tab or carriage return before one) is
run as a formula by spreadsheet programs. Exports give such text a leading apostrophe, which
spreadsheet programs show as text; imports take that apostrophe off again and refuse any other
such cell. Plain numbers ("-5", "+3", "2,5") are numbers, not formulas, and pass unchanged.
"""

import re

import tablib

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# On import a leading tab or return is stripped as white space, so only these can start a formula.
IMPORT_TRIGGERS = TRIGGERS[:4]
ESCAPE = "'"
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def neutralise(value):
    """The cell as exported: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not PLAIN_NUMBER.match(value):
        return ESCAPE + value
    return value


def restore(value) -> tuple[object, bool]:
    """The inverse of `neutralise` for one imported cell: (value, is_formula). An apostrophe-escaped
    cell loses its apostrophe; a cell that would run as a formula is reported so the row is refused."""
    if not isinstance(value, str):
        return value, False
    if value.startswith(ESCAPE) and value[1:].startswith(TRIGGERS):
        return value[1:], False
    if value.startswith(IMPORT_TRIGGERS) and not PLAIN_NUMBER.match(value.strip()):
        return value, True
    return value, False


def neutralised(dataset: tablib.Dataset, empty=None) -> tablib.Dataset:
    """A copy of `dataset` with every cell as `neutralise` exports it; an empty cell (None)
    becomes `empty`."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([empty if cell is None else neutralise(cell) for cell in row])
    return safe
