"""Admin pagination that does not count the whole table on every page load."""

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import AutoField, BigAutoField, Max, Min, QuerySet, SmallAutoField
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

# Below this many rows an exact COUNT(*) is cheap enough and an estimate would only confuse.
ESTIMATE_ABOVE = 10_000


def estimated_row_count(queryset: QuerySet) -> tuple[int, str] | None:
    """A cheap row count of the queryset's whole table and how to qualify it ("about",
    "at most"), or None when there is none better than COUNT(*).

    PostgreSQL: the planner's estimate (pg_class.reltuples, kept current by autovacuum).
    SQLite keeps no such live figure (sqlite_stat1 changes only on ANALYZE, so it can be
    arbitrarily stale). There, the span of the integer primary key, MAX(id) - MIN(id) + 1,
    found by two index seeks, is an upper bound: exact until rows are deleted, which tracker
    records seldom are.
    """
    connection = connections[queryset.db]
    model = queryset.model
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
            (estimate,) = cursor.fetchone()
        return (estimate, _("about")) if estimate >= 0 else None  # -1: never analysed
    if connection.vendor == "sqlite" and isinstance(model._meta.pk, AutoField | BigAutoField | SmallAutoField):
        table = model._base_manager.using(queryset.db).order_by()
        # Only for a table that really holds more rows than an exact count is worth (one short
        # index walk), so mass deletions cannot make a handful of rows read "at most 20,000".
        if not table[ESTIMATE_ABOVE : ESTIMATE_ABOVE + 1].exists():
            return None
        # Two queries: SQLite answers a lone MIN or MAX from the index, but not both together.
        low = table.aggregate(low=Min("pk"))["low"]
        high = table.aggregate(high=Max("pk"))["high"]
        return high - low + 1, _("at most")
    return None


class EstimatedCountPaginator(Paginator):
    """An unfiltered changelist of a large table takes its row count from `estimated_row_count`
    instead of COUNT(*) over the whole table; any filter or search counts exactly.

    `count_qualifier` ("about", "at most"; None when exact) tells the templates how to state the
    count. As an estimate may be a little low or high, pages are not clipped to it: a page past
    the estimated last one is served if it has rows, and the last page shows every row there is.
    """

    count_qualifier = None

    @cached_property
    def count(self):
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = estimated_row_count(queryset)
            if estimate is not None and estimate[0] > ESTIMATE_ABOVE:
                count, self.count_qualifier = estimate
                return count
        return super().count

    def _estimated(self) -> bool:
        return self.count is not None and self.count_qualifier is not None  # counting decides

    def validate_number(self, number):
        if not self._estimated():
            return super().validate_number(number)
        # Any page from 1 up: whether it has rows is found out by fetching it (page()).
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self._estimated():
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list[bottom : bottom + self.per_page]
        if number > 1 and not rows:  # evaluates the page once; it stays a queryset
            raise EmptyPage(self.error_messages["no_results"])
        return Page(rows, number, self)
