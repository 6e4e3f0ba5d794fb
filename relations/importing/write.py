"""Writing the plans, a batch at a time, in the one transaction of the import; then the levels
of the partnerships the import touched, once.

The import writes each batch as soon as it is checked, in a transaction that stays open to
the end of the file: a bad row found later rolls everything back (agreement_import), so
nothing is written unless every row is valid, and no plan waits in memory for the end.

On PostgreSQL a batch's statements are built in full first: its new rows get their ids from
the tables' sequences in one query, then its rows, its updates and its history become COPY
texts and SQL with their parameters (core.pipe.Statements). A thread (core.pipe.Pipe) sends
them to the database, on the import's own connection and in its transaction, while the next
batch is checked: the database's work (its indexes, above all the trigram indexes of the
searched text) and the checks' Python run at the same time, on two processors, where one
waited for the other. Everything the checks read was read before the batches they precede
were written, and no batch writes a row that a later one reads (each agreement is in one
row of the file).
Elsewhere the statements run at once, in order, as they are made.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from reversion.models import Revision

from core.batching import batched
from core.bulk_write import allocate_ids
from core.cache import content_changed
from core.pipe import Pipe, Statements

from ..models import Agreement, Participation, Partnership
from ..services import partnership_refresh
from .history import History
from .lookups import SIGNATORY
from .report import Problem

REFRESH_BATCH = 1000  # partnerships per level refresh (their agreements summed up at once)

logger = logging.getLogger(__name__)


def refusal(error):
    """Return the problem that says the database refused the import."""
    logger.warning("The CSV import was refused by the database: %s", error)
    return Problem(
        None,
        "",
        _(
            "The database refused the import, so nothing was written: %(error)s. "
            "Upload the file again to check it against the data as it is now."
        )
        % {"error": " ".join(str(error).split()).rstrip(".")},
    )


class Writer:
    """The import's transaction: write batches of plans, then finish() or roll back.

    A context manager: leaving it commits what finish() left, or rolls back on an error or
    when rollback() was called. `highest_id` is the largest ID the file gives, which new
    agreements without one must not take.

    write() and finish() raise the DatabaseError of any statement that failed, the first
    one, whichever batch it belonged to; so does `failure()`, which says whether one did.
    """

    def __init__(self, *, lookups, user, highest_id):
        self.lookups, self.highest_id = lookups, highest_id
        self.history = History(user=user, lookups=lookups)
        self.touched = set()  # partnership ids
        self.created_partnerships = []
        self.database = router.db_for_write(Agreement)
        self.connection = connections[self.database]
        self.atomic = transaction.atomic(using=self.database)
        self.pipe = None
        # On PostgreSQL, a second connection for the queries that read nothing the import
        # writes (the constraints' checks, the sequences), so that they do not wait for
        # the statements of the writing thread: `checks`, None elsewhere.
        self.checks = None

    def __enter__(self):
        self.atomic.__enter__()
        try:
            _reserve_ids(self.connection, self.highest_id)
            threaded = self.connection.vendor == "postgresql"
            if threaded:
                self.checks = connections.create_connection(self.database)
            self.pipe = Pipe(self.connection, threaded=threaded)
        except BaseException as error:
            self.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def __exit__(self, *exc_info):
        try:
            if self.pipe is not None:
                self.pipe.close()
            if self.checks is not None:
                self.checks.close()
        finally:
            return self.atomic.__exit__(*exc_info)  # noqa: B012 - the transaction ends

    def rollback(self):
        if self.pipe is not None:
            self.pipe.close()
        transaction.set_rollback(True, using=self.database)

    def failure(self):
        """Return the error of a statement that failed, or None."""
        return self.pipe.error if self.pipe is not None else None

    def read(self, function, *args):
        """Run function(*args), which only reads, after the statements put so far; return a
        function that waits for its result. On PostgreSQL it runs in the writing thread,
        so that the importing thread does not wait for the statements before it."""
        return self.pipe.submit(function, *args)

    def write(self, plans):
        """Write one batch of checked plans that change something."""
        self.pipe.raise_error()
        try:
            # The translated fields' own values, stored and recorded, are the English ones.
            with translation.override(settings.LANGUAGE_CODE):
                statements = self._statements(plans)
        except DatabaseError:
            self.pipe.raise_error()  # the cause, when a statement of an earlier batch failed
            raise
        self.pipe.put(statements.jobs)
        self.touched |= {p.agreement.partnership_id for p in plans}
        self.touched |= {p.old_partnership_id for p in plans} - {None}

    def finish(self):
        """Refresh the levels of the partnerships the import touched; record new ones."""
        self.pipe.wait()
        with translation.override(settings.LANGUAGE_CODE):
            for chunk in batched(sorted(self.touched), REFRESH_BATCH):
                partnership_refresh(partnership_ids=chunk)
            self.history.record_partnerships([p.pk for p in self.created_partnerships])
        content_changed(scheduled_at=None)  # bulk writes send no signals; no article

    def _statements(self, plans):
        """Return the batch's statements, made in the order they must run."""
        self._create_partnerships(plans)
        new = [plan.agreement for plan in plans if plan.is_new]
        participations = [p for plan in plans for p in plan.participations]
        taken = allocate_ids(
            [(Agreement, new), (Participation, participations), (Revision, len(plans))],
            using=self.database,
            connection=self.checks,
        )
        statements = Statements(self.connection)
        statements.insert_instances(Agreement, new)
        by_columns = {}
        for plan in plans:
            if not plan.is_new and plan.changed_fields:
                columns = tuple(sorted(plan.changed_fields))
                by_columns.setdefault(columns, []).append(plan.agreement)
        for columns, agreements in by_columns.items():
            statements.update(Agreement, columns, agreements)
        _write_fields(statements, [p for p in plans if p.cooperation_fields is not None])
        _write_signatories(statements, [p for p in plans if p.signatories is not None])
        self.history.record_agreements(plans, statements, taken[2] if taken else None)
        return statements

    def _create_partnerships(self, plans):
        new = {id(p.partnership): p.partnership for p in plans if p.partnership is not None}
        unsaved = [partnership for partnership in new.values() if partnership.pk is None]
        Partnership.objects.bulk_create(unsaved)
        self.created_partnerships += unsaved
        for plan in plans:
            if plan.partnership is not None:
                plan.agreement.partnership_id = plan.partnership.pk


