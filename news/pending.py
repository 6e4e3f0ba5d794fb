"""Pending changes: edits to a published article by staff who may not publish.

Such an edit does not touch the article. It is kept as the article's one PendingChange: the
content fields and links that differ from the article as it is, and the translations the
editor confirmed. The public keeps seeing the article until a publisher publishes the change
(article_publish_pending_change) or discards it. Each of these writes a revision of the
article to its history; the revision of a saved pending change holds the article as it still
is, so that no version of the article carries text that was never published.
"""

from collections.abc import Iterable

import reversion
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from core.i18n import LANGUAGE_CODES, text_in

from .models import Article, PendingChange
from .rendering import render_markdown
from .translation_tracking import article_track_translations

TRANSLATED_FIELDS = ("title", "summary", "body", "image_alt", "image_caption")
# What a pending change may hold. Never the status or publish time (a publisher's decision)
# nor the hero image (an upload would be public at once): the form refuses those.
CONTENT_FIELDS = (
    "original_language",
    "slug",
    *(build_localized_fieldname(f, code) for f in TRANSLATED_FIELDS for code in LANGUAGE_CODES),
)
LINK_FIELDS = ("partnerships", "regions", "fields")


def _value(article, name):
    return getattr(article, name) or ""


def _stored_links(article):
    return {
        name: sorted(getattr(article, name).values_list("pk", flat=True)) for name in LINK_FIELDS
    }


def _author_name(user):
    if user is None:
        return _("a deleted user")
    return user.get_full_name() or user.get_username()


def _changes(*, article, links, confirmed_languages):
    """Return what differs between the article in memory (with `links`) and the stored row.

    Runs queries: the stored row and its links.
    """
    stored = Article.objects.get(pk=article.pk)
    stored_links = _stored_links(stored)
    fields = {
        name: _value(article, name)
        for name in CONTENT_FIELDS
        if _value(article, name) != _value(stored, name)
    }
    changed_links = {
        name: sorted(int(pk) for pk in ids)
        for name, ids in links.items()
        if sorted(int(pk) for pk in ids) != stored_links[name]
    }
    # Only a confirmation of an out-of-date translation changes anything.
    confirmed = sorted(code for code in confirmed_languages if stored.is_translation_stale(code))
    return {"fields": fields, "links": changed_links, "confirmed": confirmed}


def article_save_pending_change(
    *,
    article: Article,
    author: AbstractBaseUser,
    links: dict[str, Iterable[int]],
    confirmed_languages: Iterable[str] = (),
) -> PendingChange | None:
    """Keep the changes made to `article` in memory as its pending change; the row is untouched.

    Replaces the article's earlier pending change, which the editor's form started from. When
    nothing differs from the article as it is, the pending change is discarded; returns None.
    """
    data = _changes(article=article, links=links, confirmed_languages=confirmed_languages)
    if not any(data.values()):
        article_discard_pending_change(article=article, user=author)
        return None
    with reversion.create_revision():
        reversion.set_user(author)
        reversion.set_comment(_("Saved a pending change; the public page is unchanged."))
        pending, _created = PendingChange.objects.update_or_create(
            article_id=article.pk, defaults={"data": data, "author": author}
        )
        # The article as it is: its history must not show the pending text as published.
        reversion.add_to_revision(Article.objects.get(pk=article.pk))
    return pending


def article_apply_pending_change(*, article: Article, pending_change: PendingChange) -> dict:
    """Put the pending change's content on the article in memory, bodies rendered; do not save.

    Return the article's links as they would be, {field name: queryset}. Runs a query per link.
    """
    for name, value in pending_change.data.get("fields", {}).items():
        if name in CONTENT_FIELDS:
            setattr(article, name, value)
    for code in LANGUAGE_CODES:
        body = text_in(article, "body", code)
        setattr(article, build_localized_fieldname("body_html", code), render_markdown(body))
    changed = pending_change.data.get("links", {})
    links = {}
    for name in LINK_FIELDS:
        model = Article._meta.get_field(name).related_model
        # Linked records deleted since the change was saved are left out.
        links[name] = (
            model._default_manager.filter(pk__in=changed[name])
            if name in changed
            else getattr(article, name).all()
        )
    return links


def article_publish_pending_change(*, article: Article, user: AbstractBaseUser) -> Article:
    """Apply the article's pending change to the article and delete the pending change.

    Raises PendingChange.DoesNotExist when there is none, and ValidationError when the change
    can no longer be applied (its new slug has been taken since).
    """
    with transaction.atomic(), reversion.create_revision():
        pending = PendingChange.objects.select_for_update(of=("self",)).select_related("author")
        pending = pending.get(article=article)
        previous = Article.objects.get(pk=article.pk)
        links = article_apply_pending_change(article=article, pending_change=pending)
        article.validate_unique()
        article_track_translations(
            article=article,
            previous=previous,
            confirmed_languages=pending.data.get("confirmed", ()),
        )
        reversion.set_user(user)
        reversion.set_comment(
            _("Published the pending change by %(author)s.")
            % {"author": _author_name(pending.author)}
        )
        article.save()
        for name in pending.data.get("links", {}):
            getattr(article, name).set(list(links[name]))
        pending.delete()
    return article


def article_discard_pending_change(*, article: Article, user: AbstractBaseUser) -> bool:
    """Delete the article's pending change; return False when it had none."""
    with transaction.atomic(), reversion.create_revision():
        pending = PendingChange.objects.select_for_update(of=("self",)).select_related("author")
        pending = pending.filter(article_id=article.pk).first()
        if pending is None:
            return False
        reversion.set_user(user)
        reversion.set_comment(
            _("Discarded the pending change by %(author)s.")
            % {"author": _author_name(pending.author)}
        )
        pending.delete()
        reversion.add_to_revision(Article.objects.get(pk=article.pk))
    return True


def pending_change_initial(pending_change: PendingChange) -> dict:
    """Return a change form's initial values that show the pending change's content."""
    data = pending_change.data
    initial = dict(data.get("fields", {}))
    initial.update(data.get("links", {}))
    for code in data.get("confirmed", ()):
        initial[build_localized_fieldname("confirm", code)] = True
    return initial


def pending_change_labels(pending_change: PendingChange) -> list[str]:
    """Return the names, as people read them, of what the pending change changes."""
    labels = []
    for name in [*pending_change.data.get("fields", {}), *pending_change.data.get("links", {})]:
        field = Article._meta.get_field(name)
        language = getattr(field, "language", None)
        base = Article._meta.get_field(field.translated_field.name) if language else field
        label = capfirst(str(base.verbose_name))
        if language:
            label = f"{label} ({get_language_info(language)['name_translated']})"
        labels.append(label)
    for code in pending_change.data.get("confirmed", ()):
        language = get_language_info(code)["name_translated"]
        labels.append(_("%(language)s translation checked") % {"language": language})
    return labels
