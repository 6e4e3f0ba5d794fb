"""The import's history: a revision of django-reversion per agreement it writes, in bulk.

What django-reversion would record for `reversion.add_to_revision(agreement)`: a Version of
the agreement and one of each of its participations (apps.py follows them), serialized as
Django's JSON serializer does, to the character (tests/relations/test_import_write.py).
Built a batch at a time, from the plans about to be written and the participations of
updated agreements as the batch read them (lookups.py), and written with the batch's other
statements (write.py): reversion itself keeps every version of a revision in memory until
the revision ends, and serializes each instance through Django's serializer (15 s of a 25 s
import of 5,000 rows).

One revision per agreement, with the comment "CSV import" and the importing user: opening an
old version in the history reverts its whole revision for the form, so an import's revision
must hold one agreement, not the whole file. A partnership the import creates gets its own.
"""

import datetime
import json
from json.encoder import encode_basestring

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router
from django.db.models import Field
from django.utils import timezone
from django.utils.encoding import is_protected_type
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reversion.models import Revision, Version

from core.bulk import InstanceBuilder, TranslatedValues
from core.bulk_write import copy_escape, insert_instances, insert_rows

from ..models import Agreement, Participation, Partnership
from .lookups import SIGNATORY

REVISION_COLUMNS = ("id", "date_created", "comment", "user_id")
VERSION_COLUMNS = (
    "revision_id",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
    "content_type_id",
)


def _json(value):
    """Return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)."""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


# The JSON of the values a model's fields hold, by their exact type, as json.dumps() with
# DjangoJSONEncoder writes them; any other type goes through json.dumps() itself.
_JSON_OF_TYPE = {
    str: encode_basestring,
    int: int.__repr__,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
    datetime.date: lambda value: f'"{value.isoformat()}"',
}


def _json_value(value):
    encode = _JSON_OF_TYPE.get(type(value))
    return encode(value) if encode is not None else _json(value)


class _Serializer:
    """Django's JSON serializer for one model, without its work per call.

    The text is the one `serializers.serialize("json", [instance])` writes: each value
    encoded as json.dumps() encodes it, joined with its separators.
    """

    def __init__(self, model):
        meta = model._meta.concrete_model._meta
        self.head = f'[{{"model": {encode_basestring(str(model._meta))}, "pk": '
        fields = [field for field in meta.local_fields if field.serialize]
        self.many = [
            field.name
            for field in meta.local_many_to_many
            if field.serialize and field.remote_field.through._meta.auto_created
        ]
        self.translated = TranslatedValues.of(model)
        # Each field as django.core.serializers.python reads it: the value when it is of a
        # protected type (numbers, dates, None), or a text its value_to_string() gives as
        # it is ("plain"), else value_to_string().
        self.columns = [
            (
                field,
                f"{encode_basestring(field.name)}: ",
                field.attname,
                field.attname in self.translated,
                type(field).value_to_string is Field.value_to_string,
            )
            for field in fields
        ]
        self.many_keys = [(name, f"{encode_basestring(name)}: ") for name in self.many]

    def __call__(self, instance, language, many=None):
        """Return the JSON of the instance; `many` gives {field name: [related ids]}."""
        translated, values = self.translated, instance.__dict__
        parts = []
        for field, key, attname, is_translated, plain in self.columns:
            if is_translated:
                value = translated.get(instance, attname, language)
            else:
                value = values[attname]
            encode = _JSON_OF_TYPE.get(type(value))
            if encode is None or (not plain and type(value) is str):
                if not (plain and isinstance(value, str)) and not is_protected_type(value):
                    value = field.value_to_string(instance)
                parts.append(key + _json_value(value))
            else:  # a value of a protected type, or a text as it is: written as it is
                parts.append(key + encode(value))
        for name, key in self.many_keys:
            ids = (many or {}).get(name, [])
            parts.append(key + "[" + ", ".join([_json_value(pk) for pk in ids]) + "]")
        return f'{self.head}{_json_value(instance.pk)}, "fields": {{{", ".join(parts)}}}}}]'


