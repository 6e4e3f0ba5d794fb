"""Substring search over many text columns, answered on PostgreSQL by one trigram index.

`contains(fields, text)` matches the rows where any of the fields contains the text, case
aside: what OR-ing `icontains` over the fields matches, but written as one expression (the
fields joined by a separator), so that a GIN trigram index on that same expression
(`AddTrigramIndex`, in a migration) finds the rows on PostgreSQL without reading the whole
table. Elsewhere, and before the migration, it is the same LIKE without an index.

pg_trgm finds no trigram in a query of one or two characters, nor in one or two Korean or
Chinese characters (a run of them is one word to it): such a query reads the table, which
the lists bound by counting no further than they show (core.pagination). Marking each
character beyond ASCII as a word of its own, as portal.search does in its narrow tables,
would cost a regular expression per row checked here, on the wide rows of the registry.
"""

from functools import reduce
from operator import or_

from django.db.migrations.operations.base import Operation
from django.db.models import F, Func, Q, TextField, Value
from django.db.models.functions import Coalesce, Upper
from django.db.models.lookups import IContains
from django.db.models.sql import Query

# The unit separator: nobody types it, so a match never spans two fields.
SEPARATOR = "\x1f"


class Joined(Func):
    """Texts joined with `||`: immutable, so PostgreSQL can index it (CONCAT() is not)."""

    arg_joiner = " || "
    template = "(%(expressions)s)"
    output_field = TextField()


def joined(fields):
    """Return the fields' text joined into one value, each followed by the separator."""
    parts = []
    for field in fields:
        parts += [Coalesce(F(field), Value(""), output_field=TextField()), Value(SEPARATOR)]
    return Joined(*parts)


def contains(fields, text):
    """Return a Q matching rows where any of the fields contains the text, case aside."""
    if SEPARATOR in text:
        # It could match only across two fields in the joined text: ask each field instead.
        return reduce(or_, (Q(**{f"{field}__icontains": text}) for field in fields))
    # icontains compares UPPER(joined::text), the expression the index holds: the cast of a
    # text to text is no cast at all.
    return Q(IContains(joined(fields), text))


def _indexed_sql(model, schema_editor, fields):
    """Return the SQL of UPPER(joined(fields)) as CREATE INDEX takes it: columns unqualified,
    values inlined."""
    query = Query(model, alias_cols=False)
    compiler = query.get_compiler(connection=schema_editor.connection)
    expression = Upper(joined(fields)).resolve_expression(query)
    sql, params = expression.as_sql(compiler, schema_editor.connection)
    return sql % tuple(schema_editor.quote_value(param) for param in params)


class TrigramExtension(Operation):
    """Create PostgreSQL's pg_trgm extension if it is not there; elsewhere do nothing.

    Going backwards leaves it in place: other indexes may use it.
    """

    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Create the pg_trgm extension (PostgreSQL only)"


class AddTrigramIndex(Operation):
    """Create the trigram index that `contains()` over these fields uses; PostgreSQL only.

    Migration state knows nothing of it (SQLite has no GIN index), so it is not in the model's
    Meta.indexes; `TrigramExtension()` must come first in the migration.
    """

    reversible = True

    def __init__(self, model_name, name, fields):
        self.model_name = model_name
        self.name = name
        self.fields = list(fields)

    def state_forwards(self, app_label, state):
        pass

    def _model(self, app_label, schema_editor, state):
        """Return the model when the index belongs in this database, else None."""
        model = state.apps.get_model(app_label, self.model_name)
        if schema_editor.connection.vendor != "postgresql":
            return None
        return model if self.allow_migrate_model(schema_editor.connection.alias, model) else None

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = self._model(app_label, schema_editor, to_state)
        if model is not None:
            quote = schema_editor.quote_name
            expression = _indexed_sql(model, schema_editor, self.fields)
            schema_editor.execute(
                f"CREATE INDEX {quote(self.name)} ON {quote(model._meta.db_table)} "
                f"USING gin (({expression}) gin_trgm_ops)"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if self._model(app_label, schema_editor, from_state) is not None:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Create trigram index {self.name} on {self.model_name} (PostgreSQL only)"

    @property
    def migration_name_fragment(self):
        return self.name.lower()
