"""Whole public pages cached for anonymous visitors: a page, once built, is the same for every one
of them, and building a list page costs 25–45 ms of CPU where sending a cached one costs ~1 ms.

A page is cached per URL (path and query string), language and day (pages say what is overdue
today), under the content version (content_version.py), which rises after every committed change:
a change, above all an unpublication, shows on the next request in every process. Entries also
expire after PAGE_CACHE_SECONDS (0 turns the cache off), which bounds how long a change that sends
no signal (raw SQL) can go unseen. The key is remember.py's recipe (kind PAGES).

Cached: GET requests for pages of the public apps (`web:`, `reports:`) with a 200 answer, from
visitors without a session or pending messages. Not cached: exports (`_export`, files of any
size), anything that sets a cookie, uses a CSRF token, touches the session, or says it is private.
Staff, who have a session, always see pages built for them.

Only the body, status and Content-Type are stored: on a hit the view is skipped, but the inner
middleware (security headers, CSP) still runs as for any response. The `X-Page-Cache` header says
`hit` or `miss`.

The overview and the status report are cached twice, deliberately: here as whole pages, and their
figures by remember(REPORTS). Each layer does what the other cannot. The page cache answers an
anonymous repeat visit without running the view at all, which for the status report also skips
its filter form with hundreds of options (at 100,000 commitments: p95 8 ms from the page cache,
22–26 ms with only the figures cached; README "Benchmark"). The report
cache serves everyone the page cache cannot (staff with a session, exports, other URLs whose
checked parameters are the same) and the first visitor after a page entry expires, at once
(stale-while-revalidate), and lets only one worker build a report after a change while the
others wait for it (the page cache has no such lock; a report takes seconds to build). The price:
an anonymous report page is stored twice, and a change that sends no signal can take up to
PAGE_CACHE_SECONDS + REPORT_CACHE_SECONDS to show there.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

from . import content_version
from .remember import PAGES, key

PUBLIC_NAMESPACES = {"web", "reports"}
UNCACHEABLE_CONTROLS = {"private", "no-cache", "no-store"}


def cacheable_request(request) -> bool:
    match = request.resolver_match
    return (
        PAGES.seconds > 0
        and request.method == "GET"
        and match is not None
        and match.namespace in PUBLIC_NAMESPACES
        and "_export" not in request.GET
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def storable_response(request, response) -> bool:
    controls = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not controls & UNCACHEABLE_CONTROLS
    )


def page_key(request) -> str:
    return key(PAGES, content_version.for_request(request), f"{timezone.localdate()}:{request.get_full_path()}")


class PublicPageCacheMiddleware:
    """Goes after LocaleMiddleware (the key holds the language). See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entry_key = getattr(request, "page_cache_key", None)
        if entry_key is not None and storable_response(request, response):
            entry = (response.status_code, response["Content-Type"], response.content)
            cache.set(entry_key, entry, PAGES.seconds)
            response["X-Page-Cache"] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not cacheable_request(request):
            return None
        entry_key = page_key(request)
        entry = cache.get(entry_key)
        if entry is None:
            request.page_cache_key = entry_key  # stored by __call__ if the response allows
            return None
        status, content_type, content = entry
        response = HttpResponse(content, status=status, content_type=content_type)
        response["X-Page-Cache"] = "hit"
        return response
