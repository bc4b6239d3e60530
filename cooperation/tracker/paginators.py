"""Admin pagination that does not count the whole table on every page load."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact COUNT(*) is cheap enough and an estimate would only confuse.
ESTIMATE_ABOVE = 10_000


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered changelist takes its row count from the planner's
    statistics (pg_class.reltuples, kept current by autovacuum) instead of COUNT(*) over
    the whole table; any filter or search, and every SQLite database, counts exactly."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                        [queryset.model._meta.db_table],
                    )
                    (estimate,) = cursor.fetchone()
                if estimate > ESTIMATE_ABOVE:
                    return estimate
        return super().count
