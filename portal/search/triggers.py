"""The triggers that keep the text tables true to the records, whatever writes them.

Triggers, not signals: the records are also written by bulk_create and bulk_update (the CSV
import, generate_sample_data), by QuerySet.update() (a pending change put back after a
revert), by raw SQL and by a restore, none of which sends a signal. A trigger sees every
write, in the writer's own transaction, so the index can neither lag behind nor outlive a
rollback. Publishing needs nothing: what is public is decided when searching, from the
articles themselves (Article.objects.public()).

A record's text also holds fields of other records (documents.Source): a write to those
rewrites the text of the records that reach them (a region renamed: its partnerships, and the
articles linked to it or to them), and so does a write to a link table (an article's
partnerships and regions added, removed or moved).

The statements are made from the models (documents.SOURCES), so they follow the fields and
languages of the code that runs `migrate`: `sync()`, after every `migrate`, puts them in place
when they differ from those in the database, and then rebuilds the tables.

PostgreSQL: one trigger per table and event, FOR EACH STATEMENT with its transition table, so
that a bulk write of thousands of rows costs one INSERT ... SELECT; an update counts only
the rows in which a column some text reads has changed (an import's refresh of thousands of
partnerships' kept counts rewrote every linked article's text). SQLite: FOR EACH ROW.
"""

from django.db.models import Q
from django.db.models.expressions import RawSQL

from .documents import SOURCES

PREFIX = "portal_search_"
EVENTS = ("insert", "update", "delete")


def _select(connection, source, records):
    """Return the SQL of the SELECT of these records' text rows; it takes no parameter."""
    sql, params = source.texts(records).query.get_compiler(connection=connection).as_sql()
    if params:
        raise ValueError(f"A trigger cannot take parameters: {params!r}")
    return sql


def _quoted_columns(connection, source):
    return ", ".join(connection.ops.quote_name(c) for c in source.table_columns())


def upsert_sql(connection, source, records=None):
    """Return the statement that writes the text rows of these records (all when None)."""
    quote = connection.ops.quote_name
    table = quote(source.table._meta.db_table)
    select = _select(connection, source, records)
    changed = [quote(c) for c in source.table_columns()[1:]]
    insert = f"INSERT INTO {table} ({_quoted_columns(connection, source)})"
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in changed)
    update = f'ON CONFLICT ("record_id") DO UPDATE SET {assignments}'
    if connection.vendor != "postgresql":
        # An upsert, not INSERT OR REPLACE: in a trigger, that takes the conflict policy of
        # the statement that fired it, and a many-to-many add is an INSERT OR IGNORE.
        # `WHERE true` tells SQLite's parser that ON begins the upsert, not a join.
        return f"{insert} SELECT * FROM ({select}) WHERE true {update}"
    stored = ", ".join(f"{table}.{c}" for c in changed)
    excluded = ", ".join(f"EXCLUDED.{c}" for c in changed)
    # Rows whose text is unchanged are left alone: no new row version, no index update.
    return f"{insert} {select} {update} WHERE ROW({stored}) IS DISTINCT FROM ROW({excluded})"


def _changed_records(source, model, event, rows):
    """Return a Q of the source's records whose text this write to `model` may change, or
    None when it changes none.

    `rows(column, old=False)` is the SQL of a column of the rows written (or, with `old`, of
    the rows as they were before an update or a delete).
    """
    if model is source.model:
        return None if event == "delete" else Q(pk__in=RawSQL(rows(model._meta.pk.column), ()))
    column = source.link_columns().get(model)
    if column is not None:
        # A link added, removed or moved: the records on both ends of its change.
        changed = Q()
        if event != "delete":
            changed |= Q(pk__in=RawSQL(rows(column), ()))
        if event != "insert":
            changed |= Q(pk__in=RawSQL(rows(column, old=True), ()))
        return changed
    lookups = source.followed().get(model)
    if not lookups or event == "delete":
        return None
    written = RawSQL(rows(model._meta.pk.column), ())
    changed = Q()
    for lookup in lookups:
        # A subquery, not a join: a record reaching two rows written must be written once.
        reaching = source.model._base_manager.filter(**{f"{lookup}__in": written})
        changed |= Q(pk__in=reaching.values("pk"))
    return changed


def _statements(connection, model, event, rows):
    """Return the statements run after rows of `model` were written or deleted."""
    statements = []
    for source in SOURCES.values():
        if event == "delete" and source.model is model:
            table = connection.ops.quote_name(source.table._meta.db_table)
            deleted = rows(model._meta.pk.column, old=True)
            statements.append(f'DELETE FROM {table} WHERE "record_id" IN ({deleted})')
        changed = _changed_records(source, model, event, rows)
        if changed is not None:
            records = source.model._base_manager.filter(changed)
            statements.append(upsert_sql(connection, source, records))
    return statements


def _link_tables():
    return {model for source in SOURCES.values() for model in source.link_columns()}


def watched_models():
    """Return the models whose writes change a text table, in a fixed order."""
    models = {source.model: None for source in SOURCES.values()}
    for source in SOURCES.values():
        models.update(dict.fromkeys(source.followed()))
        models.update(dict.fromkeys(source.link_columns()))
    return list(models)


# ---- PostgreSQL


def _function_name(model, event):
    return f"{PREFIX}{model._meta.db_table}_{event}d"


