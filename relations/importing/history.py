"""The import's history: a revision of django-reversion per agreement it writes, in bulk.

What django-reversion would record for `reversion.add_to_revision(agreement)`: a Version of
the agreement and one of each of its participations (apps.py follows them), serialized as
Django's JSON serializer does. Written a batch at a time, from the plans just written (and
the participations of updated agreements as stored): reversion itself keeps every version
of a revision in memory until the revision ends, and serializes each instance through
Django's serializer (15 s of a 25 s import of 5,000 rows).

One revision per agreement, with the comment "CSV import" and the importing user: opening an
old version in the history reverts its whole revision for the form, so an import's revision
must hold one agreement, not the whole file. A partnership the import creates gets its own.
"""

import json

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

from core.batching import batched
from core.bulk import (
    InstanceBuilder,
    TranslatedValues,
    insert_instances,
    insert_rows,
    light_instances,
)

from ..models import Agreement, Participation, Partnership

LOOKUP_BATCH = 1000  # agreements per query
VERSION_COLUMNS = (
    "revision_id",
    "object_id",
    "db",
    "format",
    "serialized_data",
    "object_repr",
    "content_type_id",
)


class _Serializer:
    """Django's JSON serializer for one model, without its work per call."""

    def __init__(self, model):
        meta = model._meta.concrete_model._meta
        self.label = str(model._meta)
        self.fields = [field for field in meta.local_fields if field.serialize]
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
                field.name,
                field.attname,
                type(field).value_to_string is Field.value_to_string,
            )
            for field in self.fields
        ]

    def __call__(self, instance, language, many=None):
        """Return the JSON of the instance; `many` gives {field name: [related ids]}."""
        translated, values = self.translated, {}
        for field, name, attname, plain in self.columns:
            if attname in translated:
                value = translated.get(instance, attname, language)
            else:
                value = instance.__dict__[attname]
            if not (plain and isinstance(value, str)) and not is_protected_type(value):
                value = field.value_to_string(instance)
            values[name] = value
        values.update((name, (many or {}).get(name, [])) for name in self.many)
        data = [{"model": self.label, "pk": instance.pk, "fields": values}]
        return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


class History:
    """Record the agreements an import writes, a revision each, in bulk."""

    def __init__(self, *, user, lookups):
        self.user_id = getattr(user, "pk", None)
        self.comment = _("CSV import")
        self.people = lookups.person_by_id
        self.database = router.db_for_write(Agreement)
        self.types = ContentType.objects.get_for_models(Agreement, Participation, Partnership)
        self.agreement_json = _Serializer(Agreement)
        self.participation_json = _Serializer(Participation)
        self.new_revision = InstanceBuilder(Revision, comment=self.comment)
        self.repr_of = {}  # (person id, role): a participation's string

    def record_agreements(self, plans, fields_of):
        """Record the agreements of the plans as they are now written, with their
        participations; `fields_of` gives the field ids of those whose fields did not change.
        Runs a query per LOOKUP_BATCH updated agreements, then one INSERT and a COPY."""
        language = get_language()
        stored = self._participations([plan.agreement.pk for plan in plans if not plan.is_new])
        revisions = self._revisions(len(plans))
        rows = []
        for plan, revision in zip(plans, revisions, strict=True):
            agreement = plan.agreement
            if plan.cooperation_fields is not None:
                field_ids = [field.pk for field in plan.cooperation_fields]
            else:
                field_ids = fields_of.get(agreement.pk, ())
            data = self.agreement_json(agreement, language, {"fields": sorted(field_ids)})
            rows.append(self._row(revision, agreement, data, str(agreement)))
            for participation in plan.participations if plan.is_new else stored[agreement.pk]:
                data = self.participation_json(participation, language)
                rows.append(self._row(revision, participation, data, self._repr(participation)))
        insert_rows(Version, VERSION_COLUMNS, rows, using=self.database)

    def _participations(self, agreement_ids):
        """Return {agreement id: [its participations]}, read as they are stored now."""
        found = {pk: [] for pk in agreement_ids}
        for chunk in batched(agreement_ids, LOOKUP_BATCH):
            for participation in light_instances(
                Participation.objects.filter(agreement__in=chunk)
            ):
                found[participation.agreement_id].append(participation)
        return found

    def record_partnerships(self, ids):
        """Record partnerships the import created, through Django's own serializer."""
        partnerships = list(Partnership.objects.filter(pk__in=ids).order_by("pk"))
        revisions = self._revisions(len(partnerships))
        rows = [
            self._row(revision, p, serializers.serialize("json", [p]), str(p))
            for p, revision in zip(partnerships, revisions, strict=True)
        ]
        insert_rows(Version, VERSION_COLUMNS, rows, using=self.database)

    def _revisions(self, count):
        now = timezone.now()
        revisions = [
            self.new_revision(date_created=now, user_id=self.user_id) for _number in range(count)
        ]
        insert_instances(Revision, revisions, using=self.database)
        return revisions

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

    def _row(self, revision, instance, data, text):
        """Return a Version's values, in the order of VERSION_COLUMNS."""
        content_type = self.types[type(instance)].pk
        return (revision.pk, str(instance.pk), self.database, "json", data, text, content_type)
