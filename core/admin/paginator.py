"""The admin's paginator: a large table's size from PostgreSQL's statistics, not COUNT(*)."""

from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

from core.pagination import DeepPaginator

# Below this many rows (by the statistics) a table is counted: exact, and cheap anyway.
ESTIMATE_FROM = 10_000


def estimated_count(queryset):
    """Return the table's estimated rows when it is large, else its exact count; None when the
    queryset is filtered, or not on PostgreSQL.

    Runs one query. The estimate is pg_class.reltuples, kept by ANALYZE (autovacuum runs it
    as the table changes), so it can be off by the rows written since: fine for "about 100,000
    agreements" and the page links of an unfiltered change list, never for a filtered one.
    """
    query = queryset.query
    connection = connections[queryset.db]
    if (
        connection.vendor != "postgresql"
        or query.where
        or query.distinct
        or query.combinator
        or query.is_sliced
        or query.group_by
    ):
        return None
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    with connection.cursor() as cursor:
        # One query whichever way it goes, so that a page runs as many at any size.
        cursor.execute(
            "SELECT CASE WHEN reltuples >= %s THEN reltuples::bigint "
            f"ELSE (SELECT COUNT(*) FROM {table}) END "
            "FROM pg_class WHERE oid = %s::regclass",
            [ESTIMATE_FROM, table],
        )
        return cursor.fetchone()[0]


class EstimatedCountPaginator(DeepPaginator):
    """A paginator that does not count every row of a large unfiltered table on each view.

    The change list counts its queryset for the result count and the page links; unfiltered,
    that is a scan of the whole table. Filtered lists, small tables and SQLite count exactly.
    Use with `show_full_result_count = False`, which spares the second count of the table.
    Deep pages read their keys from the order's index (core.pagination.DeepPaginator), never
    backwards from an estimated end.
    """

    @cached_property
    def count(self):
        if isinstance(self.object_list, QuerySet):
            estimate = estimated_count(self.object_list)
            if estimate is not None:
                self.estimated = True
                return estimate
        return super().count