def _write_fields(statements, plans):
    through = Agreement.fields.through
    statements.delete(through, "agreement_id", [p.agreement.pk for p in plans if not p.is_new])
    links = [
        (plan.agreement.pk, cooperation_field.pk)
        for plan in plans
        for cooperation_field in plan.cooperation_fields
    ]
    statements.insert_rows(through, ("agreement_id", "cooperationfield_id"), links)


def _write_signatories(statements, plans):
    """Replace the signatories of each plan; other participants are left as they are.

    Participation has no receiver of its deletes (portal.page_cache leaves the parts of a
    record to it), so Django would delete them with this one query too.
    """
    old = [p.agreement.pk for p in plans if not p.is_new]
    statements.delete(Participation, "agreement_id", old, role=SIGNATORY)
    for plan in plans:
        for participation in plan.participations:
            participation.agreement_id = plan.agreement.pk
    new = [participation for plan in plans for participation in plan.participations]
    statements.insert_instances(Participation, new)


def _reserve_ids(connection, highest_id):
    """Make new agreements without an ID take ids past every ID the file gives.

    Agreements the file gives an ID are created with it, in whichever batch they come; the
    id the database gives one of an earlier batch must not be one of theirs.
    """
    if highest_id is None:
        return
    table = Agreement._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(
                f"SELECT setval({sequence}, GREATEST(%s, nextval({sequence}) - 1,"
                f" (SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)})))",
                [highest_id],
            )
        elif connection.vendor == "sqlite":
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s",
                [highest_id, table],
            )
            if not cursor.rowcount:
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest_id]
                )


__all__ = ["DatabaseError", "Writer", "refusal"]
