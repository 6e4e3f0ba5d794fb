"""The article admin's side of pending changes (news.pending): saving, showing, publishing.

Someone who may not publish (news.publishing) who saves a published article, through the
change form or by reverting to an old version, saves a pending change instead; a publisher
sees it on the change form and on the dashboard, previews it, and publishes or discards it.
"""

import json
from contextlib import contextmanager

import reversion
from django.contrib import messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PENDING_FIELD
from .models import Article, ChangeNote, PendingChange
from .pending import (
    LINK_FIELDS,
    article_discard_pending_change,
    article_publish_pending_change,
    article_save_pending_change,
    pending_change_labels,
)
from .publishing import can_publish, may_discard_pending_change, saves_as_pending_change


def _restore(live, links, notes):
    """Put the article's row, links and change notes back as they were before a revert wrote
    over them."""
    fields = {
        f.attname: getattr(live, f.attname)
        for f in Article._meta.concrete_fields
        if not f.primary_key
    }
    Article.objects.filter(pk=live.pk).update(**fields)
    for name, ids in links.items():
        getattr(live, name).set(ids)
    ChangeNote.objects.filter(article=live).exclude(pk__in=[note.pk for note in notes]).delete()
    for note in notes:
        note.save()  # a note the revert deleted comes back with its id


def _change_message_text(message):
    """Return the admin's change message (a list of changes, or text) as one line of text."""
    if isinstance(message, list):
        message = json.dumps(message)
    return LogEntry(change_message=message).get_change_message()


