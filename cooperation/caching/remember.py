"""Values worth keeping between requests, under the content version: one key recipe (`key`) and
one helper (`remember`) for every kind of entry.

Every key holds the content version (content_version.py), which rises after each committed
change: a cached value is never older than the data it was built from, and an unpublished record
leaves every entry at once. The lifetime (`Kind.seconds`, a setting; 0 turns that kind off) only
bounds how long a change that sends no signal (raw SQL) can go unseen.

The kinds, and where each is used:
- QUERIES (QUERY_CACHE_SECONDS): small query results that list pages repeat: how many rows a
  filter matches (`remember_count`: every page, order and page size of one filter shares it) and
  the filter forms' choices. Plain data (numbers, lists of strings), the same in every language.
- REPORTS (REPORT_CACHE_SECONDS): the overview's and the status report's figures as HTML, which
  take seconds to build from the whole history; per language. Kept with stale-while-revalidate
  (`revalidate=True`, below), so a visitor never waits for a rebuild of an entry that has aged.
- PAGES (PAGE_CACHE_SECONDS): whole public pages for anonymous visitors (middleware.py).

Stale-while-revalidate: an entry is *fresh* for half its lifetime. A request that finds it older
still gets it at once and, if it wins the rebuild lock (`cache.add`: atomic in Redis; per process
in the in-memory cache), rebuilds it after its response has been sent (Django runs a response's
closers once the server has written the body: see `refresh_after_response`). Past the lifetime an
entry is served only while another worker's rebuild of it is under way, so it is never older
than the lifetime plus one build, and never kept longer than twice the lifetime. With nothing to
serve (the first request, a new version, new parameters), one request builds while the others
that want the same key wait for its result (no dog-pile).
"""

import dataclasses
import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.utils import translation

from . import content_version

logger = logging.getLogger(__name__)

# How often a request waiting for another worker's build looks for the result.
POLL_SECONDS = 0.05


@dataclasses.dataclass(frozen=True)
class Kind:
    """A kind of cached entry: its key prefix, the setting that bounds its life, and whether its
    values differ per language."""

    prefix: str
    lifetime_setting: str
    per_language: bool

    @property
    def seconds(self) -> int:
        return getattr(settings, self.lifetime_setting)


QUERIES = Kind("query", "QUERY_CACHE_SECONDS", per_language=False)
REPORTS = Kind("report", "REPORT_CACHE_SECONDS", per_language=True)
PAGES = Kind("page", "PAGE_CACHE_SECONDS", per_language=True)


def key(kind: Kind, version: int, name: str) -> str:
    """The one key recipe: the kind, the content version, and a digest of the name (with the
    active language, for kinds whose values are translated)."""
    if kind.per_language:
        name = f"{translation.get_language()}:{name}"
    return f"{kind.prefix}:{version}:{hashlib.sha256(name.encode()).hexdigest()}"


def remember(request, kind: Kind, name: str, build, *, revalidate: bool = False):
    """`build()`, or its result cached under the content version that `request` read, for at most
    `kind.seconds`. `request` None (code outside a request) or a lifetime of 0: no cache.
    `revalidate`: stale-while-revalidate (module docstring); the view must be decorated with
    `refresh_after_response`."""
    timeout = kind.seconds
    if not timeout or request is None:
        return build()
    full_key = key(kind, content_version.for_request(request), name)
    if revalidate:
        return _revalidated(request, kind, full_key, build)
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    return value


def remember_count(request, queryset: QuerySet) -> int:
    """`queryset.count()`, shared by every query that selects the same rows in any order."""
    if request is None or not QUERIES.seconds:
        return queryset.count()
    # The name is the SQL that selects the rows' keys: the filters, not the order or the columns.
    try:
        sql, params = queryset.order_by().values("pk").query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # .none(), or a filter that can match nothing
        return 0
    return remember(request, QUERIES, f"count:{queryset.db}:{sql}:{params!r}", queryset.count)


# --- Stale-while-revalidate -------------------------------------------------------------------


def _revalidated(request, kind: Kind, full_key: str, build):
    timeout = kind.seconds
    entry = cache.get(full_key)
    if entry is None:
        return build_or_wait(full_key, build, timeout)
    built_at, value = entry
    age = time.time() - built_at
    if age < timeout / 2 or not cache.add(f"{full_key}:lock", True, timeout):
        return value  # fresh, or being rebuilt by another request
    rebuilds = getattr(request, "cache_rebuilds", None)
    if age < timeout and rebuilds is not None:
        rebuilds.append(functools.partial(rebuild, kind, full_key, build, translation.get_language()))
        return value
    return build_locked(full_key, build, timeout)  # too old to serve, and nobody is rebuilding it


def store(full_key: str, value, timeout: int) -> None:
    # Kept past the lifetime only for requests that arrive while it is being rebuilt.
    cache.set(full_key, (time.time(), value), 2 * timeout)


def build_or_wait(full_key: str, build, timeout: int):
    """Nothing to serve: build, unless another request already is; then wait for its result."""
    if not cache.add(f"{full_key}:lock", True, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and cache.get(f"{full_key}:lock") is not None:
            time.sleep(POLL_SECONDS)
            entry = cache.get(full_key)
            if entry is not None:
                return entry[1]
        # The other build failed or is taking too long: build here rather than wait longer.
    return build_locked(full_key, build, timeout)


def build_locked(full_key: str, build, timeout: int):
    """Build and store while holding the lock (taken by the caller), then release it."""
    try:
        value = build()
        store(full_key, value, timeout)
        return value
    finally:
        cache.delete(f"{full_key}:lock")


def rebuild(kind: Kind, full_key: str, build, language: str) -> None:
    """Runs after the response was sent, in the language of the request that found the entry stale."""
    try:
        with translation.override(language):
            store(full_key, build(), kind.seconds)
    except Exception:
        # The old entry stays until it expires; the next request that finds it stale retries.
        logger.exception("Rebuilding the cached %s %s failed", kind.prefix, full_key)
    finally:
        cache.delete(f"{full_key}:lock")


def refresh_after_response(view):
    """Lets `remember(..., revalidate=True)` rebuild aged entries after the response is sent."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.cache_rebuilds = []
        response = view(request, *args, **kwargs)
        # Closers run when the server has written the response (`HttpResponse.close()`), before
        # `request_finished` closes the database connection; this is how Django's own handlers
        # attach work there.
        response._resource_closers.extend(request.cache_rebuilds)
        return response

    return wrapper
