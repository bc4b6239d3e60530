"""Small query results that public pages repeat, cached under the content version: how many rows
a filter matches (every page, sort order and page size of one filter shares the figure) and the
choices the filter forms offer (the same on every list page).

At 100,000 commitments, counting a list's rows is its most expensive query (3–7 ms), and the
choice queries add one round trip each. Both change only when the data does: every key holds the
content version (tracker/content_version.py), which rises after each committed change, so a
cached figure is never out of date and an unpublished record leaves every count at once. Entries
also expire after QUERY_CACHE_SECONDS (0 turns the cache off), which bounds how long a change that
sends no signal (raw SQL) can go unseen, as for the page cache.

Values are plain data (numbers, lists of strings): nothing that holds a model instance or a lazy
translation.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from cooperation.tracker import content_version


def enabled(request) -> bool:
    return bool(settings.QUERY_CACHE_SECONDS) and request is not None


def remember(request, key: str, build):
    """`build()`, or its result cached for this content version. `request` carries the version
    read once per request (None: no cache, as in code outside a request)."""
    if not enabled(request):
        return build()
    version = content_version.for_request(request)
    full_key = f"query:{version}:{hashlib.sha256(key.encode()).hexdigest()}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, settings.QUERY_CACHE_SECONDS)
    return value


def count(request, queryset: QuerySet) -> int:
    """`queryset.count()`, shared by every query that selects the same rows in any order."""
    if not enabled(request):
        return queryset.count()
    # The key is the SQL that selects the rows' keys: the filters, not the order or the columns.
    try:
        sql, params = queryset.order_by().values("pk").query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return 0
    return remember(request, f"count:{queryset.db}:{sql}:{params!r}", queryset.count)
