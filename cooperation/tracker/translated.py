"""What keeps the translated columns (translation.py) in order on every save, the admin's, an
import's or a fixture's:

- English is the original: `title_en` is required, and the field's own column (`title`) always
  holds the English text too (every save runs under English: `saved_in_english`), because the
  full-text triggers (migrations 0002, 0009), the raw-SQL
  reports and the original sort indexes read that column. A record written by code that knows
  nothing of languages (`title="…"` in a fixture or an old script) gets its English from it.
- Serbian Latin is Serbian Cyrillic transliterated (cyrtranslit), unless an editor entered a Latin
  text of their own: it is generated when empty, and regenerated when the Cyrillic changes while
  the Latin still is the transliteration of the old Cyrillic (so an editor's own Latin stays).
"""

import functools

import cyrtranslit
from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.db.models.signals import pre_save
from django.utils import translation
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
CYRILLIC, LATIN = "sr", "sr-latn"


def to_serbian_latin(text: str | None) -> str | None:
    return cyrtranslit.to_latin(text, "sr") if text else text


def column(field: str, language: str) -> str:
    return build_localized_fieldname(field, language)


def in_active_language(field: str) -> Coalesce:
    """`field` in the active language, falling back as modeltranslation does, as one SQL expression.
    modeltranslation's own `values(field)` reads every language's column and picks in Python, which a
    subquery cannot do."""
    text = TextField()
    each = [
        NullIf(F(column(field, language)), Value(""), output_field=text)
        for language in resolution_order(get_language())
    ]
    return Coalesce(*each, Value(""), output_field=text)


def translated_fields(model) -> tuple[str, ...]:
    return tuple(translator.get_options_for_model(model).fields)


def previous_serbian(sender, instance, fields) -> dict:
    """The stored Serbian Cyrillic of each field (one query, only for a record that exists)."""
    if instance.pk is None:
        return {}
    names = [column(field, CYRILLIC) for field in fields]
    row = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    return row or {}


def keep_languages_in_order(sender, instance, raw=False, **kwargs):
    fields = translated_fields(sender)
    for field in fields:
        english_column = column(field, DEFAULT)
        english = getattr(instance, english_column)
        original = instance.__dict__.get(field)
        if (not english and original) or (english is None and original is not None):
            english = original  # "" too: the English of a blank text is blank, not missing
            setattr(instance, english_column, english)
        instance.__dict__[field] = english if english is not None else original
    previous = {} if raw else previous_serbian(sender, instance, fields)
    for field in fields:
        cyrillic = getattr(instance, column(field, CYRILLIC))
        latin_column = column(field, LATIN)
        latin = getattr(instance, latin_column)
        if not cyrillic:
            continue
        old_cyrillic = previous.get(column(field, CYRILLIC))
        if not latin or latin == to_serbian_latin(old_cyrillic):
            setattr(instance, latin_column, to_serbian_latin(cyrillic))


def saved_in_english(save_base):
    """Django writes each field's value as read through its attribute, and modeltranslation's
    attribute for `title` reads the active language: a record saved from a Russian admin page
    would put the Russian text in the original column. Saving under English puts the English
    there (and in the history's), whatever the language of the request."""

    @functools.wraps(save_base)
    def save_base_in_english(self, *args, **kwargs):
        with translation.override(DEFAULT):
            return save_base(self, *args, **kwargs)

    save_base_in_english.in_english = True
    return save_base_in_english


def connect():
    for model in translator.get_registered_models(abstract=False):
        pre_save.connect(keep_languages_in_order, sender=model, dispatch_uid=f"languages-{model._meta.label}")
        if not getattr(model.save_base, "in_english", False):
            model.save_base = saved_in_english(model.save_base)
