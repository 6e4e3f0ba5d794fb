"""The exports' one query: every agreement's CSV line, written by the database, or for the
workbook (export_xlsx.py) the values of its columns.

Three steps in one statement, on PostgreSQL and SQLite alike:

- `chosen`: the ids of the queryset's agreements with their position in its order (the
  queryset keeps its filters, search and ordering; Django compiles it);
- `fields` and `signatories`: the names of each chosen agreement's fields and signatories,
  in the export's language with the site's fallback, aggregated with GROUP BY;
- the rows: the chosen agreements joined to their partnership, regions and aggregates, each
  cell escaped by csv_format's formula rule and quoted by RFC 4180 as Python's csv writer
  quotes (QUOTE_MINIMAL: a cell holding a comma, a double quote, CR or LF), joined with
  commas, in the queryset's order. The workbook's query stops before the cell rules and
  selects each column's value (values_query), so both files hold the same rows and columns.

The labels of choices and the links are constants of the export's language, escaped and
quoted in Python (csv_format) and passed as parameters.
"""

import csv
import io
from functools import partial

from django.db.models import Window
from django.db.models.functions import RowNumber
from modeltranslation.utils import build_localized_fieldname

from core.bulk import plain_queryset
from core.i18n import fallback_order
from core.partial_dates import Precision

from . import csv_format
from .models import Agreement, CooperationField, Participation, Partnership, Person, Region

QUOTED_CHARACTERS = (",", '"', "\r", "\n")  # what makes Python's csv writer quote a cell
# Characters that neutralize() escapes; PostgreSQL cannot store NUL, so it never meets one.
_ESCAPED = [*csv_format.FORMULA_TRIGGERS, csv_format.ESCAPE]


def csv_cell(text):
    """Return the text as Python's csv writer writes it in a row of several cells."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text, ""])
    return buffer.getvalue()[:-1]


def _literal(text):
    # Only constants of this module go in as literals; anything else is a parameter.
    return "'" + text.replace("'", "''") + "'"


ESCAPE_SQL = _literal(csv_format.ESCAPE)


class _Dialect:
    """The few pieces of SQL that PostgreSQL and SQLite spell differently."""

    def __init__(self, connection):
        self.postgresql = connection.vendor == "postgresql"
        self.quote_name = connection.ops.quote_name

    def starts_with_escaped(self, text):
        if self.postgresql:
            # ascii() is the code point of the first character; 0 for an empty text.
            codes = ", ".join(str(ord(c)) for c in _ESCAPED if c != "\0")
            return f"ascii({text}) IN ({codes})"
        # SQLite's text functions stop at a NUL; its bytes do not.
        codes = ", ".join(f"X'{ord(c):02X}'" for c in _ESCAPED)
        return f"substr(CAST({text} AS BLOB), 1, 1) IN ({codes})"

    def contains(self, text, character):
        function = "strpos" if self.postgresql else "instr"
        return f"{function}({text}, {_literal(character)}) > 0"

    def iso_date(self, date):
        # SQLite keeps dates as ISO text already.
        return f"to_char({date}, 'YYYY-MM-DD')" if self.postgresql else date

    def fence(self):
        """Return the clause that keeps a subquery from being merged into its query."""
        return "OFFSET 0" if self.postgresql else "LIMIT -1 OFFSET 0"

    def by_code_point(self, text):
        return f'{text} COLLATE "C"' if self.postgresql else text

    def aggregate(self, text, order):
        """Return `text` of a group's rows "; "-joined in `order`, and the inner ORDER BY.

        SQLite before 3.44 has no ORDER BY within an aggregate: its group_concat() joins
        the rows in the order of the subquery it reads from.
        """
        separator = _literal(csv_format.LIST_SEPARATOR)
        if self.postgresql:
            return f"string_agg({text}, {separator} ORDER BY {order})", ""
        return f"group_concat({text}, {separator})", f"ORDER BY id, {order}"


def _fallback(alias, field, language):
    """SQL of the field's text in the language, else the first language that has it."""
    columns = [
        f"NULLIF({alias}.{build_localized_fieldname(field, code)}, '')"
        for code in fallback_order(language)
    ]
    return f"COALESCE({', '.join(columns)}, '')"


