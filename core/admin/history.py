"""Revision history in the admin: each record's versions, a comparison of any two, revert and
recovery of deleted records (django-reversion).

Each app registers its own models with django-reversion, with the reverse relations their
versions carry along (its AppConfig.ready()); these views serve whatever is registered.
The history holds real changes only: a save that changes nothing (core.admin.changes) writes
no row, records no version and logs nothing.
"""

from django.contrib.admin.utils import display_for_field, quote, unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest, PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from modeltranslation.manager import get_translatable_fields_for_model
from reversion.admin import VersionAdmin
from reversion.models import Version
from reversion.revisions import _get_options, is_active, set_comment

EMPTY = "—"
# Stored values that read as nothing: a translation never filled in is NULL, an emptied one "".
NOTHING = (None, "", [])


# ---- Comparing two versions


def _shown_fields(model):
    """Return the fields a comparison lists: those people edit, each language of a translated
    field rather than its base; not what the record derives or keeps for itself (the rendered
    body, the time of the last save)."""
    translated = set(get_translatable_fields_for_model(model) or ())
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete
        and field.editable
        and not field.primary_key
        and field.name not in translated
    ]


def _display(field, value):
    """Return the readable form of one stored value."""
    if field.many_to_many:
        objects = field.related_model._default_manager.filter(pk__in=value or [])
        return ", ".join(sorted(str(o) for o in objects)) or EMPTY
    if field.is_relation:
        if value is None:
            return EMPTY
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return str(display_for_field(value, field, EMPTY)) if value not in (None, "") else EMPTY


def _values(version):
    """Return {field: stored value} of a version, many-to-many links as sorted primary keys."""
    deserialized = version._object_version
    values = {}
    for field in _shown_fields(version._model):
        if field.many_to_many:
            values[field] = sorted(deserialized.m2m_data.get(field.name, []), key=str)
        else:
            values[field] = getattr(deserialized.object, field.attname)
    return values


def _field_rows(old, new, prefix=""):
    """Return a row per field that differs between two versions (either may be None)."""
    version = old or new
    old_values = _values(old) if old else {}
    new_values = _values(new) if new else {}
    rows = []
    for field in _shown_fields(version._model):
        before, after = old_values.get(field), new_values.get(field)
        if before == after or (before in NOTHING and after in NOTHING):
            continue
        rows.append(
            {
                "label": prefix + capfirst(str(field.verbose_name)),
                "old": _display(field, before) if old else EMPTY,
                "new": _display(field, after) if new else EMPTY,
            }
        )
    return rows


def _children(version, relation_name):
    """Return {object id: version} of one followed relation's rows in the version's revision."""
    relation = version._model._meta.get_field(relation_name)
    child_model, fk = relation.related_model, relation.field
    content_type = ContentType.objects.get_for_model(child_model)
    versions = Version.objects.filter(revision_id=version.revision_id, content_type=content_type)
    return {
        v.object_id: v
        for v in versions
        if str(v.field_dict.get(fk.attname, v.field_dict.get(fk.name))) == version.object_id
    }


def version_compare(old, new):
    """Return the rows that differ between two versions of one record, inline rows included."""
    rows = _field_rows(old, new)
    for relation_name in _get_options(old._model).follow:
        before, after = _children(old, relation_name), _children(new, relation_name)
        verbose = old._model._meta.get_field(relation_name).related_model._meta.verbose_name
        for object_id in sorted(before.keys() | after.keys(), key=lambda k: (len(k), k)):
            child_old, child_new = before.get(object_id), after.get(object_id)
            name = (child_new or child_old).object_repr
            prefix = f"{capfirst(str(verbose))} “{name}”: "
            rows += _field_rows(child_old, child_new, prefix)
    return rows


