"""The seed records in every language (README "Seed data"): the editors' translations of the
English original, in fixtures/translations/<language>.json —

    {"_meta": {"translation_of": "en", ...},
     "tracker.document": {"<slug>": {"title": "…", "summary": "…"}, …}, …}

keyed by slug (a country by its code, a source, status update or treaty step by its primary
key), with the field names of translation.py. Serbian Latin (sr_latn.json) may be left out: it is
generated from the Cyrillic (translated.py). Loading never overwrites a text that is already
there (an editor's), so it can run on every start. Each record changed is written by one UPDATE
(as a fixture is loaded: no history entry, no per-record signals), with its folded names
(`search_name`) and Serbian Latin made here; the database's triggers keep the search index, and
`changed_in_bulk` raises the content version once."""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import NamedMixin, changed_in_bulk
from .translated import to_serbian_latin
from .translation import TRANSLATED_FIELDS

TRANSLATIONS_DIR = settings.BASE_DIR / "fixtures" / "translations"
LANGUAGE_OF_FILE = {code.replace("-", "_"): code for code, _name in settings.LANGUAGES}


class TranslationFileError(ValueError):
    pass


def record_key(model) -> str:
    if model._meta.model_name == "country":
        return "code"
    if any(field.name == "slug" for field in model._meta.fields):
        return "slug"
    return "pk"


def read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TranslationFileError(f"{path.name}: not a readable JSON file ({error}).") from error
    if not isinstance(data, dict):
        raise TranslationFileError(f"{path.name}: expected an object of models.")
    return data


def load(directory: Path = TRANSLATIONS_DIR, *, overwrite: bool = False) -> tuple[int, list[str]]:
    """Fill the translated columns from every file in `directory`. Returns the number of records
    changed and the warnings (unknown models, records, fields)."""
    warnings: list[str] = []
    changes: dict[tuple, dict] = {}
    translated = {model._meta.label_lower: (model, fields) for model, fields in TRANSLATED_FIELDS.items()}
    for path in sorted(Path(directory).glob("*.json")):
        language = LANGUAGE_OF_FILE.get(path.stem)
        if language is None or language == settings.LANGUAGE_CODE:
            warnings.append(f"{path.name}: not a language of the site, skipped.")
            continue
        suffix = language.replace("-", "_")
        for label, records in read(path).items():
            if label.startswith("_"):
                continue
            if label not in translated:
                warnings.append(f"{path.name}: {label} is not translated, skipped.")
                continue
            model, fields = translated[label]
            for key, values in (records or {}).items():
                for field, text in (values or {}).items():
                    if field not in fields:
                        warnings.append(f"{path.name}: {label} {key}: {field} is not translated, skipped.")
                        continue
                    if text:
                        changes.setdefault((model, str(key)), {})[f"{field}_{suffix}"] = str(text)
    changed = 0
    with transaction.atomic():
        for (model, key), values in changes.items():
            lookup = record_key(model)
            record = model._base_manager.filter(**{lookup: key}).first()
            if record is None:
                warnings.append(f"{model._meta.label_lower} {key}: no such record, skipped.")
                continue
            fresh = {column: text for column, text in values.items() if overwrite or not getattr(record, column, None)}
            for column, text in list(fresh.items()):
                latin = column.removesuffix("_sr") + "_sr_latn"
                if column.endswith("_sr") and latin not in values and not getattr(record, latin, None):
                    fresh[latin] = to_serbian_latin(text)
            if not fresh:
                continue
            for column, text in fresh.items():
                setattr(record, column, text)
            if isinstance(record, NamedMixin):
                record.set_search_name()
                fresh["search_name"] = record.search_name
            model._base_manager.filter(pk=record.pk).update(**fresh)
            changed += 1
        if changed:
            changed_in_bulk.send(sender=None, using=transaction.get_connection().alias)
    return changed, warnings
