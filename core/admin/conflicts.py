"""Optimistic locking for the admin's change forms: a second save never overwrites the first.

The change form carries, in a hidden field, the record as it was stored when the form was
opened: the values of the form's own fields (every language of a translated field, the ids of
a many-to-many field) and the rows of its inlines, signed so that it cannot be altered. On
save, the form compares them with the record as stored now. When someone else saved in
between, the form is not saved: it comes back with the other person's changes listed, the
user's own input still in the fields, and the hidden field brought up to date, so that saving
again, after merging, succeeds.
"""

import datetime

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import router, transaction
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from reversion import is_registered
from reversion.models import Version

from .changes import HiddenCheckField

TOKEN_FIELD = "edit_conflict_token"
# The module's name before it moved here: a form opened before an upgrade still checks.
SALT = "portal.admin_conflicts"
SHOWN_LENGTH = 80


def _form_model_fields(model, names, *, skip=()):
    """Return the model fields among a form's field names: what saving that form writes."""
    found = []
    for name in names:
        if name in skip:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a form-only field, such as this one
        if field.concrete or field.many_to_many:
            found.append(field)
    return found


def _stored_value(field, obj):
    """Return the field's stored value as JSON: a string or a list of ids."""
    if field.many_to_many:
        return sorted(str(related.pk) for related in field.value_from_object(obj))
    if field.value_from_object(obj) is None:
        # The same to a person as an empty string: a translation never filled in is NULL, and
        # an empty one saved by a form is "".
        return ""
    return field.value_to_string(obj)


def _shown(field, value):
    """Return a stored value as a person reads it: choice labels, names of related records."""
    if value in (None, "", []):
        return _("(empty)")
    if field.many_to_many or field.many_to_one:
        related = field.related_model._base_manager.filter(
            pk__in=value if field.many_to_many else [value]
        )
        text = ", ".join(sorted(str(record) for record in related)) or str(value)
    elif field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif field.get_internal_type() == "BooleanField":
        text = _("yes") if value == "True" else _("no")
    elif field.get_internal_type() == "DateTimeField":
        text = _when(field.to_python(value))
    elif field.get_internal_type() == "DateField":
        text = formats.date_format(field.to_python(value), "DATE_FORMAT")
    else:
        text = value
    return Truncator(text).chars(SHOWN_LENGTH)


def _row_label(row):
    return Truncator(str(row)).chars(SHOWN_LENGTH)


class _Part:
    """One inline of a change form: its title, the fields its forms write and its rows."""

    def __init__(self, formset, inline, obj, request):
        self.prefix = formset.get_default_prefix()
        self.title = capfirst(
            inline.verbose_name_plural or formset.model._meta.verbose_name_plural
        )
        skip = (formset.fk.name, formset.model._meta.pk.name)
        self.fields = _form_model_fields(formset.model, formset.form.base_fields, skip=skip)
        related = [field.name for field in self.fields if field.many_to_one]
        self.rows = (
            inline.get_queryset(request)
            .filter(**{formset.fk.name: obj})
            .select_related(formset.fk.name, *related)
            .order_by("pk")
        )

    def state(self):
        return {
            str(row.pk): {
                "label": _row_label(row),
                "values": {field.name: _stored_value(field, row) for field in self.fields},
            }
            for row in self.rows
        }

    def field(self, name):
        return next((field for field in self.fields if field.name == name), None)


