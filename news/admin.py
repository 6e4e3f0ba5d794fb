import functools

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from core.admin.content import ContentAdmin
from core.admin.lists import LargeListMixin
from core.i18n import LANGUAGE_CODES, missing_in
from core.trigram import contains

from .admin_pending import PendingChangeAdminMixin
from .forms import ArticleAdminForm, confirm_field_name, language_name
from .images import article_make_renditions
from .models import Article, ChangeNote
from .publishing import can_publish, may_save, saved_publishing
from .rendering import removed_markup
from .translation_tracking import (
    CURRENT,
    MISSING,
    ORIGINAL,
    STALE,
    article_track_translations,
    stale_q,
    translation_state,
)

# What the change list and the change form say about each language of an article.
STATE_LABELS = {
    ORIGINAL: _("original"),
    CURRENT: _("translated"),
    STALE: _("out of date"),
    MISSING: _("missing"),
}
STATE_ICONS = {
    ORIGINAL: "admin/img/icon-changelink.svg",
    CURRENT: "admin/img/icon-yes.svg",
    STALE: "admin/img/icon-alert.svg",
    MISSING: "admin/img/icon-no.svg",
}


@functools.cache
def _icon_url(path, static_url):
    """Return static(path), once per static URL: the list shows three icons on each row,
    and static() asks the storage each time. `static_url` keys it to the settings."""
    return static(path)


def url_or_none(name, **kwargs):
    """Reverse a URL of the public site; None when that part of the site is not there."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


class TranslationFilter(admin.SimpleListFilter):
    title = _("translations")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        missing = [
            (f"missing-{code}", _("missing %(language)s") % {"language": language_name(code)})
            for code in LANGUAGE_CODES
        ]
        stale = [
            (f"stale-{code}", _("%(language)s out of date") % {"language": language_name(code)})
            for code in LANGUAGE_CODES
        ]
        return [*missing, *stale, ("stale", _("any translation out of date"))]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "stale":
            condition = Q()
            for code in LANGUAGE_CODES:
                condition |= stale_q(code)
            return queryset.filter(condition)
        kind, _sep, code = value.partition("-")
        if code not in LANGUAGE_CODES:
            return queryset
        if kind == "missing":
            return queryset.filter(missing_in("title", code))
        if kind == "stale":
            return queryset.filter(stale_q(code))
        return queryset


def _language_column(language):
    @admin.display(description=language_name(language))
    def column(self, article):
        state = translation_state(article, language)
        return format_html(
            '<span class="news-translation news-translation-{}"><img src="{}" alt=""> {}</span>',
            state,
            _icon_url(STATE_ICONS[state], settings.STATIC_URL),
            STATE_LABELS[state],
        )

    return column


def warn_removed_markup(request, article):
    """Tell the user what the sanitizer removed from each language's body."""
    for code, removed in removed_markup(article):
        messages.warning(
            request,
            _("Removed from the %(language)s body: %(removed)s.")
            % {"language": language_name(code), "removed": ", ".join(removed)},
        )


class ChangeNoteInline(TranslationTabularInline):
    """An article's public change notes: public once saved, so only a publisher writes them."""

    model = ChangeNote
    fields = ("date", "text")
    extra = 0
    verbose_name_plural = _("updates to this page: public notes of changes, newest first")

    def _may_write(self, request):
        return can_publish(request.user) and request.user.has_perm("news.change_article")

    def has_view_permission(self, request, obj=None):
        # Part of the article: whoever may see the article sees its notes.
        return request.user.has_perm("news.view_article") or self._may_write(request)

    def has_add_permission(self, request, obj):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)


# The columns of the articles' trigram index (migration 0004), in its order.
ARTICLE_SEARCHED = (*get_translation_fields("title"), "slug")


