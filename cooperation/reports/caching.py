"""The report cache: pages that take seconds to build from the whole history, shared by every
visitor, never older than REPORT_CACHE_SECONDS, and rebuilt by one worker at a time without
keeping a visitor waiting.

An entry is kept for REPORT_CACHE_SECONDS and is *fresh* for the first half of that. A request
that finds it past that half still gets it at once, and if it wins the rebuild lock (`cache.add`,
atomic in Redis; per process in the in-memory cache) it rebuilds the entry after its response has
been sent: Django runs a response's closers when the WSGI server has written the body, before the
worker takes the next request. So under steady traffic nobody waits and nothing is rebuilt twice.

Only a request that finds nothing to serve (the first one, a new day, a new set of parameters, or
after a quiet spell longer than half the timeout) builds while its client waits; other requests
for the same key wait for that build rather than repeating it (no dog-pile).

Entries are kept per language: the figures and the HTML hold translated words and localized numbers.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

logger = logging.getLogger(__name__)

# How often a request waiting for another worker's build looks for the result.
POLL_SECONDS = 0.05


def cache_key(key: str) -> str:
    return "reports:" + hashlib.sha256(f"{translation.get_language()}:{key}".encode()).hexdigest()


def cached(request, key: str, build):
    """`build()`, shared for REPORT_CACHE_SECONDS (0 turns the cache off, so edits show at once).

    A stale entry is served and rebuilt after the response (see the module docstring); the view
    must be decorated with `refresh_after_response`.
    """
    timeout = settings.REPORT_CACHE_SECONDS
    if not timeout:
        return build()
    key = cache_key(key)
    entry = cache.get(key)
    if entry is not None:
        fresh_until, value = entry
        if time.time() >= fresh_until and cache.add(f"{key}:lock", True, lock_seconds(timeout)):
            request.report_rebuilds.append(functools.partial(rebuild, key, build, translation.get_language()))
        return value
    return build_or_wait(key, build, timeout)


def lock_seconds(timeout: int) -> float:
    # Longer than a build takes; if the builder dies, another request retries once it lapses.
    return max(timeout / 2, 1)


def store(key: str, value, timeout: int):
    cache.set(key, (time.time() + timeout / 2, value), timeout)


def build_or_wait(key: str, build, timeout: int):
    """Nothing to serve: build, unless another worker already is; then wait for its result."""
    lock = f"{key}:lock"
    if not cache.add(lock, True, lock_seconds(timeout)):
        deadline = time.monotonic() + lock_seconds(timeout)
        while time.monotonic() < deadline and cache.get(lock) is not None:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None:
                return entry[1]
        # The other build failed or is taking too long: build here rather than wait longer.
    try:
        value = build()
        store(key, value, timeout)
        return value
    finally:
        cache.delete(lock)


def rebuild(key: str, build, language: str):
    """Runs after the response was sent, in the language of the request that found the entry stale."""
    try:
        with translation.override(language):
            store(key, build(), settings.REPORT_CACHE_SECONDS)
    except Exception:
        # The stale entry is still served until it expires; the next request past it retries.
        logger.exception("Rebuilding the cached report %s failed", key)
    finally:
        cache.delete(f"{key}:lock")


def refresh_after_response(view):
    """Lets `cached` schedule rebuilds of stale entries for after the response is sent."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.report_rebuilds = []
        response = view(request, *args, **kwargs)
        # Closers run when the server has written the response (`HttpResponse.close()`), before
        # `request_finished` closes the database connection; this is how Django's own handlers
        # attach work there.
        response._resource_closers.extend(request.report_rebuilds)
        return response

    return wrapper
