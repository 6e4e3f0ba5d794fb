"""Indexes that serve the lists' orders on every database."""

import copy
import datetime

from django.db import connections, models
from django.db.models import Max, Min, OrderBy, Value


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
    it has a row costs one probe a year. PostgreSQL only (it needs LIMIT inside UNION ALL);
    elsewhere, and for months and days, Django's own query. Runs two queries.
    """

    def dates(self, field_name, kind, order="ASC"):
        if (
            kind != "year"
            or not connections[self.db].features.supports_slicing_ordering_in_compound
        ):
            return super().dates(field_name, kind, order)
        span = self.order_by().aggregate(first=Min(field_name), last=Max(field_name))
        if span["first"] is None:
            return []
        probes = [
            self.order_by()
            .filter(**{f"{field_name}__year": year})  # a range of the index, not a function
            .annotate(year_start=Value(datetime.date(year, 1, 1), output_field=models.DateField()))
            .values_list("year_start", flat=True)[:1]
            for year in range(span["first"].year, span["last"].year + 1)
        ]
        found = sorted(probes[0].union(*probes[1:], all=True))
        return found[::-1] if order == "DESC" else found
