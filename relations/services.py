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

from itertools import groupby
from operator import attrgetter

from django.db import transaction

from core.bulk import instances_of, plain_queryset
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
# Partnerships per refresh, for the caller that refreshes them all: bounds the query's list.
REFRESH_BATCH = 5000


# What a partnership's derived fields are made of; read for thousands of agreements at once.
REFRESH_FIELDS = ("id", "partnership_id", "kind", "status", "signed_on", "signed_on_precision")


@transaction.atomic
def partnership_refresh(*, partnership_ids):
    """Recompute the stored level, beginning and agreement count of the given partnerships.

    Runs one query for the agreements, read in the order of their partnership as a stream
    (one partnership's at a time in memory, and the table read once however many are
    given), and one UPDATE for those of the partnerships that changed (one per 1,000):
    each UPDATE of a partnership runs the search index's trigger once (portal.search),
    which costs more than the row, so an import that changes thousands of partnerships
    does not run it thousands of times.
    """
    partnerships = {
        p.pk: p
        for p in Partnership.objects.filter(pk__in=set(partnership_ids)).select_for_update()
    }
    # Each partnership's in the agreements' own order, as one partnership's were read before.
    queryset = Agreement.objects.filter(partnership_id__in=list(partnerships)).order_by(
        "partnership_id", *Agreement._meta.ordering
    )
    values = plain_queryset(queryset).values_list(*REFRESH_FIELDS).iterator(chunk_size=5000)
    agreements = instances_of(Agreement, REFRESH_FIELDS, values, queryset.db)
    changed, left = [], dict(partnerships)
    for pk, group in groupby(agreements, key=attrgetter("partnership_id")):
        if _apply(left.pop(pk), list(group)):
            changed.append(partnerships[pk])
    changed += [partnership for partnership in left.values() if _apply(partnership, [])]
    update_rows(Partnership, DERIVED, changed, using=queryset.db)


def _apply(partnership, agreements):
    """Set the partnership's derived fields from its agreements; return True if one changed."""
    history = partnership_level_history(agreements=agreements)
    level = history[-1].sets_level if history else ""
    dated = sorted((a for a in agreements if a.signed_on), key=lambda a: a.signed_on)
    began_on = dated[0].signed_on if dated else None
    precision = dated[0].signed_on_precision if dated else Precision.DAY
    derived = dict(zip(DERIVED, (level, began_on, precision, len(agreements)), strict=True))
    changed = any(getattr(partnership, name) != value for name, value in derived.items())
    for name, value in derived.items():
        setattr(partnership, name, value)
    return changed


def partnership_refresh_all():
    """Recompute every partnership, in batches (after bulk loads that skip signals)."""
    ids = list(Partnership.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), REFRESH_BATCH):
        partnership_refresh(partnership_ids=ids[start : start + REFRESH_BATCH])


__all__ = ["Level", "partnership_level_history", "partnership_refresh", "partnership_refresh_all"]
