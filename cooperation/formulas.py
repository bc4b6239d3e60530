"""Spreadsheet formula injection (OWASP "CSV injection"): the one rule for every file the site
writes or reads — the public lists' CSV/XLSX/JSON exports (web/tables.py), the status report's
CSV/XLSX (reports/exports.py) and the admin's spreadsheet export and import
(staff/spreadsheets/files.py and resources.py).

A cell whose text starts with "=", "+", "-" or "@", also after white space (spreadsheet programs
skip a leading tab, return, line break or space), is run as a formula by spreadsheet programs.
Exports give such text, and any text that starts with a tab or a return, a leading apostrophe,
which spreadsheet programs show as text; imports take that apostrophe off again and refuse any
other such cell (`runs_as_formula`, the same test on both sides). Plain numbers ("-5", "+3",
"2,5") are numbers, not formulas, and pass unchanged.
"""

import re

import tablib

FORMULA_STARTS = ("=", "+", "-", "@")
# Skipped by spreadsheet programs before a formula; the first two also start one on their own.
BLANKS = "\t\r\n "
CONTROL_STARTS = ("\t", "\r")
ESCAPE = "'"
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def runs_as_formula(text) -> bool:
    """Whether a spreadsheet program would run `text` as a formula: its first character that is not
    white space starts one, and it is not a plain number."""
    return (
        isinstance(text, str)
        and text.lstrip(BLANKS).startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.match(text.strip(BLANKS))
    )


def neutralise(value):
    """The cell as exported: text that a spreadsheet would run as a formula, or that starts with a
    tab or a return, gets a leading apostrophe."""
    if isinstance(value, str) and (runs_as_formula(value) or value.startswith(CONTROL_STARTS)):
        return ESCAPE + value
    return value


def restore(value) -> tuple[object, bool]:
    """The inverse of `neutralise` for one imported cell: (value, is_formula). An apostrophe-escaped
    cell loses its apostrophe; a cell that would run as a formula is reported so the row is refused."""
    if not isinstance(value, str):
        return value, False
    if value.startswith(ESCAPE) and neutralise(value[1:]) != value[1:]:
        return value[1:], False
    return value, runs_as_formula(value)


def neutralised(dataset: tablib.Dataset, empty=None) -> tablib.Dataset:
    """A copy of `dataset` with every cell as `neutralise` exports it; an empty cell (None)
    becomes `empty`."""
    safe = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        safe.append([empty if cell is None else neutralise(cell) for cell in row])
    return safe
