"""The admin in every language of the content (README "Languages"): a translated field
(tracker/translation.py) is edited as one row with a tab per language (django-modeltranslation's
fields, tabbed by static/tracker/language_tabs.js: modeltranslation's own tabs need jQuery UI from
a CDN, which the Content-Security-Policy rightly refuses). English is required; a language left
empty shows the English marked "English only" on the public pages; Serbian Latin left empty is
generated from the Cyrillic (tracker/translated.py). The admin's search looks in every language."""

from django.conf import settings
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationBaseModelAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

MEDIA_JS = ("tracker/language_tabs.js",)


class KeepReadonlyFields:
    """modeltranslation's get_readonly_fields and get_fieldsets read the class attributes and stop
    there; the tracker's admins add to them in theirs (the record's bookkeeping and the publication
    field read-only for those who may not publish, the hidden version field), which must apply."""

    def get_readonly_fields(self, request, obj=None):
        return self.replace_orig_field(super(TranslationBaseModelAdmin, self).get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        """Likewise the fieldsets: the tracker's own (which carry the hidden version field, locking.py),
        each translated field replaced by its columns per language."""
        fieldsets = super(TranslationBaseModelAdmin, self).get_fieldsets(request, obj)
        return [
            (name, {**options, "fields": self.replace_orig_field(options["fields"])}) for name, options in fieldsets
        ]


class SearchEveryLanguage:
    def get_search_fields(self, request):
        fields = []
        translated = set(translator.get_options_for_model(self.model).fields)
        for name in super().get_search_fields(request):
            plain = name.lstrip("^=@")
            prefix = name[: len(name) - len(plain)]
            fields.append(name)
            if plain in translated:
                fields += [
                    prefix + build_localized_fieldname(plain, code)
                    for code, _label in settings.LANGUAGES
                    if code != settings.LANGUAGE_CODE
                ]
        return fields


class LanguageTabsAdmin(KeepReadonlyFields, SearchEveryLanguage, TranslationAdmin):
    class Media:
        js = MEDIA_JS


class LanguageTabsStackedInline(KeepReadonlyFields, TranslationStackedInline):
    class Media:
        js = MEDIA_JS


class LanguageTabsTabularInline(KeepReadonlyFields, TranslationTabularInline):
    pass
