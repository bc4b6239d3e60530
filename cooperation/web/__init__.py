"""The public pages: filterable, sortable, exportable lists and the detail pages of published
records (views.py, with filters.py, tables.py, queries.py for the prefetches, cells.py for the
HTML of a cell). Reads the domain (cooperation/tracker) and the caches (cooperation/caching).
"""
