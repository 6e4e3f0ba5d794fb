"""Records that are parts of another (an agreement's participations, a working group's members
and meetings): deleted in bulk with the whole, yet every delete of them is announced.

A receiver of post_delete would make Django load and delete every part one by one whenever
the whole is deleted, which is the whole's change anyway. So a part model sends no delete
signal of Django's: its instance's delete() and its querysets' delete() send `parts_deleted`
instead, once per call, after the rows are gone. A cascade from the whole sends nothing.
"""

from django.db import models
from django.dispatch import Signal

from .choices import QuickDisplay

# Sent with sender=the part model, after a delete() removed rows of it.
parts_deleted = Signal()


class PartQuerySet(models.QuerySet):
    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            parts_deleted.send(sender=self.model)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True


class Part(QuickDisplay, models.Model):
    objects = PartQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, using=None, keep_parents=False):
        deleted = super().delete(using=using, keep_parents=keep_parents)
        parts_deleted.send(sender=type(self))
        return deleted
