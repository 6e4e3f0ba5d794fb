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

from django.db import transaction

from core.bulk import light_instances
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


@transaction.atomic
def partnership_refresh(*, partnership_ids):
    """Recompute the stored level, beginning and agreement count of the given partnerships.

    Runs one query for the agreements and one UPDATE for those of the partnerships that
    changed (one per 1,000): each UPDATE of a partnership runs the search index's trigger
    once (portal.search), which costs more than the row, so an import that changes
    thousands of partnerships does not run it thousands of times.
    """
    ids = set(partnership_ids)
    agreements_of = {pk: [] for pk in ids}
    for agreement in light_instances(
        Agreement.objects.filter(partnership_id__in=ids),
        ("id", "partnership_id", "kind", "status", "signed_on", "signed_on_precision"),
    ):
        agreements_of[agreement.partnership_id].append(agreement)
    partnerships = Partnership.objects.filter(pk__in=ids).select_for_update()
    changed = [p for p in partnerships if _apply(p, agreements_of[p.pk])]
    update_rows(Partnership, DERIVED, changed, using=partnerships.db)


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
    for start in range(0, len(ids), 500):
        partnership_refresh(partnership_ids=ids[start : start + 500])


__all__ = ["Level", "partnership_level_history", "partnership_refresh", "partnership_refresh_all"]
