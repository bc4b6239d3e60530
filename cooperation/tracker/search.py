"""Text search from an index on both databases (README "Search"), and the folding of names for
the public lists' text filters.

PostgreSQL: full-text search on each searched table's `search_vector` column, kept current by a
trigger (migration 0002). SQLite: an FTS5 index `<table>_search` kept by triggers (migration 0009);
`sqlite_match` turns what a visitor typed into a query only of words, so FTS5's own syntax can be
neither typed nor broken. What was typed is read once, by `prepare_query`, for both.

`fold`: a name without case or diacritics ("VUČIĆ", "Vučić" and "Vucic" are all "vucic"), in
Python, so that both databases compare the same text (SQLite's LIKE folds only ASCII
letters, neither database drops diacritics). Records keep their folded names, in every language
and Serbian Cyrillic also in Latin ("Вучић" → "vucic"), in `search_name` (`folded_names`).

Every language (README "Languages", "Search"): the index holds each translated column. PostgreSQL
reads each language with its own configuration (English and Russian stemming; Kazakh and Serbian
in both scripts with an unaccented simple dictionary, migration 0014) and `q` matches the page's
language and English. SQLite's FTS5 index holds every language's columns without diacritics (its
tokenizer folds the case of Cyrillic too). Serbian ignores the script: a word in Cyrillic is also
looked for in its Latin transliteration (the Latin columns are generated from the Cyrillic, and
`Vucic` finds `Vučić` without its diacritics).
"""

import re
import unicodedata

import cyrtranslit
from django.contrib.postgres.search import SearchQuery
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import translation

# PostgreSQL's configuration for each language's columns (migration 0014 makes the unaccented one).
UNACCENTED = "tracker_unaccented"
CONFIGS = {"en": "english", "ru": "russian", "kk": UNACCENTED, "sr": UNACCENTED, "sr-latn": UNACCENTED}
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
SERBIAN_CYRILLIC = set("АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш")


def serbian_latin(text: str) -> str:
    """Text in Serbian Cyrillic in Latin ("Вучић" → "Vučić"); any other text as it is (a Russian
    or Kazakh word, with letters Serbian has not, is no Serbian word in another script)."""
    cyrillic = set(CYRILLIC_LETTER.findall(text))
    if not cyrillic or not cyrillic <= SERBIAN_CYRILLIC:
        return text
    return cyrtranslit.to_latin(text, "sr")


# A search term for SQLite's full-text index: an optionally excluded "quoted phrase" or word.
SEARCH_TERM = re.compile(r'(?P<sign>-?)(?:"(?P<phrase>[^"]*)"|(?P<word>\w+))')
WORD = re.compile(r"\w+")


# Letters that carry their mark in the letter itself, so decomposing them leaves no base letter.
UNMARKED = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe", "ð": "d", "þ": "th", "ħ": "h"})


def fold(text: str) -> str:
    """`text` without case or diacritics, for comparing names: "GOŠA FOM" → "gosa fom"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).translate(UNMARKED)


def folded_names(text: str) -> list[str]:
    """`text` folded, and, for Serbian Cyrillic, its Latin folded too: both scripts find it."""
    return list(dict.fromkeys([fold(text), fold(serbian_latin(text))]))


# What was typed, piece by piece: a "quoted phrase" (perhaps unclosed) or a run of other characters.
TYPED_PIECE = re.compile(r'"[^"]*"?|[^\s"]+')
# Words joined by hyphens: "military-industrial", "Trans-Caspian", "co--operation".
HYPHENATED = re.compile(r"^\w+(?:-+\w+)+$")


def prepare_query(typed: str) -> str:
    """What was typed, as both databases read it: a word joined to the next by a hyphen is a
    phrase of those words ("military-industrial" → "military industrial"), so a minus excludes
    only at the start of a word (`-council`, at the start of the query or after a space).
    PostgreSQL's web-search syntax reads the result; `sqlite_match` turns it into FTS5's."""
    pieces = []
    for piece in TYPED_PIECE.findall(typed):
        sign, word = ("-", piece[1:]) if piece.startswith("-") else ("", piece)
        if HYPHENATED.match(word):
            piece = sign + '"' + " ".join(part for part in word.split("-") if part) + '"'
        pieces.append(piece)
    return " ".join(pieces)


def sqlite_match(query: str) -> str | None:
    """An FTS5 query for what a visitor typed: every word must appear (as a word or the start of
    one, stemmed), "quoted phrases" as phrases, -word must not appear. None: nothing to look for.
    Only words reach FTS5, so its own syntax cannot be typed (or broken) by a visitor."""
    included, excluded = [], []
    for term in SEARCH_TERM.finditer(query):
        phrase = term["phrase"]
        words = [term["word"]] if phrase is None else WORD.findall(phrase)
        if words:
            star = "*" if phrase is None else ""
            spellings = dict.fromkeys([" ".join(words), serbian_latin(" ".join(words))])
            texts = [f'"{spelling}"{star}' for spelling in spellings]
            text = texts[0] if len(texts) == 1 else "(" + " OR ".join(texts) + ")"
            (excluded if term["sign"] else included).append(text)
    if not included:
        return None
    return " AND ".join(included) + "".join(f" NOT {term}" for term in excluded)


def postgres_query(prepared: str, language: str | None = None) -> SearchQuery:
    """What was typed, in English and in the page's language (and, in Serbian, in both scripts)."""
    language = language or translation.get_language() or "en"
    spellings = {(prepared, "english")}
    config = CONFIGS.get(language, "english")
    spellings.add((prepared, config))
    if config == UNACCENTED:
        spellings.add((serbian_latin(prepared), config))
    queries = [SearchQuery(text, config=name, search_type="websearch") for text, name in sorted(spellings)]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


class SearchableQuerySet(models.QuerySet):
    """Text search from an index on the columns in `search_fields`: PostgreSQL full-text search on
    the `search_vector` column (kept current by a trigger, migration 0002), SQLite's FTS5 index
    `<table>_search` (migration 0009). Substring matching for a model without a search vector."""

    search_fields: tuple[str, ...] = ()

    def search(self, query: str):
        query = (query or "").strip()
        if not query:
            return self
        indexed = any(field.name == "search_vector" for field in self.model._meta.concrete_fields)
        vendor = connections[self.db].vendor
        if indexed and vendor == "postgresql":
            return self.filter(search_vector=postgres_query(prepare_query(query)))
        if indexed and vendor == "sqlite":
            match = sqlite_match(prepare_query(query))
            if match is None:
                return self.none()
            index = f"{self.model._meta.db_table}_search"
            # A table name of our own; what was typed is a parameter.
            matching = f'SELECT rowid FROM "{index}" WHERE "{index}" MATCH %s'  # noqa: S608
            return self.filter(pk__in=RawSQL(matching, [match]))  # noqa: S611
        condition = Q()
        for term in query.split():
            term_condition = Q()
            for field in self.search_fields:
                term_condition |= Q(**{f"{field}__icontains": term})
            condition &= term_condition
        return self.filter(condition)
