"""Writing the plans: one transaction, in batches, as one revision of the history; then the
levels of the partnerships the import touched."""

import logging

import reversion
from django.conf import settings
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.batching import batched
from core.bulk import InstanceBuilder

from ..models import Agreement, Participation, Partnership
from ..services import partnership_refresh
from .lookups import LOOKUP_BATCH, SIGNATORY
from .report import Problem

BATCH_SIZE = 500

logger = logging.getLogger(__name__)


def write_or_report(plans, lookups, user, report):
    """Write the plans; should the database still refuse them, report it, not raise.

    The checks leave nothing for the database to refuse but a change made by someone else
    since they ran, such as an agreement created under the same id.
    """
    try:
        write(plans, lookups, user)
    except DatabaseError as error:
        logger.warning("The CSV import was refused by the database: %s", error)
        report.errors.append(
            Problem(
                None,
                "",
                _(
                    "The database refused the import, so nothing was written: %(error)s. "
                    "Upload the file again to check it against the data as it is now."
                )
                % {"error": " ".join(str(error).split()).rstrip(".")},
            )
        )
    else:
        report.written = True


def write(plans, lookups, user):
    """Write every plan in one transaction, in batches, as one revision of the history."""
    with (
        transaction.atomic(),
        translation.override(settings.LANGUAGE_CODE),
        reversion.create_revision(),
    ):
        reversion.set_comment(_("CSV import"))
        if user is not None:
            reversion.set_user(user)
        new_partnerships = [
            partnership for partnership, _lines in lookups.new_partnerships.values()
        ]
        Partnership.objects.bulk_create(new_partnerships)
        for plan in plans:
            if plan.partnership is not None:
                plan.agreement.partnership_id = plan.partnership.pk
        _write_agreements(plans)
        _write_fields([p for p in plans if p.cooperation_fields is not None])
        _write_signatories([p for p in plans if p.signatories is not None])
        touched = {p.agreement.partnership_id for p in plans} | {
            p.old_partnership_id for p in plans
        }
        for chunk in batched(touched - {None}, BATCH_SIZE):
            partnership_refresh(partnership_ids=chunk)
        _add_to_revision(plans, new_partnerships)


def _add_to_revision(plans, new_partnerships):
    """Record the written rows: bulk writes send no signals for reversion to catch."""
    for partnership in new_partnerships:
        reversion.add_to_revision(partnership)
    for chunk in batched([p.agreement.pk for p in plans], BATCH_SIZE):
        agreements = Agreement.objects.filter(pk__in=chunk).prefetch_related(
            "participations__person", "fields"
        )
        for agreement in agreements:
            reversion.add_to_revision(agreement)


def _write_agreements(plans):
    """Create and update the agreements; those with an id of their own go in first.

    PostgreSQL's sequence does not see explicit ids, so it is reset before the agreements
    that take the next id go in.
    """
    with_id = [p.agreement for p in plans if p.is_new and p.agreement.pk is not None]
    without_id = [p.agreement for p in plans if p.is_new and p.agreement.pk is None]
    if with_id:
        Agreement.objects.bulk_create(with_id, batch_size=BATCH_SIZE)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Agreement]):
                cursor.execute(sql)
    Agreement.objects.bulk_create(without_id, batch_size=BATCH_SIZE)
    updated = [p for p in plans if not p.is_new and p.changed_fields]
    fields = set().union(*(p.changed_fields for p in updated))
    if updated:
        Agreement.objects.bulk_update(
            [p.agreement for p in updated], sorted(fields), batch_size=BATCH_SIZE
        )


def _write_fields(plans):
    through = Agreement.fields.through
    new_link = InstanceBuilder(through)
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        through.objects.filter(agreement_id__in=chunk).delete()
    through.objects.bulk_create(
        [
            new_link(agreement_id=plan.agreement.pk, cooperationfield_id=cooperation_field.pk)
            for plan in plans
            for cooperation_field in plan.cooperation_fields
        ],
        batch_size=BATCH_SIZE,
    )


def _write_signatories(plans):
    """Replace the signatories of each plan; other participants are left as they are."""
    for chunk in batched([p.agreement.pk for p in plans if not p.is_new], LOOKUP_BATCH):
        Participation.objects.filter(agreement_id__in=chunk, role=SIGNATORY).delete()
    for plan in plans:
        for participation in plan.participations:
            participation.agreement_id = plan.agreement.pk
    Participation.objects.bulk_create(
        [participation for plan in plans for participation in plan.participations],
        batch_size=BATCH_SIZE,
    )
