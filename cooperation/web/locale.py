"""The language of a page is its URL's (README "Languages"): English at /, the others under their
prefix (cooperation/urls.py, i18n_patterns). Django's LocaleMiddleware already picks it so, but
also says `Vary: Accept-Language` on every unprefixed page, as if the English pages changed with
the browser's languages; they do not, and that header would make a proxy or CDN keep a copy of
each English page per Accept-Language value. This middleware says it only where the header does
choose the language: the open data outside the prefixes (cooperation/api/http.py)."""

from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, get_resolver
from django.urls.resolvers import LocalePrefixPattern, URLResolver
from django.utils import translation


def language_prefixed_patterns() -> URLResolver | None:
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            return pattern
    return None


def is_page(path: str) -> bool:
    """True when `path` is one of the per-language pages (inside i18n_patterns), in the active
    language."""
    resolver = language_prefixed_patterns()
    if resolver is None:
        return False
    try:
        resolver.resolve(path.removeprefix("/"))
    except Resolver404:
        return False
    return True


class URLLanguageMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        if not is_page(request.path_info):
            return super().process_response(request, response)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
