"""Writing the plans, a batch at a time, in the one transaction of the import; then the levels
of the partnerships the import touched, once.

The import writes each batch as soon as it is checked, in a transaction that stays open to
the end of the file: a bad row found later rolls everything back (agreement_import), so
nothing is written unless every row is valid, and no plan waits in memory for the end.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.batching import batched
from core.bulk import insert_instances, insert_rows, update_rows
from core.cache import content_changed

from ..models import Agreement, Participation, Partnership
from ..services import partnership_refresh
from .history import History
from .lookups import LOOKUP_BATCH, SIGNATORY
from .report import Problem

REFRESH_BATCH = 500  # partnerships per level refresh

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
    """

    def __init__(self, *, lookups, user, highest_id):
        self.lookups, self.highest_id = lookups, highest_id
        self.history = History(user=user, lookups=lookups)
        self.touched = set()  # partnership ids
        self.created_partnerships = []
        self.database = router.db_for_write(Agreement)
        self.atomic = transaction.atomic(using=self.database)
        self.language = translation.override(settings.LANGUAGE_CODE)

    def __enter__(self):
        self.atomic.__enter__()
        self.language.__enter__()
        _reserve_ids(connections[self.database], self.highest_id)
        return self

    def __exit__(self, *exc_info):
        self.language.__exit__(*exc_info)
        return self.atomic.__exit__(*exc_info)

    def rollback(self):
        transaction.set_rollback(True, using=self.database)

    def write(self, plans):
        """Write one batch of checked plans that change something."""
        self._create_partnerships(plans)
        _write_agreements(plans)
        _write_fields([p for p in plans if p.cooperation_fields is not None])
        _write_signatories([p for p in plans if p.signatories is not None])
        self.touched |= {p.agreement.partnership_id for p in plans}
        self.touched |= {p.old_partnership_id for p in plans} - {None}
        self.history.record_agreements(plans, self.lookups.fields_of)

    def finish(self):
        """Refresh the levels of the partnerships the import touched; record new ones."""
        for chunk in batched(sorted(self.touched), REFRESH_BATCH):
            partnership_refresh(partnership_ids=chunk)
        self.history.record_partnerships([p.pk for p in self.created_partnerships])
        content_changed(scheduled_at=None)  # bulk writes send no signals; no article

    def _create_partnerships(self, plans):
        new = {id(p.partnership): p.partnership for p in plans if p.partnership is not None}
        unsaved = [partnership for partnership in new.values() if partnership.pk is None]
        Partnership.objects.bulk_create(unsaved)
        self.created_partnerships += unsaved
        for plan in plans:
            if plan.partnership is not None:
                plan.agreement.partnership_id = plan.partnership.pk


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


def _write_agreements(plans):
    """Create and update the agreements; an UPDATE per set of changed columns and batch."""
    insert_instances(Agreement, [p.agreement for p in plans if p.is_new])
    by_columns = {}
    for plan in plans:
        if not plan.is_new and plan.changed_fields:
            by_columns.setdefault(tuple(sorted(plan.changed_fields)), []).append(plan.agreement)
    for columns, agreements in by_columns.items():
        update_rows(Agreement, columns, agreements)


def _write_fields(plans):
    through = Agreement.fields.through
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        through.objects.filter(agreement_id__in=chunk).delete()
    links = [
        (plan.agreement.pk, cooperation_field.pk)
        for plan in plans
        for cooperation_field in plan.cooperation_fields
    ]
    insert_rows(through, ("agreement_id", "cooperationfield_id"), links)


def _write_signatories(plans):
    """Replace the signatories of each plan; other participants are left as they are."""
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        Participation.objects.filter(agreement_id__in=chunk, role=SIGNATORY).delete()
    for plan in plans:
        for participation in plan.participations:
            participation.agreement_id = plan.agreement.pk
    new = [participation for plan in plans for participation in plan.participations]
    insert_instances(Participation, new)


__all__ = ["DatabaseError", "Writer", "refusal"]
