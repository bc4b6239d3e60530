"""The content in every language (README "Languages"), with django-modeltranslation: each field
named here gets a column per language (`title_en`, `title_kk`, `title_ru`, `title_sr`,
`title_sr_latn`); reading `title` gives the active language's text, or the English one when it has
none (shown marked "English only", web/templatetags/languages.py); lookups and sorting follow the
active language, so the filters, tables and search keep working.

English is the original: required, and kept also in the field's own column (`title`), which the
full-text triggers, the raw reports and the sort indexes read (translated.py). Serbian Latin is
generated from Serbian Cyrillic unless an editor enters it (translated.py). Not translated: quoted
passages (`Source.quote`, `Figure.passage`) and the titles of sources, which stay as published."""

import warnings

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Commitment,
    Country,
    Document,
    DocumentStep,
    Figure,
    Indicator,
    Organization,
    Person,
    Sector,
    Source,
    StatusUpdate,
    Visit,
)

# What editors translate, model by model (the seed translations in fixtures/translations/ name
# the same fields).
TRANSLATED_FIELDS = {
    Country: ("name",),
    Sector: ("name", "description"),
    Source: ("notes",),
    Organization: ("name", "short_name", "description"),
    Person: ("name", "position"),
    Visit: ("title", "place", "summary"),
    Document: ("title", "short_title", "place_signed", "summary"),
    Commitment: ("title", "description"),
    StatusUpdate: ("note", "reasoning"),
    Indicator: ("name", "description"),
    Figure: ("subject", "note"),
    DocumentStep: ("note",),
}


def options_for(model, field_names):
    attributes = {
        "fields": field_names,
        "required_languages": ("en",),
        # A missing translation is NULL, not "": many records may lack one where names are unique
        # (sectors, countries, indicators; organizations per country, in each language).
        "empty_values": None,
    }
    return type(f"{model.__name__}TranslationOptions", (TranslationOptions,), attributes)


with warnings.catch_warnings():
    # modeltranslation copies each index on a translated field once per language, and renames the
    # copies whose names grow past 30 characters; it says so for each, which is no news.
    warnings.filterwarnings("ignore", message="Index name .* exceeds 30 characters", category=UserWarning)
    for _model, _fields in TRANSLATED_FIELDS.items():
        register(_model)(options_for(_model, _fields))
        # The staff's history (simple-history) keeps every language's text of each version.
        _history = getattr(_model, "history", None)
        if _history is not None:
            register(_history.model)(options_for(_history.model, _fields))
