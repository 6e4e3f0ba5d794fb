"""Keep each partnership's derived level in step with its agreements, row by row.

Signals, not admin hooks: every write of one row (admin forms and inlines, deletes through the
admin, seed_demo, the shell) must keep the stored level true. Raw saves count too: a revert or
recovery in the history (django-reversion) puts rows back with them.
"""

from django.db.models.signals import post_delete, post_init, post_save, pre_save
from django.dispatch import receiver

from .models import Agreement, Partnership
from .services import partnership_refresh


@receiver(post_init, sender=Agreement)
def remember_partnership(sender, instance, **kwargs):
    instance._loaded_partnership_id = instance.partnership_id


@receiver(pre_save, sender=Agreement)
def remember_stored_partnership(sender, instance, raw=False, **kwargs):
    if raw:
        # A reverted agreement was built from its version, not loaded: the partnership it
        # leaves (and whose level may drop) is known only to the database.
        stored = Agreement.objects.filter(pk=instance.pk).values_list("partnership_id", flat=True)
        instance._loaded_partnership_id = stored.first()


@receiver(post_save, sender=Agreement)
@receiver(post_delete, sender=Agreement)
def refresh_partnership(sender, instance, **kwargs):
    ids = {instance.partnership_id, instance._loaded_partnership_id} - {None}
    partnership_refresh(partnership_ids=ids)
    instance._loaded_partnership_id = instance.partnership_id


@receiver(post_save, sender=Partnership)
def refresh_restored_partnership(sender, instance, raw=False, **kwargs):
    if raw:
        # A reverted partnership comes back with the level stored in its version, which its
        # agreements as they are now may contradict.
        partnership_refresh(partnership_ids=[instance.pk])
