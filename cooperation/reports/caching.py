"""The report cache: pages that take seconds to build from the whole history, shared by every
visitor, at most REPORT_CACHE_SECONDS old (see below for the one exception), and rebuilt by one
worker at a time without keeping visitors waiting.

An entry is *fresh* for half of REPORT_CACHE_SECONDS. A request that finds it older still gets it
at once, and if it wins the rebuild lock (`cache.add`: atomic in Redis; per process in the
in-memory cache) it rebuilds the entry after its response has been sent: Django runs a response's
closers once the WSGI server has written the body, before the worker takes the next request. So
under steady traffic nobody waits and nothing is rebuilt twice.

Past REPORT_CACHE_SECONDS an entry is served only while another worker's rebuild of it is under
way (a slow build on a busy server), so it is never older than the timeout plus one build, and
never kept longer than twice the timeout. Otherwise the request builds while its client waits:
the first request, a new day, a new set of parameters, or after a quiet spell. Requests that
find the same key being built wait for that build rather than repeating it (no dog-pile).

Entries are kept per language: the figures and the HTML hold translated words and localized numbers.
And per content version (tracker/content_version.py): a change to the data is seen at once.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from cooperation.tracker import content_version

logger = logging.getLogger(__name__)

# How often a request waiting for another worker's build looks for the result.
POLL_SECONDS = 0.05


def cache_key(key: str, version: int) -> str:
    # Under the content version: any change to the data, above all an unpublication, is a new key.
    return f"reports:{version}:" + hashlib.sha256(f"{translation.get_language()}:{key}".encode()).hexdigest()


def cached(request, key: str, build):
    """`build()`, shared for REPORT_CACHE_SECONDS (0 turns the cache off, so edits show at once).

    The view must be decorated with `refresh_after_response`: a stale entry is rebuilt after the
    response (see the module docstring).
    """
    timeout = settings.REPORT_CACHE_SECONDS
    if not timeout:
        return build()
    key = cache_key(key, content_version.for_request(request))
    entry = cache.get(key)
    if entry is None:
        return build_or_wait(key, build, timeout)
    built_at, value = entry
    age = time.time() - built_at
    if age < timeout / 2 or not cache.add(f"{key}:lock", True, timeout):
        return value  # fresh, or being rebuilt by another request
    if age < timeout:
        request.report_rebuilds.append(functools.partial(rebuild, key, build, translation.get_language()))
        return value
    return build_locked(key, build, timeout)  # too old to serve, and nobody is rebuilding it


def store(key: str, value, timeout: int):
    # Kept past the timeout only for requests that arrive while it is being rebuilt.
    cache.set(key, (time.time(), value), 2 * timeout)


def build_or_wait(key: str, build, timeout: int):
    """Nothing to serve: build, unless another request already is; then wait for its result."""
    if not cache.add(f"{key}:lock", True, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and cache.get(f"{key}:lock") is not None:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None:
                return entry[1]
        # The other build failed or is taking too long: build here rather than wait longer.
    return build_locked(key, build, timeout)


def build_locked(key: str, build, timeout: int):
    """Build and store while holding the lock (taken by the caller), then release it."""
    try:
        value = build()
        store(key, value, timeout)
        return value
    finally:
        cache.delete(f"{key}:lock")


def rebuild(key: str, build, language: str):
    """Runs after the response was sent, in the language of the request that found the entry stale."""
    try:
        with translation.override(language):
            store(key, build(), settings.REPORT_CACHE_SECONDS)
    except Exception:
        # The old entry stays until it expires; the next request that finds it stale retries.
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