class PendingChangeAdminMixin:
    """Pending changes in ArticleAdmin, which provides _saved_publishing()."""

    def holds_pending_change(self, request, stored):
        """Return True if the user's save of the stored article must become a pending change."""
        saved = self._saved_publishing(request, stored)
        return saves_as_pending_change(request.user, saved=saved)

    def get_queryset(self, request):
        # For the change list's links column, without a query per row.
        pending = PendingChange.objects.filter(article=OuterRef("pk"))
        return super().get_queryset(request).annotate(pending_exists=Exists(pending))

    def has_pending_change(self, article):
        """Return True if the article has a pending change; runs a query unless annotated."""
        if hasattr(article, "pending_exists"):
            return article.pending_exists
        return PendingChange.objects.filter(article_id=article.pk).exists()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        urls = [
            path(
                f"<path:object_id>/pending/{action}/",
                self.admin_site.admin_view(view),
                name="{}_{}_pending_{}".format(*info, action),
            )
            for action, view in (
                ("publish", self.publish_pending_view),
                ("discard", self.discard_pending_view),
            )
        ]
        return [*urls, *super().get_urls()]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.holds_pending = obj is not None and self.holds_pending_change(request, obj)
        form.pending_change = (
            PendingChange.objects.filter(article_id=obj.pk).first() if obj is not None else None
        )
        # Someone who cannot publish continues from the pending change, except in a revert.
        form.shows_pending = not can_publish(request.user) and not hasattr(
            request, "article_live_row"
        )
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.holds_pending_change(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": (*options["fields"], PENDING_FIELD)}), *rest]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting writes the old version to the row before the form is shown or saved: a
        # revert that becomes a pending change puts the row back as it was.
        live = Article.objects.filter(pk=unquote(object_id)).first()
        if live is not None:
            request.article_live_row = live
            request.article_live_links = {
                name: list(getattr(live, name).values_list("pk", flat=True))
                for name in LINK_FIELDS
            }
            request.article_live_notes = list(live.change_notes.all())
        return super().revision_view(request, object_id, version_id, extra_context)

    def save_pending_change(self, request, article, form):
        """Save the form's article as its pending change, leaving the article as it is."""
        if hasattr(request, "article_live_row"):
            _restore(
                request.article_live_row, request.article_live_links, request.article_live_notes
            )
        links = {
            name: [linked.pk for linked in form.cleaned_data[name]]
            for name in LINK_FIELDS
            if name in form.cleaned_data
        }
        pending = article_save_pending_change(
            article=article,
            author=request.user,
            links=links,
            confirmed_languages=form.confirmed_languages,
        )
        request.article_pending_change = pending
        if pending is None and form.pending_change is None:
            return  # nothing was pending and nothing changed: nothing to log
        request.article_pending_comment = (
            _("Saved a pending change; the public page is unchanged.")
            if pending
            else _("Withdrew the pending change: the text is the same as the published one.")
        )

    def forget_pending_change(self, request, form):
        """Delete the pending change that the user's form started from and has now saved."""
        if form.shows_pending and form.pending_change is not None:
            form.pending_change.delete()

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "article_pending_change"):
            # The links are in the pending change, not on the article; and the change notes,
            # read-only to the editor, have nothing to save (news.admin.ChangeNoteInline).
            for formset in formsets:
                formset.save(commit=False)  # lists its changes for the log, and saves nothing
            return
        super().save_related(request, form, formsets, change)

    def log_change(self, request, obj, message):
        if hasattr(request, "article_pending_comment"):
            said = f"{request.article_pending_comment} {_change_message_text(message)}"
            request.article_pending_comment = message = said.strip()
        return super().log_change(request, obj, message)

    @contextmanager
    def create_revision(self, request):
        with super().create_revision(request):
            yield
            # Last, over the revert view's "Reverted to previous version": the article's row
            # did not change.
            if hasattr(request, "article_pending_comment"):
                reversion.set_comment(request.article_pending_comment)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if hasattr(request, "article_pending_change") and level == messages.SUCCESS:
            message = (
                _(
                    "Your changes are saved as a pending change. The public keeps seeing the "
                    "published text until a publisher publishes them."
                )
                if request.article_pending_change
                else _("Your text is the same as the published article's: nothing to publish.")
            )
        super().message_user(request, message, level, *args, **kwargs)

    def pending_context(self, request, article):
        """Return what the change form says about the article's pending change."""
        pending = PendingChange.objects.select_related("author").filter(article=article).first()
        if pending is None:
            return {}
        return {
            "pending_change": pending,
            "pending_labels": pending_change_labels(pending),
            "pending_publish_url": can_publish(request.user)
            and self._url("pending_publish", article),
            "pending_discard_url": may_discard_pending_change(request.user, pending)
            and self._url("pending_discard", article),
        }

    # ---- Publishing and discarding

    def _url(self, action, article):
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name, action
        return reverse("{}:{}_{}_{}".format(*info), args=(quote(article.pk),))

    def _pending_article(self, request, object_id):
        article = get_object_or_404(Article, pk=unquote(object_id))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    @method_decorator(require_POST)
    def publish_pending_view(self, request, object_id):
        article = self._pending_article(request, object_id)
        if not can_publish(request.user):
            raise PermissionDenied
        try:
            article_publish_pending_change(article=article, user=request.user)
        except PendingChange.DoesNotExist:
            messages.warning(request, _("This article has no pending change any more."))
        except ValidationError as error:
            reason = " ".join(error.messages)
            messages.error(
                request,
                _("The pending change cannot be published: %(reason)s") % {"reason": reason},
            )
        else:
            self.log_change(request, article, _("Published the pending change."))
            messages.success(request, _("The pending change is published."))
        return HttpResponseRedirect(self._url("change", article))

    @method_decorator(require_POST)
    def discard_pending_view(self, request, object_id):
        article = self._pending_article(request, object_id)
        pending = PendingChange.objects.filter(article=article).first()
        if pending is None:
            messages.warning(request, _("This article has no pending change any more."))
        elif not may_discard_pending_change(request.user, pending):
            raise PermissionDenied
        else:
            article_discard_pending_change(article=article, user=request.user)
            self.log_change(request, article, _("Discarded the pending change."))
            messages.success(request, _("The pending change is discarded."))
        return HttpResponseRedirect(self._url("change", article))