class EditConflictForm(forms.Form):
    """A change form that refuses to save over changes stored since it was opened.

    Mixed into the admin's form class by EditConflictMixin, which sets `conflict_admin` and
    `conflict_request` on each form class that it builds.
    """

    conflict_admin = None
    conflict_request = None

    edit_conflict_token = HiddenCheckField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self._watches_conflicts():
            opened_at = timezone.now()
            record = self._stored_record()
            if record is not None:  # else deleted a moment ago: saving will say so
                state = self._state(record, self._parts(record))
                self.initial[TOKEN_FIELD] = self._token(state, opened_at=opened_at)

    def clean(self):
        cleaned_data = super().clean()
        token = self.data.get(TOKEN_FIELD) if self._watches_conflicts() else None
        if token:  # a form without one (a script's POST) has nothing to compare with
            self._check_conflict(token)
        return cleaned_data

    def _watches_conflicts(self):
        instance = getattr(self, "instance", None)
        return self.conflict_admin is not None and instance is not None and instance.pk is not None

    # ---- The record as stored

    def _stored_record(self, *, lock=False):
        """Return the record as stored now, locked until the end of the transaction if asked."""
        model = type(self.instance)
        records = model._base_manager.filter(pk=self.instance.pk)
        if lock and transaction.get_connection(router.db_for_write(model)).in_atomic_block:
            # Two saves of one record wait for each other: the second one compares with what
            # the first one stored, never with what it is about to store.
            records = records.select_for_update()
        return records.first()

    def _fields(self, record):
        return _form_model_fields(type(record), self.fields)

    def _parts(self, record):
        formsets = self.conflict_admin.get_formsets_with_inlines(self.conflict_request, record)
        parts = [
            _Part(formset, inline, record, self.conflict_request) for formset, inline in formsets
        ]
        return [
            part for part in parts if part.fields
        ]  # read-only inlines are nobody's to overwrite

    def _state(self, record, parts):
        return {
            "fields": {field.name: _stored_value(field, record) for field in self._fields(record)},
            "inlines": {part.prefix: part.state() for part in parts},
        }

    def _token(self, state, *, opened_at):
        opened = {"opened": opened_at.isoformat(), "state": state}
        return signing.dumps(opened, salt=SALT, compress=True)

    # ---- The check on save

    def _check_conflict(self, token):
        record = self._stored_record(lock=True)
        if record is None:
            self.add_error(None, _("This record was deleted while you were editing it."))
            return
        parts = self._parts(record)
        current = self._state(record, parts)
        try:
            opened = signing.loads(token, salt=SALT)
            opened_at = datetime.datetime.fromisoformat(opened["opened"])
            opened_state = opened["state"]
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self._refuse(
                [
                    _(
                        "This form could not be checked against the stored record. Compare your "
                        "input with the record as it is now, then save again."
                    )
                ],
                current,
            )
            return
        if _comparable(opened_state) == _comparable(current):
            return
        messages = [
            self._headline(record, opened_at),
            *self._changes(record, parts, opened_state, current),
        ]
        self._refuse(messages, current)

    def _refuse(self, messages, current):
        """Keep the form from saving; let saving it again, after merging, succeed."""
        self.add_error(None, ValidationError(messages))
        self.data = self.data.copy()
        self.data[TOKEN_FIELD] = self._token(current, opened_at=timezone.now())

    def _headline(self, record, opened_at):
        user, changed_at = _last_change(record, since=opened_at)
        keep = _(
            "Nothing you entered has been saved yet and it is still in the fields below: "
            "compare it with these changes, then save again."
        )
        if changed_at is None:
            said = _("Someone changed this record while you were editing it.")
        elif user is None:
            said = _("This record was changed at %(time)s, while you were editing it.")
        elif user == self.conflict_request.user:
            said = _(
                "You changed this record in another window at %(time)s, while you were "
                "editing it here."
            )
        else:
            said = _("%(user)s changed this record at %(time)s, while you were editing it.")
        values = {
            "time": _when(changed_at),
            "user": user and (user.get_full_name() or user.get_username()),
        }
        return f"{said % values if changed_at else said} {keep}"

    def _changes(self, record, parts, opened, current):
        lines = []
        for field in self._fields(record):
            old, new = opened.get("fields", {}).get(field.name), current["fields"][field.name]
            if old != new:
                lines.append(_change_line(self._label(field), field, old, new))
        for part in parts:
            lines.extend(
                _row_changes(
                    part,
                    opened.get("inlines", {}).get(part.prefix, {}),
                    current["inlines"][part.prefix],
                )
            )
        return [line for line in lines if line]

    def _label(self, field):
        form_field = self.fields.get(field.name)
        return capfirst(
            form_field.label if form_field and form_field.label else field.verbose_name
        )


def _comparable(state):
    """Return a state without its row labels, which only name rows for people."""
    inlines = {
        prefix: {pk: row["values"] for pk, row in rows.items()}
        for prefix, rows in state.get("inlines", {}).items()
    }
    return {"fields": state.get("fields", {}), "inlines": inlines}


def _change_line(label, field, old, new):
    """Return how a value changed, or None when it reads the same (seconds of a time)."""
    shown_old, shown_new = _shown(field, old), _shown(field, new)
    if shown_old == shown_new:
        return None
    return _("%(field)s: “%(old)s” → “%(new)s”") % {
        "field": label,
        "old": shown_old,
        "new": shown_new,
    }


def _row_changes(part, opened_rows, current_rows):
    lines = []
    for pk, row in current_rows.items():
        if pk not in opened_rows:
            lines.append(
                _("%(inline)s: added “%(row)s”") % {"inline": part.title, "row": row["label"]}
            )
            continue
        before = opened_rows[pk]["values"]
        for name, new in row["values"].items():
            old, field = before.get(name), part.field(name)
            if old != new:
                label = f"{part.title}, “{row['label']}”, {capfirst(field.verbose_name)}"
                lines.append(_change_line(label, field, old, new))
    for pk, row in opened_rows.items():
        if pk not in current_rows:
            lines.append(
                _("%(inline)s: removed “%(row)s”") % {"inline": part.title, "row": row["label"]}
            )
    return lines


def _last_change(record, *, since):
    """Return who last changed the record since the given time and when, from the admin's log
    or, for changes made elsewhere (imports, scripts), from its revision history."""
    content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
    entry = (
        LogEntry.objects.filter(
            content_type=content_type, object_id=str(record.pk), action_time__gte=since
        )
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        return entry.user, entry.action_time
    if is_registered(type(record)):
        version = (
            Version.objects.get_for_object(record)
            .filter(revision__date_created__gte=since)
            .select_related("revision__user")
            .first()
        )
        if version is not None:
            return version.revision.user, version.revision.date_created
    return None, None


def _when(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else ""


class EditConflictMixin:
    """Keep two staff who edit the same record from overwriting each other's changes."""

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # A declared field of the admin's form class, so that fieldsets may name it.
        self.form = type(self.form.__name__, (EditConflictForm, self.form), {})

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # modelform_factory made this class for this request alone.
        form.conflict_admin = self
        form.conflict_request = request
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, dict(options)) for name, options in super().get_fieldsets(request, obj)
        ]
        names = [name for _name, options in fieldsets for name in _flatten(options["fields"])]
        wanted = obj is not None and self.has_change_permission(request, obj)
        if TOKEN_FIELD in names and not wanted:
            # A record shown read-only is not saved; a read-only hidden field has no label.
            for _name, options in fieldsets:
                options["fields"] = [f for f in options["fields"] if f != TOKEN_FIELD]
        elif wanted and TOKEN_FIELD not in names and fieldsets:
            first = fieldsets[0][1]
            first["fields"] = [*first["fields"], TOKEN_FIELD]
        return fieldsets


def _flatten(fields):
    for field in fields:
        if isinstance(field, list | tuple):
            yield from field
        else:
            yield field
