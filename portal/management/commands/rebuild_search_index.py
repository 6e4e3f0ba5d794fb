"""Rebuild the site search's text tables from the records.

The database's triggers keep the tables in step with every write, and `migrate` rebuilds them
when the triggers change; this command is for when something went around both, such as rows
copied in with the triggers disabled. Safe to run at any time: searches go on meanwhile.
"""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from portal.search.index import search_index_rebuild, search_index_sync


class Command(BaseCommand):
    help = "Rebuild the site search's text tables from the records (and put the triggers back)."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        started = time.monotonic()
        if not search_index_sync(using=database):
            search_index_rebuild(using=database)
        self.stdout.write(f"Search index rebuilt in {time.monotonic() - started:.1f} s.")
