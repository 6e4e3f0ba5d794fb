"""Many rows of translated models at once, without modeltranslation's work per row.

modeltranslation makes each model instance and each row of values() cost more than the
database does: its __init__ rewrites every keyword and looks up each translation field's
default in each language, and its values_list() builds a dict per row to apply fallbacks.
Code that writes or reads tens of thousands of rows (the sample data, the CSV export, the
import) goes around both with the two helpers here.
"""

from django.db.models.base import ModelState


class InstanceBuilder:
    """Make unsaved instances of a model, for bulk_create, without running __init__ for each.

    One template instance is made the ordinary way; each call copies its attributes and sets
    the given values, by attribute name (`partnership_id`, `title_en` ...). No signal is
    sent (bulk_create sends none either) and `save()` is not meant to be called on them.
    """

    def __init__(self, model, **template):
        self.model = model
        self.attributes = {k: v for k, v in model(**template).__dict__.items() if k != "_state"}

    def __call__(self, **values):
        instance = self.model.__new__(self.model)
        instance.__dict__.update(self.attributes, **values)
        instance._state = ModelState()
        return instance


def plain_queryset(queryset):
    """Return the queryset without modeltranslation's rewriting of values() and values_list().

    The columns are then read as named (`title_en`); apply a fallback in SQL where one is
    needed (core.i18n.fallback_sql).
    """
    rewrite = getattr(queryset, "rewrite", None)
    return rewrite(False) if rewrite else queryset
