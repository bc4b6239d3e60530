"""The changelist of every tracker admin, cheap on tables of 100,000 rows: no SELECT DISTINCT over
every column for a filter across a to-many relation, and a date hierarchy whose years are found by
index seeks (README "Admin at scale"; the count is paginators.py's)."""

import datetime

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import ChangeList
from django.db import connections, models, router
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import cached_property

# Years looked up by one seek each in a single query; SQLite allows at most 2,000 columns.
MAX_YEARS_SOUGHT = 200


def years_with_rows(model, field_name: str) -> list[int]:
    """The years in which `model` has a `field_name` date, in order, in two queries (the first and
    last dates; then each year's first date), each subquery an index seek.

    Django's SELECT DISTINCT over every row took 73 ms over 200,000 status updates on PostgreSQL
    and 300 ms on SQLite on every load of the changelist. For the unfiltered table only: under a
    rare filter or search each seek may walk far to its first match. Plain SQL because the ORM
    cannot select several scalar subqueries without a FROM (valid on PostgreSQL and SQLite alike).
    """
    field = model._meta.get_field(field_name)
    connection = connections[router.db_for_read(model)]
    table, column = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(field.column)

    def select(subqueries: list[str], params=()) -> list:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(subqueries), params)
            return [field.to_python(value) for value in cursor.fetchone()]

    # Names quoted by the backend, from the model's own metadata; values are parameters.
    first, last = select([f"(SELECT MIN({column}) FROM {table})", f"(SELECT MAX({column}) FROM {table})"])  # noqa: S608
    if first is None:
        return []
    years = range(first.year, last.year + 1)
    if len(years) > MAX_YEARS_SOUGHT:
        # Dates centuries apart (a typo's year 1): one seek per year would not fit in one query.
        return [day.year for day in model._default_manager.dates(field_name, "year")]
    in_year = f"(SELECT MIN({column}) FROM {table} WHERE {column} >= %s AND {column} <= %s)"  # noqa: S608
    bounds = [
        connection.ops.adapt_datefield_value(day)
        for year in years
        for day in (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    ]
    return [day.year for day in select([in_year] * len(years), bounds) if day is not None]


class TrackerChangeList(ChangeList):
    """The changelist of every tracker admin; change_list.html renders its date hierarchy."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if not queryset.query.distinct or queryset.query.distinct_fields:
            return queryset
        # A filter or search across a to-many relation (sectors, ...) makes Django add SELECT
        # DISTINCT over every column, long texts included, to the count and the page. The same
        # rows as "pk IN (the matching ids)" let the page walk its ordering index and stop early.
        matching = queryset._chain()
        matching.query.distinct = False
        rows = self.root_queryset.filter(pk__in=matching.order_by().values("pk"))
        rows = self.apply_select_related(rows) if not rows.query.select_related else rows
        return rows.order_by(*self.get_ordering(request, rows))

    @cached_property
    def date_hierarchy_context(self) -> dict:
        """What Django's {% date_hierarchy %} tag shows, with its top level (years) found cheaply:
        by index seeks on the unfiltered list (the one loaded most, two queries); under a filter or search by
        one DISTINCT over the matching rows, where Django first also takes their MIN and MAX."""
        field_name = self.date_hierarchy
        field = get_fields_from_path(self.model, field_name)[-1]
        drilled_down = any(f"{field_name}__{part}" in self.params for part in ("year", "month", "day"))
        if not drilled_down and not isinstance(field, models.DateTimeField):
            if self.queryset.query.where or LOOKUP_SEP in field_name:
                years = [day.year for day in self.queryset.dates(field_name, "year")]
            else:
                years = years_with_rows(self.model, field_name)
            if len(years) != 1:  # a single year opens on its months: Django's own branch below
                return {
                    "show": True,
                    "back": None,
                    "choices": [
                        {
                            "link": self.get_query_string({f"{field_name}__year": str(year)}, [f"{field_name}__"]),
                            "title": str(year),
                        }
                        for year in years
                    ],
                }
        # Within a chosen year or month the DISTINCT runs over that period's index range only.
        return date_hierarchy(self)
