"""The one caching concept of the public site: every cached entry is keyed on the content version.

- content_version.py: one number in the database that rises after every committed change to
  tracker data; signals.py raises it (the domain only announces its changes).
- remember.py: the key recipe and `remember`, the one helper that caches a value (optionally with
  stale-while-revalidate), with the kinds of entries and the setting that bounds each one's life:
  QUERY_CACHE_SECONDS (list counts, filter choices), REPORT_CACHE_SECONDS (report figures),
  PAGE_CACHE_SECONDS (whole pages).
- middleware.py: whole public pages for anonymous visitors.
"""