@admin.register(Article)
class ArticleAdmin(LargeListMixin, PendingChangeAdminMixin, ContentAdmin):
    form = ArticleAdminForm
    inlines = (ChangeNoteInline,)
    list_display = (
        "title",
        "status_label",
        "publish_at",
        "translation_en",
        "translation_ko",
        "translation_zh_hans",
        "links",
    )
    list_filter = (TranslationFilter, "status", "original_language")
    search_fields = ARTICLE_SEARCHED
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("partnerships", "regions", "fields")
    readonly_fields = ("links", "translation_overview")
    date_hierarchy = "publish_at"
    fieldsets = (
        (None, {"fields": ("original_language", "title", "slug", "summary", "body")}),
        (
            _("Image"),
            {
                "fields": ("hero_image", "image_alt", "image_caption"),
                "description": _("Alt text is required whenever an image is set."),
            },
        ),
        (
            _("Publishing"),
            {
                "fields": ("status", "publish_at", "links"),
                "description": _(
                    "A published article appears by itself once its publish time has passed. "
                    "Published without a publish time, it is published now."
                ),
            },
        ),
        (_("Linked to"), {"fields": ("partnerships", "regions", "fields")}),
    )

    class Media:
        # Named with what it builds on, so that the merged media keep it after them.
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/tabbed_translation_fields.js",
            "js/admin/translation_tabs.js",
        )
        css = {"all": ("css/admin/news.css",)}

    translation_en = _language_column("en")
    translation_ko = _language_column("ko")
    translation_zh_hans = _language_column("zh-hans")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            # Everything written in a new article is current: there is nothing to confirm yet.
            return fieldsets
        # The original as saved, not as in a form with errors: the form's fields must not move.
        states = getattr(obj, "saved_translation_states", {})
        original = next((c for c, s in states.items() if s == ORIGINAL), obj.original_language)
        confirm = [confirm_field_name(c) for c in LANGUAGE_CODES if c != original]
        translations = {
            "fields": ("translation_overview", *confirm),
            "description": _(
                "A translation is out of date when the title, summary or body in the original "
                "language changed after it was last saved. Saving changed text in a language, "
                "or ticking its box below, marks it as up to date."
            ),
        }
        return [*fieldsets, (_("Translations"), translations)]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = can_publish(request.user)
        form.saved_publishing = self._saved_publishing(request, obj)
        return form

    def _saved_publishing(self, request, obj):
        """Return the article's (status, publish time) before this request; None when new."""
        if hasattr(request, "article_saved_publishing"):
            return request.article_saved_publishing
        return saved_publishing(obj)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Reverting writes the old version before the form sees the article: measure what the
        # user may change against the article as it stands, not as the version had it.
        article = self.get_object(request, unquote(object_id))
        request.article_saved_publishing = self._saved_publishing(request, article)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # A recovered article is a new one: recovering a published article publishes it.
        request.article_saved_publishing = None
        return super().recover_view(request, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        if article is not None:
            # As saved: a form with errors changes the object in memory, not the translations.
            article.saved_translation_states = {
                code: translation_state(article, code) for code in LANGUAGE_CODES
            }
        return article

    def search_condition(self, term):
        return contains(ARTICLE_SEARCHED, term)

    def view_on_site(self, article):
        if not article.is_public():
            return None
        return url_or_none("news:article_detail", slug=article.slug)

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        scheduled = (
            article.status == Article.Status.PUBLISHED
            and article.publish_at is not None
            and article.publish_at > timezone.now()
        )
        if not scheduled:
            return article.get_status_display()
        return format_html(
            '<strong class="news-scheduled" title="{}">{}</strong>',
            _("Published, and appears by itself at its publish time."),
            _("scheduled"),
        )

    @admin.display(description=_("links"))
    def links(self, article):
        found = []
        if article.pk is not None:
            found.append((url_or_none("news:article_preview", pk=article.pk), _("preview")))
        if article.pk is not None and self.has_pending_change(article):
            preview = url_or_none("news:article_preview", pk=article.pk)
            found.append((preview and f"{preview}?pending=1", _("preview of the pending change")))
        if article.is_public():
            found.append((url_or_none("news:article_detail", slug=article.slug), _("public page")))
        found = [(url, label) for url, label in found if url]
        return format_html_join(" · ", '<a href="{}">{}</a>', found) or "—"

    @admin.display(description=_("state of each language"))
    def translation_overview(self, article):
        states = getattr(article, "saved_translation_states", None) or {
            code: translation_state(article, code) for code in LANGUAGE_CODES
        }
        return format_html_join(
            "",
            '<div class="news-translation news-translation-{}"><img src="{}" alt=""> {}: {}</div>',
            (
                (state, static(STATE_ICONS[state]), language_name(code), STATE_LABELS[state])
                for code, state in states.items()
            ),
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        states = getattr(obj, "saved_translation_states", {})
        context["stale_translations"] = [
            language_name(code) for code, state in states.items() if state == STALE
        ]
        if obj is not None and obj.pk is not None:
            context.update(self.pending_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        previous = Article.objects.get(pk=obj.pk) if change else None
        # The form refuses this with its reasons; this holds should any route skip the form.
        saved = self._saved_publishing(request, previous)
        if not may_save(request.user, saved=saved, status=obj.status, publish_at=obj.publish_at):
            raise PermissionDenied
        warn_removed_markup(request, obj)
        if previous is not None and self.holds_pending_change(request, previous):
            self.save_pending_change(request, obj, form)
            return
        article_track_translations(
            article=obj, previous=previous, confirmed_languages=form.confirmed_languages
        )
        super().save_model(request, obj, form, change)
        self.forget_pending_change(request, form)
        if "hero_image" in form.changed_data:
            # Made once the new image is stored; an image removed takes its renditions along.
            article_make_renditions(article=obj)
        if form.publish_time_defaulted:
            messages.info(
                request,
                _("The article had no publish time, so it was published now: %(time)s.")
                % {"time": formats.localize(timezone.localtime(obj.publish_at))},
            )
