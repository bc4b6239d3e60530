"""Text search from an index on both databases (README "Search").

PostgreSQL: full-text search on each searched table's `search_vector` column, kept current by a
trigger (migration 0002). SQLite: an FTS5 index `<table>_search` kept by triggers (migration 0009);
`sqlite_match` turns what a visitor typed into a query only of words, so FTS5's own syntax can be
neither typed nor broken.
"""

import re

from django.contrib.postgres.search import SearchQuery
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL

# A search term for SQLite's full-text index: an optionally excluded "quoted phrase" or word.
SEARCH_TERM = re.compile(r'(?P<sign>-?)(?:"(?P<phrase>[^"]*)"|(?P<word>\w+))')
WORD = re.compile(r"\w+")


def sqlite_match(query: str) -> str | None:
    """An FTS5 query for what a visitor typed: every word must appear (as a word or the start of
    one, stemmed), "quoted phrases" as phrases, -word must not appear. None: nothing to look for.
    Only words reach FTS5, so its own syntax cannot be typed (or broken) by a visitor."""
    included, excluded = [], []
    for term in SEARCH_TERM.finditer(query):
        phrase = term["phrase"]
        words = [term["word"]] if phrase is None else WORD.findall(phrase)
        if words:
            text = '"' + " ".join(words) + '"' + ("*" if phrase is None else "")
            (excluded if term["sign"] else included).append(text)
    if not included:
        return None
    return " AND ".join(included) + "".join(f" NOT {term}" for term in excluded)


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
            return self.filter(search_vector=SearchQuery(query, config="english", search_type="websearch"))
        if indexed and vendor == "sqlite":
            match = sqlite_match(query)
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
