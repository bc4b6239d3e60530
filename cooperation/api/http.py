"""HTTP for the open data: conditional requests from the content version, and the language.

`ETag` and `Last-Modified` come from the content version (caching/content_version.py), which
rises after every committed change: a client that sends `If-None-Match` or `If-Modified-Since`
gets `304 Not Modified` for one primary-key query, without the view running. The tag also holds
the language (translated fields) and the day (what is overdue changes at midnight).
"""

import datetime

from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import condition

from cooperation.caching import content_version


def etag(request, *args, **kwargs) -> str:
    version = content_version.for_request(request)
    return f'"{version}-{translation.get_language()}-{timezone.localdate():%Y%m%d}"'


def last_modified(request, *args, **kwargs) -> datetime.datetime:
    """When the data last changed (the version is a time in microseconds, content_version.bump),
    or midnight if later: the day is part of the representation."""
    changed = datetime.datetime.fromtimestamp(content_version.for_request(request) / 1_000_000, tz=datetime.UTC)
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time(), tzinfo=datetime.UTC)
    return max(changed, midnight).replace(microsecond=0)


conditional = condition(etag_func=etag, last_modified_func=last_modified)


def activate_language(request) -> None:
    """The language prefix of the path if there is one, else the client's Accept-Language (an
    unprefixed page is English, but an API client says what it reads in its header)."""
    if translation.get_language_from_path(request.path_info):
        return
    language = translation.get_language_from_request(request, check_path=False)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()


def vary_on_language(response):
    patch_vary_headers(response, ("Accept-Language",))
    return response