def _cell(dialect, text):
    """SQL of a text cell: escaped as neutralize() does, then quoted as csv_cell() does."""
    escape = f"CASE WHEN {dialect.starts_with_escaped(text)} THEN {ESCAPE_SQL} ELSE '' END"
    needs_quotes = " OR ".join(dialect.contains(text, c) for c in QUOTED_CHARACTERS)
    quoted = f"""'"' || {escape} || replace({text}, '"', '""') || '"'"""
    return f"CASE WHEN {needs_quotes} THEN {quoted} ELSE {escape} || {text} END"


def _label(dialect, column, labels):
    """SQL of a choice's label (a parameter per choice); an unknown code as it is."""
    whens = " ".join("WHEN %s THEN %s" for _code in labels)
    params = [value for code, label in labels.items() for value in (code, csv_cell(label))]
    if not labels:
        return _cell(dialect, column), []
    return f"CASE {column} {whens} ELSE {_cell(dialect, column)} END", params


def _partial_date(dialect, date, precision):
    # The lengths of PartialDate.isoformat(): 2011, 2024-06, 2024-06-19.
    year, month = _literal(Precision.YEAR), _literal(Precision.MONTH)
    length = f"CASE {precision} WHEN {year} THEN 4 WHEN {month} THEN 7 ELSE 10 END"
    return f"COALESCE(substr({dialect.iso_date(date)}, 1, {length}), '')"


def _ordering(queryset):
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering and queryset.model._meta.ordering:
        return list(queryset.model._meta.ordering)
    return ["pk"]


def chosen_query(queryset):
    """Return (sql, params) of the queryset's agreement ids and positions in its order."""
    ordering = _ordering(queryset)
    if queryset.query.distinct or queryset.query.is_sliced:
        # A window would number the rows before DISTINCT or LIMIT: number them afterwards.
        queryset = queryset.model._base_manager.filter(pk__in=queryset.values("pk"))
    positions = plain_queryset(queryset).annotate(_position=Window(RowNumber(), order_by=ordering))
    return positions.order_by().values_list("pk", "_position").query.sql_with_params()


def _tables():
    models = (Agreement, CooperationField, Participation, Partnership, Person, Region)
    tables = {model.__name__: model._meta.db_table for model in models}
    tables["links"] = Agreement.fields.through._meta.db_table
    return tables


def _aggregates(dialect, language, tables):
    """SQL of the `fields` and `signatories` common table expressions."""
    q = dialect.quote_name
    name = _fallback("c", "name", language)
    # Sorted by code point, as Python sorts strings: PostgreSQL's "C" collation, SQLite's own.
    fields, fields_order = dialect.aggregate("name", dialect.by_code_point("name"))
    person, title = _fallback("pe", "name", language), _fallback("pa", "title", language)
    signed = f"{person} || CASE WHEN {title} = '' THEN '' ELSE ' (' || {title} || ')' END"
    people, people_order = dialect.aggregate("signed", "place, pid")
    return f"""
fields (id, joined) AS (
  SELECT id, {fields} FROM (
    SELECT l.agreement_id AS id, {name} AS name
    FROM chosen JOIN {q(tables["links"])} l ON l.agreement_id = chosen.id
    JOIN {q(tables["CooperationField"])} c ON c.id = l.cooperationfield_id
    {fields_order}) AS named
  GROUP BY id),
signatories (id, joined) AS (
  SELECT id, {people} FROM (
    SELECT pa.agreement_id AS id, {signed} AS signed, pa.{q("order")} AS place, pa.id AS pid
    FROM chosen JOIN {q(tables["Participation"])} pa ON pa.agreement_id = chosen.id
    JOIN {q(tables["Person"])} pe ON pe.id = pa.person_id
    WHERE pa.role = {_literal(Participation.Role.SIGNATORY)}
    {people_order}) AS signed
  GROUP BY id)"""


def _values(language):
    """SQL of the values of an agreement's row, each named, before any cell rule applies."""
    return {
        "id": "a.id",
        "title": _fallback("a", "title", language),
        "kind": "a.kind",
        "home": _fallback("h", "name", language),
        "partner": _fallback("r", "name", language),
        "country": "r.country",
        "level": "p.level",
        "signed_on": "a.signed_on",
        "precision": "a.signed_on_precision",
        "status": "a.status",
        "valid_until": "a.valid_until",
        "venue": _fallback("a", "venue", language),
        "fields": "COALESCE(f.joined, '')",
        "signatories": "COALESCE(s.joined, '')",
        "source_url": "a.source_url",
    }