def _transition_tables(model, event):
    """Return the REFERENCING clause: the rows as they are, or were, or both for an update
    (a link moved from one record to another changes both; a row changed only where no text
    reads it changes no text)."""
    if event == "delete":
        return "OLD TABLE AS old_rows"
    if event == "update":
        return "OLD TABLE AS old_rows NEW TABLE AS new_rows"
    return "NEW TABLE AS new_rows"


def _read_columns(model):
    """Return the columns of the model that some text table's rows are made of."""
    read = set()
    for source in SOURCES.values():
        read |= source.read_columns().get(model, set())
    return sorted(read)


def _changed_rows(connection, model):
    """Return the SQL of the updated rows in which a column some text reads has changed:
    an update of a partnership's kept counts or level then rewrites no text."""
    quote = connection.ops.quote_name
    read = _read_columns(model)
    if model in _link_tables() or not read:
        return "new_rows"
    key = quote(model._meta.pk.column)
    # Not "new" and "old": PL/pgSQL would take them for its NEW and OLD records.
    now = ", ".join(f"now_row.{quote(column)}" for column in read)
    then = ", ".join(f"then_row.{quote(column)}" for column in read)
    return (
        f"(SELECT now_row.* FROM new_rows AS now_row JOIN old_rows AS then_row "
        f"ON then_row.{key} = now_row.{key} WHERE ROW({now}) IS DISTINCT FROM ROW({then})) "
        "AS changed_rows"
    )


def _function_body(connection, model, event):
    written = _changed_rows(connection, model) if event == "update" else "new_rows"

    def rows(column, old=False):
        return f"SELECT {connection.ops.quote_name(column)} FROM {'old_rows' if old else written}"

    statements = _statements(connection, model, event, rows)
    lines = "".join(f"\n    {statement};" for statement in statements)
    return f"\nBEGIN{lines}\n    RETURN NULL;\nEND\n"


def postgresql_objects(connection):
    """Return ({function name: body}, {(table, trigger name): CREATE TRIGGER statement})."""
    functions, triggers = {}, {}
    for model in watched_models():
        table = model._meta.db_table
        for event in EVENTS:
            function = _function_name(model, event)
            functions[function] = _function_body(connection, model, event)
            triggers[(table, f"{PREFIX}{event}")] = (
                f"CREATE TRIGGER {PREFIX}{event} AFTER {event.upper()} ON "
                f"{connection.ops.quote_name(table)} REFERENCING "
                f"{_transition_tables(model, event)} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return functions, triggers


def _installed_postgresql(cursor):
    cursor.execute(
        "SELECT proname, prosrc FROM pg_proc WHERE proname LIKE %s AND proname <> %s",
        [PREFIX.replace("_", "\\_") + "%", "portal_search_text"],
    )
    functions = dict(cursor.fetchall())
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
        "WHERE tgname LIKE %s AND NOT tgisinternal",
        [PREFIX.replace("_", "\\_") + "%"],
    )
    return functions, {tuple(row) for row in cursor.fetchall()}


def _drop_postgresql(connection, cursor, functions, triggers):
    for table, name in triggers:
        cursor.execute(f"DROP TRIGGER {name} ON {connection.ops.quote_name(table)}")
    for name in functions:
        cursor.execute(f"DROP FUNCTION {name}()")


def _sync_postgresql(connection, cursor):
    functions, triggers = postgresql_objects(connection)
    installed_functions, installed_triggers = _installed_postgresql(cursor)
    if installed_functions == functions and installed_triggers == set(triggers):
        return False
    _drop_postgresql(connection, cursor, installed_functions, installed_triggers)
    for name, body in functions.items():
        cursor.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body${body}$body$"
        )
    for statement in triggers.values():
        cursor.execute(statement)
    return True


# ---- SQLite


def sqlite_triggers(connection):
    """Return {trigger name: CREATE TRIGGER statement}, as sqlite_master keeps it."""

    def rows(column, old=False):
        return f"{'OLD' if old else 'NEW'}.{connection.ops.quote_name(column)}"

    triggers = {}
    for model in watched_models():
        table = model._meta.db_table
        for event in EVENTS:
            name = f"{PREFIX}{table}_{event}"
            statements = _statements(connection, model, event, rows)
            body = "".join(f"\n    {statement};" for statement in statements)
            triggers[name] = (
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON "
                f"{connection.ops.quote_name(table)} FOR EACH ROW BEGIN{body}\nEND"
            )
    return triggers


def _installed_sqlite(cursor):
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
        [f"{PREFIX}%"],
    )
    return dict(cursor.fetchall())


def _sync_sqlite(connection, cursor):
    triggers = sqlite_triggers(connection)
    installed = _installed_sqlite(cursor)
    if installed == triggers:
        return False
    for name in installed:
        cursor.execute(f"DROP TRIGGER {name}")
    for statement in triggers.values():
        cursor.execute(statement)
    return True


def install(connection):
    """Put the triggers in place unless they are there already; return True if they were not.

    Run inside a transaction: the caller rebuilds the tables before it commits.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return _sync_postgresql(connection, cursor)
        return _sync_sqlite(connection, cursor)


def uninstall(connection):
    """Drop the triggers, before migrations change the tables they read.

    On SQLite a migration rebuilds a table to alter it, which fails while a trigger of another
    table names it. `install()` puts them back after the migrations.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _drop_postgresql(connection, cursor, *_installed_postgresql(cursor))
        else:
            for name in _installed_sqlite(cursor):
                cursor.execute(f"DROP TRIGGER {name}")
