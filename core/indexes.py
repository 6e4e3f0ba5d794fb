"""Indexes that serve the lists' orders on every database."""

import copy
import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import Max, Min, OrderBy
from django.utils import timezone


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
    """A queryset whose years (`dates()` and `datetimes()` by year) come from index probes,
    not a scan.

    The admin's date hierarchy asks for the distinct years of its list: a DISTINCT over every
    row. With an index on the date, asking each year between the first and the last whether
    it has a row costs one probe a year, all in one statement: the queryset's own SQL once,
    probed by each year of a generate_series (so that its compiling does not grow with the
    years). A datetime's years are those of the current time zone, as Django's. PostgreSQL
    only; elsewhere, and for months and days, Django's own query. Runs two queries.
    """

    def dates(self, field_name, kind, order="ASC"):
        if kind != "year" or connections[self.db].vendor != "postgresql":
            return super().dates(field_name, kind, order)
        start, end = "make_date(year, 1, 1)", "make_date(year + 1, 1, 1)"
        years = self._years(field_name, start, end, [], order)
        return [datetime.date(year, 1, 1) for year in years]

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        """The years of a datetime field, as Django gives them: the first moment of each
        year in the current time zone (or `tzinfo`), where the list has a row."""
        if kind != "year" or connections[self.db].vendor != "postgresql" or not settings.USE_TZ:
            return super().datetimes(field_name, kind, order, tzinfo)
        zone = tzinfo or timezone.get_current_timezone()
        start = "make_timestamptz(year, 1, 1, 0, 0, 0, %s)"
        end = "make_timestamptz(year + 1, 1, 1, 0, 0, 0, %s)"
        years = self._years(field_name, start, end, [str(zone)] * 2, order, zone)
        return [datetime.datetime(year, 1, 1, tzinfo=zone) for year in years]

    def _years(self, field_name, start, end, bounds, order, zone=None):
        """Return the years, from the first to the last row's (in `zone` for a datetime), in
        which the list has a row with `start` <= the field < `end` (SQL of `year`, taking
        `bounds` as parameters). Runs two queries, or one for an empty list."""
        span = self.order_by().aggregate(first=Min(field_name), last=Max(field_name))
        if span["first"] is None:
            return []
        first, last = (span[which] for which in ("first", "last"))
        if zone is not None:
            first, last = timezone.localtime(first, zone), timezone.localtime(last, zone)
        rows = self.order_by().values_list(field_name)
        sql, params = rows.query.get_compiler(using=self.db).as_sql()
        direction = "DESC" if order == "DESC" else "ASC"
        probes = (
            "SELECT year FROM generate_series(%s, %s) AS year "
            f"WHERE EXISTS (SELECT 1 FROM ({sql}) AS probed (moment) "
            f"WHERE probed.moment >= {start} AND probed.moment < {end}) "
            f"ORDER BY 1 {direction}"
        )
        with connections[self.db].cursor() as cursor:
            cursor.execute(probes, [first.year, last.year, *params, *bounds])
            return [year for (year,) in cursor.fetchall()]
