"""The site in five languages (README "Languages"): the switcher and the hreflang alternates of
every page, and the "English only" mark of a record that has no translation in the page's language.

    {% load languages %}
    {% page_languages as languages %}   {# code, name (in that language), path, url, current #}
    {% english_only document "title" %}  {# the mark, when title has no text in the page's language #}
    {% if document|untranslated:"title" %} lang="en"{% endif %}
"""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


def localized_field(field: str, language: str) -> str:
    """modeltranslation's column for `field` in `language` (sr-latn → title_sr_latn)."""
    return f"{field}_{language.replace('-', '_')}"


def heading_field(record) -> str:
    """The field that names a record: its title, or its name."""
    return "title" if hasattr(record, localized_field("title", settings.LANGUAGE_CODE)) else "name"


def is_untranslated(record, field: str = "", language: str | None = None) -> bool:
    """True when `record` has English text in `field` (default: its title or name) but none in the
    language (default: the active one). English itself is never untranslated; a model without
    translated columns never is."""
    field = field or heading_field(record)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE or record is None:
        return False
    own = getattr(record, localized_field(field, language), None)
    if own is None and not hasattr(record, localized_field(field, language)):
        return False
    return not own and bool(getattr(record, localized_field(field, settings.LANGUAGE_CODE), None))


@register.filter
def untranslated(record, field: str = "") -> bool:
    return is_untranslated(record, field)


@register.simple_tag
def english_only(record, field: str = ""):
    """The mark shown beside a text that is in English because it has no translation."""
    if not is_untranslated(record, field):
        return ""
    return format_html('<span class="english-only badge">{}</span>', _("English only"))


@register.simple_tag(takes_context=True)
def page_languages(context) -> list[dict]:
    """This page in every language: the same view and query, under each language's prefix. Pages
    outside the prefixes (feeds, the API) keep their one address."""
    request = context.get("request")
    current = translation.get_language()
    path = request.get_full_path() if request is not None else "/"
    languages = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": capfirst(info["name_local"]),
                "path": (translated := translate_url(path, code)),
                "url": request.build_absolute_uri(translated) if request is not None else translated,
                "current": code == current,
            }
        )
    return languages
