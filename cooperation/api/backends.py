"""How an API list reads its parameters: the page's own FilterSet (web/filters.py, through
django-filter's DjangoFilterBackend) and the page's own sort orders (web/tables.py's columns)."""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_tables2.utils import OrderBy
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

SORT_PARAMETER = "sort"  # the tables' order_by_field, as on the pages


class NoNulBackend(BaseFilterBackend):
    """PostgreSQL refuses NUL characters in text and no real value holds one: say so (the pages
    drop them with a message)."""

    def filter_queryset(self, request, queryset, view):
        for key, values in request.query_params.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise ValidationError({key.replace("\x00", ""): [_("NUL characters are not allowed.")]})
        return queryset


class PageFilterBackend(DjangoFilterBackend):
    """The list page's FilterSet; an invalid value is a 400 with the form's message per parameter."""


def sortable_columns(table_class) -> dict[str, tuple[str, ...]]:
    """{column name: its order_by} for the table's sortable columns, as the page sorts them."""
    columns = {}
    for name, column in table_class.base_columns.items():
        if column.orderable is False:
            continue
        columns[name] = tuple(column.order_by or (name,))
    return columns


def ordering_for(table_class, requested: list[str]) -> list[str]:
    """The queryset order of `sort` values such as ["-signed_on"], as django-tables2 orders the page
    (a descending column reverses each of its terms); an unknown column is a ValidationError."""
    columns = sortable_columns(table_class)
    unknown = [value for value in requested if value.removeprefix("-") not in columns]
    if unknown:
        raise ValidationError(
            {
                SORT_PARAMETER: [
                    _("Unknown column %(columns)s; sortable columns: %(known)s (prefix - for descending).")
                    % {"columns": ", ".join(unknown), "known": ", ".join(columns)}
                ]
            }
        )
    ordering = []
    for value in requested:
        terms = columns[value.removeprefix("-")]
        ordering += [OrderBy(term).opposite if value.startswith("-") else term for term in terms]
    return ordering


class TableSortBackend(BaseFilterBackend):
    """`sort=<column>` or `sort=-<column>` (repeatable), the columns of the list page's table."""

    def filter_queryset(self, request, queryset, view):
        table_class = getattr(view, "table_class", None)
        requested = [value for value in request.query_params.getlist(SORT_PARAMETER) if value]
        if table_class is None or not requested:
            return queryset
        return queryset.order_by(*ordering_for(table_class, requested))

    def get_schema_operation_parameters(self, view):
        table_class = getattr(view, "table_class", None)
        if table_class is None:
            return []
        names = list(sortable_columns(table_class))
        return [
            {
                "name": SORT_PARAMETER,
                "required": False,
                "in": "query",
                "description": "Sort by a column of the list page's table; prefix - for descending. "
                "Ties are broken by the record's key, so every record is on exactly one page.",
                "schema": {"type": "string", "enum": [*names, *(f"-{name}" for name in names)]},
            }
        ]
