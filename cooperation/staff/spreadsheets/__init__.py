"""Spreadsheet import and export in the admin (README "Spreadsheet import and export").

resources.py: one resource per model — its columns, required columns and import rules (change an
import column there); widgets.py: how a cell maps to a value (natural keys, dates with their
precision, choices, progress); files.py: reading and writing CSV and XLSX safely (encodings, size
limits, formulas, the upload kept between preview and confirm).
"""
