"""The text tables as a whole: rebuilt from the records, and put right after `migrate`.

Between two rebuilds the triggers keep the tables true (portal.search.triggers); a rebuild is
for when they may not be: after the triggers change, after a restore from an older backup, or
by hand (`manage.py rebuild_search_index`).
"""

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from . import triggers
from .documents import SOURCES


def search_index_rebuild(*, using=DEFAULT_DB_ALIAS):
    """Write the text row of every record and delete those of records gone.

    Runs two statements per kind, in one transaction; on PostgreSQL only changed rows are
    written, so searches go on meanwhile, and the tables' statistics are refreshed.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for source in SOURCES.values():
            table = quote(source.table._meta.db_table)
            cursor.execute(triggers.upsert_sql(connection, source))
            cursor.execute(
                f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM "
                f"{quote(source.model._meta.db_table)} AS record "
                f'WHERE record.{quote(source.model._meta.pk.column)} = {table}."record_id")'
            )
            if connection.vendor == "postgresql":
                # The planner chooses between the trigram index and reading in order by
                # these statistics: a table just filled has none.
                cursor.execute(f"ANALYZE {table}")


def _tables_exist(connection):
    tables = set(connection.introspection.table_names())
    return all(source.table._meta.db_table in tables for source in SOURCES.values())


def _fully_migrated(connection):
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def search_index_sync(*, using=DEFAULT_DB_ALIAS):
    """Install the triggers the code makes, if the database has others or none, and rebuild.

    Return True if it did. Does nothing before every migration is applied: the statements
    name the columns of the models as the code has them.
    """
    connection = connections[using]
    if not _tables_exist(connection):
        return False
    with transaction.atomic(using=using):
        if not triggers.install(connection):
            return False
        if not _fully_migrated(connection):
            transaction.set_rollback(True, using=using)
            return False
        search_index_rebuild(using=using)
    return True


def drop_before_migrate(sender, *, plan=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """pre_migrate: the triggers are dropped while migrations run, and put back after."""
    if plan:
        triggers.uninstall(connections[using])


def sync_after_migrate(sender, *, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate: put the triggers back, as the models are now, and rebuild the tables
    (the migrations may have changed the searched columns, or written records unseen)."""
    search_index_sync(using=using)
