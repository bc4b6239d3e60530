"""What makes the site findable: the sitemap (django.contrib.sitemaps, every public detail page with
its lastmod and, where the site has language prefixes, hreflang alternates for every language in
settings.LANGUAGES and an x-default) and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse
from django.urls.resolvers import get_resolver
from django.utils.functional import classproperty

from cooperation.tracker.models import Commitment, Document, Indicator, Organization, Visit

from . import public


def language_prefixes_used() -> bool:
    from django.conf.urls.i18n import is_language_prefix_patterns_used

    return is_language_prefix_patterns_used(get_resolver().urlconf_name)[0]


class DetailSitemap(Sitemap):
    """The published records of `model` that have a page."""

    model: type
    # Each URL once per language: keep a sitemap page under the protocol's 50,000 URLs.
    limit = 50_000 // max(1, len(settings.LANGUAGES))

    @classproperty
    def i18n(cls) -> bool:  # noqa: N805 (a class property)
        # Until the pages have a language prefix, every language's URL is the same page.
        return language_prefixes_used()

    alternates = i18n
    x_default = i18n

    def items(self):
        return public.base(self.model).only("slug", "updated_at").order_by("pk")

    def lastmod(self, record):
        return record.updated_at


def sitemap_of(model) -> type[DetailSitemap]:
    return type(f"{model.__name__}Sitemap", (DetailSitemap,), {"model": model})


class IndicatorSitemap(DetailSitemap):
    """Indicators with a published figure (their pages chart them)."""

    model = Indicator

    def items(self):
        return (
            Indicator.objects.filter(figures__in=public.base(self.model.figures.field.model)).distinct().order_by("pk")
        )

    def lastmod(self, indicator):
        return None


SITEMAPS = {
    "documents": sitemap_of(Document),
    "visits": sitemap_of(Visit),
    "commitments": sitemap_of(Commitment),
    "organizations": sitemap_of(Organization),
    "indicators": IndicatorSitemap,
}


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
