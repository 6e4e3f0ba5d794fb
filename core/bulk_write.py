"""Writing many rows at once: ids taken from the sequences ahead, COPY on PostgreSQL,
and UPDATE ... FROM VALUES, without the ORM's work per row (core.bulk says why).
"""

import datetime
import io
import json

from django.db import connections
from django.utils.translation import get_language

from core.batching import batched
from core.bulk import TranslatedValues

COPY_ROWS = 5000  # rows per COPY on PostgreSQL


def insert_rows(model, columns, rows, *, using="default"):
    """Insert rows of values, already as the database stores them, into the model's table.

    PostgreSQL loads them with COPY, several times faster than INSERT for a large load;
    elsewhere they go in with one INSERT per row in a single executemany(). No ids come
    back and no signal is sent. `columns` are the fields' column names.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in batched(rows, COPY_ROWS):
                copy_statement(model, columns, chunk, connection)(cursor)
        else:
            table = connection.ops.quote_name(model._meta.db_table)
            names = ", ".join(connection.ops.quote_name(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def copy_statement(model, columns, rows, connection, *, lines=None, line=None):
    """Return a function of a cursor that loads the rows with PostgreSQL's COPY.

    The rows are turned into COPY's text now, by copy_line() or the given `line` function
    of a row (or given as the text's `lines`), so that the function can run later, in
    another thread on the same connection (relations.importing.write), and does no Python
    work but the sending.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    if lines is None:
        lines = [(line or copy_line)(row) for row in rows]
    # Encoded now (Django's connections to PostgreSQL use UTF-8) and sent in one piece.
    data = "".join(lines).encode()
    sql = f"COPY {table} ({names}) FROM STDIN"

    def run(cursor):
        # Django's own errors (IntegrityError ...), as from any other query. The size is
        # positional: Django's debug cursor takes no keyword.
        with connection.wrap_database_errors:
            cursor.copy_expert(sql, io.BytesIO(data), max(len(data), 1))

    return run


def allocate_ids(requests, *, using="default", connection=None):
    """Take ids from the tables' sequences for several models in one query; PostgreSQL only.

    `requests` is [(model, instances or a number)]: each instance without a primary key
    gets the next value of its table's sequence, as the INSERT would have given it; a
    number asks for that many ids. Returns the ids taken for each request, in order, or
    None, having changed nothing, on other databases, where the INSERT gives the ids.
    A sequence is not part of a transaction: `connection` may be any connection to the
    database (by default, that of `using`).
    """
    connection = connection or connections[using]
    if connection.vendor != "postgresql":
        return None
    wanted = [_id_request(model, instances) for model, instances in requests]
    found = iter(_next_values([request for request in wanted if request[3]], connection))
    taken = []
    for _model, pk, missing, count in wanted:
        ids = next(found) if count else []
        if missing is not None:
            for instance, value in zip(missing, ids, strict=True):
                setattr(instance, pk.attname, value)
        taken.append(ids)
    return taken


def _id_request(model, instances):
    """Return (model, pk, the instances without an id or None, how many ids)."""
    pk = model._meta.pk
    if isinstance(instances, int):
        return model, pk, None, instances
    missing = [instance for instance in instances if getattr(instance, pk.attname) is None]
    return model, pk, missing, len(missing)


def _next_values(requests, connection):
    """Return, for each (model, pk, _, count), a list of `count` values of its sequence."""
    if not requests:
        return []
    arrays = ", ".join(
        "ARRAY(SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s))"
        for _request in requests
    )
    params = [
        value
        for model, pk, _missing, count in requests
        for value in (model._meta.db_table, pk.column, count)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {arrays}", params)
        return cursor.fetchone()


def insert_instances(model, instances, *, using="default"):
    """Insert unsaved instances and set the ids of those without one, as bulk_create() does.

    On PostgreSQL the missing ids are taken from the table's sequence first, then the rows
    go in with COPY (insert_rows); elsewhere bulk_create() inserts them. No signal is sent.
    """
    instances = list(instances)
    connection = connections[using]
    if allocate_ids([(model, instances)], using=using) is None:
        model._base_manager.using(using).bulk_create(instances, batch_size=1000)
        return
    insert_rows(
        model, instance_columns(model), instance_rows(model, instances, connection), using=using
    )
    mark_saved(instances, using)


def instance_columns(model):
    """Return the columns of instance_rows(), in order."""
    return [field.column for field in model._meta.concrete_fields]


def instance_rows(model, instances, connection):
    """Return the rows of values, as an INSERT stores them, of instances with their ids."""
    values = _DatabaseValues(model, connection)
    return [values.row(instance) for instance in instances]


def instance_copy_lines(model, instances, connection):
    """Return the lines of COPY text of instance_rows()."""
    values = _DatabaseValues(model, connection)
    return [values.copy_line(instance) for instance in instances]


def mark_saved(instances, using):
    """Mark inserted instances as loaded from the database, as bulk_create() does."""
    for instance in instances:
        instance._state.adding, instance._state.db = False, using


class _DatabaseValues:
    """Each field's value of an instance as an INSERT stores it: pre_save(), then
    get_db_prep_save(), skipped for the plain values of plain fields, where both return
    the value as it is; a translated field's own through TranslatedValues."""

    PLAIN_FIELDS = {
        "AutoField", "BigAutoField", "BooleanField", "CharField", "DateField", "ForeignKey",
        "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SlugField",
        "SmallIntegerField", "TextField", "URLField",
    }  # fmt: skip
    PLAIN_VALUES = (str, int, datetime.date, type(None))

    def __init__(self, model, connection):
        self.connection, self.language = connection, get_language()
        self.translated = TranslatedValues.of(model)
        self.fields = [
            (
                field,
                self._plain(field),
                field.attname in self.translated,
                field.get_internal_type() == "JSONField",
            )
            for field in model._meta.concrete_fields
        ]

    def _plain(self, field):
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        return field.get_internal_type() in self.PLAIN_FIELDS and not automatic

    def row(self, instance):
        return [self._value(instance, *described) for described in self.fields]

    def copy_line(self, instance):
        """Return copy_line(self.row(instance)), with less work per value."""
        values, texts = instance.__dict__, []
        for field, plain, translated, json_field in self.fields:
            if plain and not translated:
                value = values[field.attname]
                text = _COPY_OF_TYPE.get(type(value))
                # A bool stays get_db_prep_save()'s: an integer field's is 1 or 0.
                if text is not None and type(value) is not bool:
                    texts.append(text(value))
                    continue
            texts.append(_copy_text(self._value(instance, field, plain, translated, json_field)))
        return "\t".join(texts) + "\n"

    def _value(self, instance, field, plain, translated, json_field):
        """Return the field's value as an INSERT stores it; JSON as its text, which COPY
        takes, not the adapter get_db_prep_save() gives."""
        if translated:
            value = self.translated.get(instance, field.attname, self.language)
        elif plain:
            value = instance.__dict__[field.attname]
        else:
            value = field.pre_save(instance, True)
        if json_field and value is not None:
            return json.dumps(value, cls=field.encoder)
        if not (plain and type(value) in self.PLAIN_VALUES):
            return field.get_db_prep_save(value, self.connection)
        return value


def copy_escape(text):
    """Return a text as a value of PostgreSQL's COPY text format."""
    # Four searches for a character cost less than one of a regular expression's classes,
    # over the long JSON texts of the history above all.
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        return text.replace("\t", "\\t")
    return text


_COPY_OF_TYPE = {
    str: copy_escape,
    int: str,
    type(None): lambda value: "\\N",
    bool: lambda value: "t" if value else "f",
    datetime.date: str,
}


def _copy_text(value):
    """Return the value in the text format of PostgreSQL's COPY."""
    text = _COPY_OF_TYPE.get(type(value))
    if text is not None:
        return text(value)
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return copy_escape(str(value))


def copy_line(row):
    """Return a row of values as a line of PostgreSQL's COPY text."""
    return "\t".join([_copy_text(value) for value in row]) + "\n"


def update_rows(model, fields, instances, *, using="default"):
    """Set the fields of each instance in its row, many rows per UPDATE, by primary key.

    One UPDATE ... FROM (VALUES ...) per batch, where bulk_update() writes a CASE per field
    that grows with the rows. PostgreSQL, and SQLite from 3.33.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql, params in update_statements(model, fields, instances, connection):
            cursor.execute(sql, params)


def update_statements(model, fields, instances, connection, *, rows=1000):
    """Return the [(sql, params)] of update_rows(), to run later, `rows` rows each at most."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    columns = [pk, *(model._meta.get_field(name) for name in fields)]
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        marks = [f"CAST(%s AS {field.cast_db_type(connection)})" for field in columns]
        names = [f"c{position}" for position in range(len(columns))]
        source = f"AS v ({', '.join(names)})"
    else:
        marks = ["%s"] * len(columns)
        names = [f"column{position + 1}" for position in range(len(columns))]
        source = "AS v"
    settings = ", ".join(
        f"{quote(field.column)} = v.{name}"
        for field, name in zip(columns[1:], names[1:], strict=True)
    )
    table = quote(model._meta.db_table)
    row = f"({', '.join(marks)})"
    size = max(1, min(rows, (connection.features.max_query_params or 30000) // len(columns)))
    statements = []
    for chunk in batched(instances, size):
        params = [
            field.get_db_prep_save(getattr(instance, field.attname), connection)
            for instance in chunk
            for field in columns
        ]
        statements.append(
            (
                f"UPDATE {table} SET {settings} FROM (VALUES {', '.join([row] * len(chunk))}) "
                f"{source} WHERE {table}.{quote(pk.column)} = v.{names[0]}",
                params,
            )
        )
    return statements
