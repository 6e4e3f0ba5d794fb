"""Keep each partnership's derived level in step with its agreements.

Signals, not admin hooks: every write path (admin forms, inlines, bulk deletes through the
admin, imports, the shell) must keep the stored level true.
"""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from .models import Agreement
from .services import partnership_refresh


@receiver(post_init, sender=Agreement)
def remember_partnership(sender, instance, **kwargs):
    instance._loaded_partnership_id = instance.partnership_id


@receiver(post_save, sender=Agreement)
@receiver(post_delete, sender=Agreement)
def refresh_partnership(sender, instance, raw=False, **kwargs):
    if raw:
        return
    ids = {instance.partnership_id, instance._loaded_partnership_id} - {None}
    partnership_refresh(partnership_ids=ids)
    instance._loaded_partnership_id = instance.partnership_id
