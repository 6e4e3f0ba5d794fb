"""Writes that carry a rule: a partnership's level, beginning and number of agreements follow
from its agreements.

partnership_refresh() is the one place that stores them. It is called from one place per kind
of write:

- every save or delete of one agreement, and a raw save of a partnership: relations.signals
  (admin forms and inlines, deletes, seed_demo, the shell, and a revert or recovery in the
  history, which puts rows back with raw saves);
- bulk writes, which send no signals, call it themselves once they are done: the CSV import
  (relations.importing) and generate_sample_data (partnership_refresh_all).
"""

import datetime

from django.db import transaction
from django.db.models import CharField, Count, Max, Min, Q, Value
from django.db.models.functions import Cast, Concat

from core.bulk_write import update_rows
from core.partial_dates import Precision

from .models import Agreement, Level, Partnership


def partnership_level_history(*, agreements):
    """Return the agreements that first raised the level, in date order.

    `agreements` is an iterable of one partnership's agreements; terminated ones do not count.
    """
    counted = [a for a in agreements if a.status != Agreement.Status.TERMINATED]
    counted.sort(key=lambda a: (a.signed.sort_key(), a.pk))
    history, highest = [], 0
    for agreement in counted:
        rank = Level(agreement.sets_level).rank
        if rank > highest:
            history.append(agreement)
            highest = rank
    return history


DERIVED = ("level", "began_on", "began_on_precision", "agreement_count")


# A partnership's derived fields when it has no agreement.
NO_AGREEMENTS = ("", None, Precision.DAY, 0)


@transaction.atomic
def partnership_refresh(*, partnership_ids):
    """Recompute the stored level, beginning and agreement count of the given partnerships.

    Runs one query that sums up their agreements and one UPDATE for those of the
    partnerships that changed (one per 1,000): each UPDATE of a partnership runs the search
    index's trigger once (portal.search), which costs more than the row, so an import that
    changes thousands of partnerships does not run it thousands of times.
    """
    ids = set(partnership_ids)
    derived = _derived_fields(ids)
    partnerships = Partnership.objects.filter(pk__in=ids).select_for_update()
    changed = [p for p in partnerships if _apply(p, derived.get(p.pk, NO_AGREEMENTS))]
    update_rows(Partnership, DERIVED, changed, using=partnerships.db)


def _derived_fields(ids):
    """Return {partnership id: its DERIVED values} for those of them with agreements.

    The database sums them up, as partnership_level_history() would read them: the level is
    the highest that an agreement still counting sets, and the beginning the earliest date
    signed. The date and its precision are taken as one text, "YYYY-MM-DD day", so that of
    two agreements signed the same day the finer precision is taken ("day" < "month" < "year").
    """
    first_signed = Concat(Cast("signed_on", CharField()), Value(" "), "signed_on_precision")
    rows = (
        Agreement.objects.filter(partnership_id__in=ids)
        .order_by()
        .values("partnership_id")
        .annotate(
            rank=Max(Agreement.level_rank(), filter=Agreement.counts_for_level()),
            first=Min(first_signed, filter=Q(signed_on__isnull=False)),
            count=Count("pk"),
        )
        .values_list("partnership_id", "rank", "first", "count")
    )
    levels = {level.rank: level for level in Level}
    derived = {}
    for partnership_id, rank, first, count in rows:
        began_on, precision = NO_AGREEMENTS[1:3]
        if first:
            date, precision = first.split()
            began_on = datetime.date.fromisoformat(date)
        derived[partnership_id] = (levels.get(rank, ""), began_on, precision, count)
    return derived


def _apply(partnership, derived):
    """Set the partnership's derived fields to these values; return True if one changed."""
    values = dict(zip(DERIVED, derived, strict=True))
    changed = any(getattr(partnership, name) != value for name, value in values.items())
    for name, value in values.items():
        setattr(partnership, name, value)
    return changed


def partnership_refresh_all():
    """Recompute every partnership, in batches (after bulk loads that skip signals)."""
    ids = list(Partnership.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        partnership_refresh(partnership_ids=ids[start : start + 500])


__all__ = ["Level", "partnership_level_history", "partnership_refresh", "partnership_refresh_all"]