def _column_values(dialect):
    """SQL of each export column's value over the values (`x`) of its row, by column key.

    The one list of what each csv_format column holds, before any format's cell rule: texts
    in the export's language, codes of choices, dates as ISO text at their precision, and
    the id for `url`, which each format turns into the link.
    """
    return {
        "id": "x.id",
        "title": "x.title",
        "kind": "x.kind",
        "home_region": "x.home",
        "partner_region": "x.partner",
        "partner_country": "x.country",
        "level": "x.level",
        "signed_on": _partial_date(dialect, "x.signed_on", "x.precision"),
        "status": "x.status",
        "valid_until": f"COALESCE({dialect.iso_date('x.valid_until')}, '')",
        "venue": "x.venue",
        "fields": "x.fields",
        "signatories": "x.signatories",
        "source_url": "x.source_url",
        "url": "x.id",
    }


def _line(dialect, context):
    """Return (sql, params) of one agreement's CSV line over the values (`x`) of its row."""
    params = []
    labels = {"kind": context.kinds, "level": context.levels, "status": context.statuses}

    def csv_cell(key, value):
        if key == "id":
            return f"CAST({value} AS TEXT)"
        if key in labels:
            sql, label_params = _label(dialect, value, labels[key])
            params.extend(label_params)
            return sql
        if key in ("signed_on", "valid_until"):
            return value  # digits and dashes: nothing to escape or quote
        if key == "url":
            params.extend(_url_parts(context))
            return f"%s || CAST({value} AS TEXT) || %s"
        return _cell(dialect, value)

    cells = [csv_cell(key, value) for key, value in _column_values(dialect).items()]
    return " || ',' || ".join(cells), params


def _url_parts(context):
    """Return the link's text before and after the id, quoted as csv_cell() would quote it."""
    before, after = context.url_before, context.url_after
    if any(c in before + after for c in QUOTED_CHARACTERS):
        return ['"' + before.replace('"', '""'), after.replace('"', '""') + '"']
    return [before, after]


def export_query(queryset, context, connection):
    """Return (sql, params) of the query that yields each agreement's CSV line, in order."""
    return _query(queryset, context.language, connection, partial(_line, context=context))


def values_query(queryset, language, connection):
    """Return (sql, params) of the query that yields each agreement's column values, in order.

    A row holds a value per csv_format column, in the columns' order, as _column_values()
    defines them: for the formats that write typed cells rather than lines of text.
    """

    def select(dialect):
        return ", ".join(_column_values(dialect).values()), []

    return _query(queryset, language, connection, select)


def _query(queryset, language, connection, select):
    """Return (sql, params) of `select(dialect)` over each chosen agreement's values, in order."""
    dialect, tables = _Dialect(connection), _tables()
    q = dialect.quote_name
    chosen_sql, chosen_params = chosen_query(queryset)
    values = ", ".join(f"{sql} AS {name}" for name, sql in _values(language).items())
    selected, select_params = select(dialect)
    # The fence keeps the values a subquery of their own, each computed once per row: merged
    # into the outer query, each would be computed again wherever a cell rule names it.
    sql = f"""
WITH chosen (id, place) AS MATERIALIZED ({chosen_sql}),
{_aggregates(dialect, language, tables)}
SELECT {selected} FROM (
  SELECT chosen.place, {values}
  FROM chosen
    JOIN {q(tables["Agreement"])} a ON a.id = chosen.id
    JOIN {q(tables["Partnership"])} p ON p.id = a.partnership_id
    JOIN {q(tables["Region"])} h ON h.id = p.home_region_id
    JOIN {q(tables["Region"])} r ON r.id = p.partner_region_id
    LEFT JOIN fields f ON f.id = a.id
    LEFT JOIN signatories s ON s.id = a.id
  {dialect.fence()}) AS x
ORDER BY x.place"""
    return sql, [*chosen_params, *select_params]
