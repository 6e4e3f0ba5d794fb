"""Many rows of translated models at once, without modeltranslation's work per row.

modeltranslation makes each model instance and each row of values() cost more than the
database does: its __init__ rewrites every keyword and looks up each translation field's
default in each language, and its values_list() builds a dict per row to apply fallbacks.
Code that writes or reads tens of thousands of rows (the sample data, the CSV export, the
import) goes around both with the two helpers here.
"""

import datetime
import io
import json

from django.db import connections
from django.db.models.base import ModelState
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from core.batching import batched
from core.i18n import LANGUAGE_CODES

COPY_ROWS = 5000  # rows per COPY on PostgreSQL


class InstanceBuilder:
    """Make unsaved instances of a model, for bulk_create, without running __init__ for each.

    One template instance is made the ordinary way; each call copies its attributes and sets
    the given values, by attribute name (`partnership_id`, `title_en` ...). No signal is
    sent (bulk_create sends none either) and `save()` is not meant to be called on them.
    """

    def __init__(self, model, **template):
        self.model = model
        self.attributes = {k: v for k, v in model(**template).__dict__.items() if k != "_state"}

    def __call__(self, **values):
        instance = self.model.__new__(self.model)
        instance.__dict__.update(self.attributes, **values)
        instance._state = ModelState()
        return instance


def plain_queryset(queryset):
    """Return the queryset without modeltranslation's rewriting of values() and values_list().

    The columns are then read as named (`title_en`); apply a fallback in SQL where one is
    needed (core.i18n.fallback_sql).
    """
    rewrite = getattr(queryset, "rewrite", None)
    return rewrite(False) if rewrite else queryset


def light_instances(queryset, fields=None):
    """Yield the queryset's rows as instances made by an InstanceBuilder, from plain values.

    Each is marked as loaded from the database, with every concrete field read, or only
    the attributes named in `fields` (the others then hold their defaults, not what is
    stored). No signal is sent. For reading and checking many rows; runs one query.
    """
    model = queryset.model
    names = list(fields or (field.attname for field in model._meta.concrete_fields))
    template = InstanceBuilder(model).attributes
    database = queryset.db
    for values in plain_queryset(queryset).values_list(*names):
        instance = model.__new__(model)
        attributes = template.copy()
        attributes.update(zip(names, values, strict=True))
        attributes["_state"] = state = ModelState()
        state.adding, state.db = False, database
        instance.__dict__ = attributes
        yield instance


class TranslatedValues:
    """A translated field's own attribute (`title`) of many instances, as modeltranslation's
    descriptor reads it, computed once per language and set of texts.

    The descriptor looks up the language and its fallbacks on every read, which costs more
    than the rest of a row's work when tens of thousands of rows are checked and recorded.
    """

    LIMIT = 10_000  # values kept; past it they are forgotten (a file's titles are unique)
    _of = {}

    @classmethod
    def of(cls, model):
        """Return the model's one TranslatedValues, shared by its readers in this process."""
        if model not in cls._of:
            cls._of[model] = cls(model)
        return cls._of[model]

    def __init__(self, model):
        try:
            names = translator.get_options_for_model(model).all_fields
        except NotRegistered:
            names = ()
        self.localized = {
            name: [build_localized_fieldname(name, code) for code in LANGUAGE_CODES]
            for name in names
        }
        self.model, self.values = model, {}

    def __contains__(self, name):
        return name in self.localized

    def get(self, instance, name, language):
        """Return getattr(instance, name) for a translated field; `language` must be the
        active language."""
        texts = tuple(instance.__dict__.get(field) for field in self.localized[name])
        key = (name, language, texts)
        try:
            return self.values[key]
        except KeyError:
            if len(self.values) >= self.LIMIT:
                self.values.clear()
            value = self.values[key] = getattr(instance, name)
            return value


def insert_rows(model, columns, rows, *, using="default"):
    """Insert rows of values, already as the database stores them, into the model's table.

    PostgreSQL loads them with COPY, several times faster than INSERT for a large load;
    elsewhere they go in with one INSERT per row in a single executemany(). No ids come
    back and no signal is sent. `columns` are the fields' column names.
    """
    connection = connections[using]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for chunk in batched(rows, COPY_ROWS):
                lines = ("\t".join(map(_copy_text, row)) + "\n" for row in chunk)
                # Django's own errors (IntegrityError ...), as from any other query.
                with connection.wrap_database_errors:
                    cursor.copy_expert(
                        f"COPY {table} ({names}) FROM STDIN", io.StringIO("".join(lines))
                    )
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def insert_instances(model, instances, *, using="default"):
    """Insert unsaved instances and set the ids of those without one, as bulk_create() does.

    On PostgreSQL the missing ids are taken from the table's sequence first, then the rows
    go in with COPY (insert_rows); elsewhere bulk_create() inserts them. No signal is sent.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        model._base_manager.using(using).bulk_create(instances, batch_size=1000)
        return
    instances = list(instances)
    pk = model._meta.pk
    missing = [instance for instance in instances if getattr(instance, pk.attname) is None]
    if missing:
        sequence = f"pg_get_serial_sequence('{model._meta.db_table}', '{pk.column}')"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT nextval({sequence}) FROM generate_series(1, %s)", [len(missing)]
            )
            for instance, (value,) in zip(missing, cursor.fetchall(), strict=True):
                setattr(instance, pk.attname, value)
    values = _DatabaseValues(model, connection)
    fields = model._meta.concrete_fields
    insert_rows(model, [f.column for f in fields], map(values.row, instances), using=using)
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
        row = []
        for field, plain, translated, json_field in self.fields:
            if translated:
                value = self.translated.get(instance, field.attname, self.language)
            elif plain:
                value = instance.__dict__[field.attname]
            else:
                value = field.pre_save(instance, True)
            if json_field and value is not None:
                # COPY takes the JSON text, not the adapter get_db_prep_save() gives.
                value = json.dumps(value, cls=field.encoder)
            elif not (plain and type(value) in self.PLAIN_VALUES):
                value = field.get_db_prep_save(value, self.connection)
            row.append(value)
        return row


def _copy_text(value):
    """Return the value in the text format of PostgreSQL's COPY."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = str(value)
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        text = text.replace("\t", "\\t")
    return text


def update_rows(model, fields, instances, *, using="default"):
    """Set the fields of each instance in its row, many rows per UPDATE, by primary key.

    One UPDATE ... FROM (VALUES ...) per batch, where bulk_update() writes a CASE per field
    that grows with the rows. PostgreSQL, and SQLite from 3.33.
    """
    connection = connections[using]
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
    size = max(1, min(1000, (connection.features.max_query_params or 30000) // len(columns)))
    with connection.cursor() as cursor:
        for chunk in batched(instances, size):
            params = [
                field.get_db_prep_save(getattr(instance, field.attname), connection)
                for instance in chunk
                for field in columns
            ]
            cursor.execute(
                f"UPDATE {table} SET {settings} FROM (VALUES {', '.join([row] * len(chunk))}) "
                f"{source} WHERE {table}.{quote(pk.column)} = v.{names[0]}",
                params,
            )
