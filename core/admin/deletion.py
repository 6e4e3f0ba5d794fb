"""Refuse to delete a record that others depend on, and say which records those are."""

from django.contrib import messages
from django.db.models import PROTECT, RESTRICT
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _


def _protecting_relations(model):
    """Reverse relations whose records keep a row from being deleted.

    PROTECT and RESTRICT foreign keys, which Django enforces itself, and many-to-many links,
    which deleting the row would silently remove.
    """
    return [
        relation
        for relation in model._meta.related_objects
        if relation.many_to_many or getattr(relation, "on_delete", None) in (PROTECT, RESTRICT)
    ]


def dependents_of(obj):
    """Return (relation, queryset) pairs of the records that depend on obj; runs queries."""
    found = []
    for relation in _protecting_relations(type(obj)):
        queryset = getattr(obj, relation.get_accessor_name()).all()
        if queryset.exists():
            found.append((relation, queryset))
    return found


class DeletionProtectionMixin:
    """Refuse deletions that would remove records' links to the deleted ones.

    Django already refuses to delete a row that a PROTECT foreign key points at; this adds
    the records that link to it through a many-to-many field (a cooperation field used by
    agreements, a partnership that articles link to), which Django would unlink without a
    word, and says in a message what depends on each record. It covers the delete view and
    the "delete selected" action, which both ask get_deleted_objects().
    """

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for obj in objs:
            dependents = dependents_of(obj)
            if not dependents:
                continue
            for relation, queryset in dependents:
                if relation.many_to_many:
                    protected.extend(self._describe(request, linked) for linked in queryset)
            messages.error(request, self._refusal(obj, dependents))
        return deleted, model_count, perms_needed, protected

    def _refusal(self, obj, dependents):
        counts = ", ".join(
            f"{capfirst(relation.related_model._meta.verbose_name_plural)}: {queryset.count()}"
            for relation, queryset in dependents
        )
        return _(
            "The %(kind)s “%(object)s” cannot be deleted because other records depend on "
            "it (%(dependents)s). Remove or change those records first; they are listed below."
        ) % {"kind": type(obj)._meta.verbose_name, "object": obj, "dependents": counts}

    def _describe(self, request, obj):
        """Name a record the way Django's delete confirmation does, linked when allowed."""
        opts = obj._meta
        label = capfirst(opts.verbose_name)
        model_admin = self.admin_site._registry.get(type(obj))
        if model_admin is None or not model_admin.has_view_or_change_permission(request, obj):
            return f"{label}: {obj}"
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=[obj.pk],
            )
        except NoReverseMatch:
            return f"{label}: {obj}"
        return format_html('{}: <a href="{}">{}</a>', label, url, obj)
