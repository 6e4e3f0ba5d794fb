"""Many rows of translated models at once, without modeltranslation's work per row.

modeltranslation makes each model instance and each row of values() cost more than the
database does: its __init__ rewrites every keyword and looks up each translation field's
default in each language, and its values_list() builds a dict per row to apply fallbacks.
Code that writes or reads tens of thousands of rows (the sample data, the CSV export, the
import) goes around both with the helpers here; core.bulk_write writes the rows.
"""

import operator

from django.db.models import FileField
from django.db.models.base import ModelState
from modeltranslation.fields import NONE, TranslationFieldDescriptor
from modeltranslation.thread_context import fallbacks_enabled
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, resolution_order
from modeltranslation.utils import get_language as mt_get_language

from core.i18n import LANGUAGE_CODES


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


def light_instances(queryset, fields=None):
    """Yield the queryset's rows as instances made by an InstanceBuilder, from plain values.

    Each is marked as loaded from the database, with every concrete field read, or only
    the attributes named in `fields` (the others then hold their defaults, not what is
    stored). No signal is sent. For reading and checking many rows; runs one query.
    """
    names = light_names(queryset.model, fields)
    yield from instances_of(
        queryset.model, names, plain_queryset(queryset).values_list(*names), queryset.db
    )


def light_names(model, fields=None):
    """Return the attributes light_instances() reads: `fields`, or every concrete field."""
    return list(fields or (field.attname for field in model._meta.concrete_fields))


def instances_of(model, names, rows, database):
    """Yield light_instances() of rows of values already read, each of the attributes
    `names` (light_names()), from the database `database`."""
    template = InstanceBuilder(model).attributes
    for values in rows:
        instance = model.__new__(model)
        attributes = template.copy()
        attributes.update(zip(names, values, strict=True))
        attributes["_state"] = state = ModelState()
        state.adding, state.db = False, database
        instance.__dict__ = attributes
        yield instance


class TranslatedValues:
    """A translated field's own attribute (`title`) of many instances, as modeltranslation's
    descriptor reads it, computed once per language and set of texts.

    The descriptor looks up the language and its fallbacks on every read, which costs more
    than the rest of a row's work when tens of thousands of rows are checked and recorded.
    """

    LIMIT = 10_000  # values kept; past it they are forgotten (a file's titles are unique)
    _of = {}

    @classmethod
    def of(cls, model):
        """Return the model's one TranslatedValues, shared by its readers in this process."""
        if model not in cls._of:
            cls._of[model] = cls(model)
        return cls._of[model]

    def __init__(self, model):
        try:
            names = translator.get_options_for_model(model).all_fields
        except NotRegistered:
            names = ()
        self.localized = {
            name: [build_localized_fieldname(name, code) for code in LANGUAGE_CODES]
            for name in names
        }
        # Each field's texts in every language, from an instance's __dict__, in one call.
        self.texts_of = {
            name: operator.itemgetter(*fields) for name, fields in self.localized.items()
        }
        self.descriptors = {name: _descriptor(model, name) for name in self.localized}
        self.orders = {}  # (name, language, fallbacks on): [localized attribute names]
        self.model, self.values = model, {}

    def __contains__(self, name):
        return name in self.localized

    def get(self, instance, name, language):
        """Return getattr(instance, name) for a translated field; `language` must be the
        active language."""
        values = instance.__dict__
        try:
            key = (name, language, self.texts_of[name](values))
        except KeyError:  # a text that was not loaded (deferred)
            key = (name, language, tuple(values.get(field) for field in self.localized[name]))
        try:
            return self.values[key]
        except KeyError:
            if len(self.values) >= self.LIMIT:
                self.values.clear()
            value = self.values[key] = self._read(instance, name, language)
            return value

    def _read(self, instance, name, language):
        """Return getattr(instance, name): what modeltranslation's descriptor returns, the
        first text that means something in its order of languages, with that order found
        once per language rather than on every read."""
        descriptor = self.descriptors.get(name)
        if descriptor is None:
            return getattr(instance, name)
        key = (name, language, fallbacks_enabled())
        order = self.orders.get(key)
        if order is None:
            languages = resolution_order(mt_get_language(), descriptor.fallback_languages)
            order = self.orders[key] = [
                build_localized_fieldname(name, code) for code in languages
            ]
        default = undefined = descriptor.fallback_undefined
        if undefined is NONE:
            default = undefined = descriptor.field.get_default()
        values = instance.__dict__
        for attname in order:
            if attname not in values:  # deferred: the descriptor would load it
                return getattr(instance, name)
            value = values[attname]
            if value is not None and value != undefined:
                return value
        if fallbacks_enabled() and descriptor.fallback_value is not NONE:
            return descriptor.fallback_value
        return descriptor.field.get_default() if default is NONE else default


def _descriptor(model, name):
    """Return modeltranslation's descriptor of the field, unless it is a file's (whose
    values the descriptor treats apart), or None."""
    for klass in model.__mro__:
        if name in klass.__dict__:
            found = klass.__dict__[name]
            if isinstance(found, TranslationFieldDescriptor) and not isinstance(
                found.field, FileField
            ):
                return found
            return None
    return None