def _versions_to_compare(versions, requested):
    """Return (old, new): the two requested versions of the record, else its latest two.

    Both are None when nothing is requested and the record has fewer than two versions.
    Raises BadRequest for an id that is not a number, Http404 for another record's version.
    """
    if not requested:
        latest = list(versions.order_by("-pk")[:2])
        return (latest[1], latest[0]) if len(latest) == 2 else (None, None)
    if not all(pk.isascii() and pk.isdigit() for pk in requested):
        raise BadRequest("A version id is not a number.")
    old, new = (get_object_or_404(versions, pk=pk) for pk in sorted(map(int, requested)))
    return old, new


# ---- The admin


class HistoryAdmin(VersionAdmin):
    """History, comparison of any two versions, revert and recovery of deleted records."""

    object_history_template = "admin/history/object_history.html"
    change_list_template = "admin/history/change_list.html"
    history_latest_first = True

    def reversion_register(self, model, **kwargs):
        # The admin is loaded before the apps' ready(), where each app registers its models
        # with their follows; registering here first, without follows, would lose them.
        pass

    # ---- Only real changes

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting writes the old version before the form is shown: saving the form unchanged
        # is the change, and must be recorded.
        request.history_reverting = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not hasattr(request, "history_reverting"):
            # Saved with its inlines, should one of them have changed (save_related).
            request.history_unsaved_record = obj
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        unsaved = getattr(request, "history_unsaved_record", None)
        if unsaved is not None and any(formset.has_changed() for formset in formsets):
            # A change to its parts is a change of the record: its version carries them.
            super().save_model(request, unsaved, form, change)
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if not message and not hasattr(request, "history_reverting"):
            return None  # nothing changed: nothing to log, no revision comment
        entry = super(VersionAdmin, self).log_change(request, obj, message)
        if is_active():
            # Stored as the log's own structured message, so that the history reads it in the
            # reader's language (Revision.get_comment), not in the language of the save.
            set_comment(entry.change_message)
        return entry

    def log_addition(self, request, obj, message):
        entry = super(VersionAdmin, self).log_addition(request, obj, message)
        if is_active():
            set_comment(entry.change_message)
        return entry

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name="{}_{}_compare".format(*info),
        )
        return [compare, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        # The model's own change list template (the agreements' import button) stays the base.
        opts = self.opts
        base = select_template(
            [
                f"admin/{opts.app_label}/{opts.model_name}/change_list.html",
                f"admin/{opts.app_label}/change_list.html",
                "admin/change_list.html",
            ]
        )
        context = {"history_base_template": base.template, **(extra_context or {})}
        return super().changelist_view(request, context)

    def history_view(self, request, object_id, extra_context=None):
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        versions = versions.select_related("revision__user").order_by("-pk")
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        action_list = [
            {
                "version": version,
                "revision": version.revision,
                "url": reverse("{}:{}_{}_revision".format(*info), args=(object_id, version.pk)),
            }
            for version in versions
        ]
        context = {
            "action_list": action_list,
            "compare_url": reverse("{}:{}_{}_compare".format(*info), args=(object_id,)),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        versions = Version.objects.get_for_object_reference(self.model, unquote(object_id))
        requested = request.GET.getlist("version")
        if requested and len(requested) != 2:
            # The history's check boxes let a person tick one or three: say so, do not guess.
            return self._compare_page(request, object_id, versions, None, None, pick_two=True)
        old, new = _versions_to_compare(versions, requested)
        return self._compare_page(request, object_id, versions, old, new)

    def _compare_page(self, request, object_id, versions, old, new, pick_two=False):
        latest = new or versions.order_by("-pk").first()
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Compare versions of %(name)s") % {"name": latest or ""},
            "object_id": object_id,
            "old": old,
            "new": new,
            "rows": version_compare(old, new) if old else [],
            "pick_two": pick_two,
            "history_url": reverse("{}:{}_{}_history".format(*info), args=(quote(object_id),)),
        }
        status = 400 if pick_two else 200
        return TemplateResponse(request, "admin/history/compare.html", context, status=status)