class History:
    """Record the agreements an import writes, a revision each, in bulk."""

    def __init__(self, *, user, lookups):
        self.user_id = getattr(user, "pk", None)
        self.comment = _("CSV import")
        self.lookups = lookups
        self.people = lookups.person_by_id
        self.database = router.db_for_write(Agreement)
        self.types = {
            model: content_type.pk
            for model, content_type in ContentType.objects.get_for_models(
                Agreement, Participation, Partnership
            ).items()
        }
        self.agreement_json = _Serializer(Agreement)
        self.titles = TranslatedValues.of(Agreement)
        self.participation_json = _Serializer(Participation)
        self.new_revision = InstanceBuilder(Revision, comment=self.comment)
        self.date_created = Revision._meta.get_field("date_created")
        self.repr_of = {}  # (person id, role): a participation's string

    def new_revisions(self, count):
        """Return `count` unsaved revisions, made now by the importing user."""
        now = timezone.now()
        return [self.new_revision(date_created=now, user_id=self.user_id) for _n in range(count)]

    def record_agreements(self, plans, statements, revision_ids=None):
        """Record the agreements of the plans as they are written, with their
        participations, a revision each; `statements` writes the revisions and the versions
        (write.py). `revision_ids` are the revisions' ids, taken from their sequence
        (core.bulk_write.allocate_ids); without them, the revisions are inserted first, and get
        their ids from the database."""
        language = get_language()
        if revision_ids is None:
            revisions = self.new_revisions(len(plans))
            statements.insert_instances(Revision, revisions)
            revision_ids = [revision.pk for revision in revisions]
        else:
            now = self.date_created.get_db_prep_save(timezone.now(), statements.connection)
            rows = [(pk, now, self.comment, self.user_id) for pk in revision_ids]
            statements.insert_rows(Revision, REVISION_COLUMNS, rows)
        fields_of, stored = self.lookups.fields_of, self.lookups.participations_of
        rows = []
        for plan, revision in zip(plans, revision_ids, strict=True):
            agreement = plan.agreement
            if plan.cooperation_fields is not None:
                field_ids = [field.pk for field in plan.cooperation_fields]
            else:
                field_ids = fields_of.get(agreement.pk, ())
            data = self.agreement_json(agreement, language, {"fields": sorted(field_ids)})
            rows.append(self._row(revision, agreement, data, self._title(agreement, language)))
            for participation in _participations(plan, stored):
                data = self.participation_json(participation, language)
                rows.append(self._row(revision, participation, data, self._repr(participation)))
        statements.insert_rows(Version, VERSION_COLUMNS, rows, line=_version_line)

    def record_partnerships(self, ids):
        """Record partnerships the import created, through Django's own serializer."""
        partnerships = list(Partnership.objects.filter(pk__in=ids).order_by("pk"))
        revisions = self.new_revisions(len(partnerships))
        insert_instances(Revision, revisions, using=self.database)
        rows = [
            self._row(revision.pk, p, serializers.serialize("json", [p]), str(p))
            for p, revision in zip(partnerships, revisions, strict=True)
        ]
        insert_rows(Version, VERSION_COLUMNS, rows, using=self.database)

    def _title(self, agreement, language):
        """Return str(agreement), its title (relations.models.agreements; a test holds the
        two together), as the serializer has just read it."""
        return self.titles.get(agreement, "title", language)

    def _repr(self, participation):
        """Return str(participation), computed once per person and role, which are what it
        names (relations.models.people; a test holds the two together): its
        get_role_display() costs more than the rest of its version."""
        key = (participation.person_id, participation.role)
        if key not in self.repr_of:
            person = self.people.get(participation.person_id)
            Participation.person.field.set_cached_value(participation, person)
            self.repr_of[key] = str(participation)
        return self.repr_of[key]

    def _row(self, revision_id, instance, data, text):
        """Return a Version's values, in the order of VERSION_COLUMNS."""
        content_type = self.types[type(instance)]
        return (revision_id, str(instance.pk), self.database, "json", data, text, content_type)


def _version_line(row):
    """Return core.bulk_write.copy_line(row) for a row of VERSION_COLUMNS: ids and texts."""
    revision_id, object_id, database, form, data, text, content_type = row
    return (
        f"{revision_id}\t{copy_escape(object_id)}\t{copy_escape(database)}\t{copy_escape(form)}"
        f"\t{copy_escape(data)}\t{copy_escape(text)}\t{content_type}\n"
    )


def _participations(plan, stored):
    """Return the participations of the plan's agreement once it is written: a new
    agreement's signatories; an updated one's participations as the batch read them, with
    its new signatories in place of the old when they change."""
    if plan.is_new:
        return plan.participations
    before = stored.get(plan.agreement.pk, ())
    if plan.signatories is None:
        return before
    return [p for p in before if p.role != SIGNATORY] + plan.participations
