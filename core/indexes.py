"""Indexes that serve the lists' orders on every database."""

import copy

from django.db import connections, models
from django.db.models import Max, Min, OrderBy


def _order_sqlite_takes(expression):
    """Return the order without NULLS FIRST/LAST, which SQLite refuses in an index.

    SQLite puts NULLs first going up and last going down, so only those orders can drop it.
    """
    if not isinstance(expression, OrderBy) or not (
        expression.nulls_first or expression.nulls_last
    ):
        return expression
    if expression.nulls_last != expression.descending:
        raise ValueError(f"SQLite cannot index {expression!r}: it sorts NULLs the other way.")
    return OrderBy(expression.expression, descending=expression.descending)


class OrderIndex(models.Index):
    """An index on an ORDER BY with NULLS FIRST or LAST, such as the lists' "newest first,
    unknown dates last" (`F("signed_on").desc(nulls_last=True)`).

    PostgreSQL uses an index for such an order only when the index says NULLS LAST too; SQLite
    sorts NULLs that way by itself and refuses the words in CREATE INDEX.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "sqlite":
            index = copy.copy(self)
            index.expressions = tuple(_order_sqlite_takes(e) for e in self.expressions)
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)


class YearsFromIndexQuerySet(models.QuerySet):
    """A queryset whose years (`dates(field, "year")`) come from index probes, not a scan.

    The admin's date hierarchy asks for the distinct years of its list: a DISTINCT over every
    row. With an index on the date, asking each year between the first and the last whether
    it has a row costs one probe a year, all in one statement: the queryset's own SQL once,
    probed by each year of a generate_series (so that its compiling does not grow with the
    years). PostgreSQL only; elsewhere, and for months and days, Django's own query. Runs two
    queries. For date fields (a datetime's year would depend on the time zone).
    """

    def dates(self, field_name, kind, order="ASC"):
        connection = connections[self.db]
        if kind != "year" or connection.vendor != "postgresql":
            return super().dates(field_name, kind, order)
        span = self.order_by().aggregate(first=Min(field_name), last=Max(field_name))
        if span["first"] is None:
            return []
        rows = self.order_by().values_list(field_name)
        sql, params = rows.query.get_compiler(using=self.db).as_sql()
        direction = "DESC" if order == "DESC" else "ASC"
        probes = (
            "SELECT make_date(year, 1, 1) FROM generate_series(%s, %s) AS year "
            f"WHERE EXISTS (SELECT 1 FROM ({sql}) AS probed (day) "
            "WHERE probed.day >= make_date(year, 1, 1) "
            "AND probed.day < make_date(year + 1, 1, 1)) "
            f"ORDER BY 1 {direction}"
        )
        with connection.cursor() as cursor:
            cursor.execute(probes, [span["first"].year, span["last"].year, *params])
            return [day for (day,) in cursor.fetchall()]
