from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from core.choices import QuickDisplay
from core.i18n import LANGUAGE_CODES, available_languages, text_in, translated
from core.indexes import OrderIndex, YearsFromIndexQuerySet
from relations.models import CooperationField, Partnership, Region

from .rendering import render_markdown
from .translation_tracking import is_stale


class ArticleQuerySet(YearsFromIndexQuerySet):
    def public(self, now=None):
        """Published articles whose publish time has passed: the one rule of what is public."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def listed(self):
        """The articles of the news list and of its feed, in every language: the public ones,
        newest first. One not written in the visitor's language is shown in the first it is
        written in (core.i18n.translated)."""
        return self.public().order_by(*self.model._meta.ordering)


class Article(QuickDisplay, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        REVIEW = "review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    # The body rendered to sanitized HTML when the article is saved, per language.
    body_html = models.TextField(editable=False, blank=True)
    original_language = models.CharField(
        _("original language"),
        max_length=7,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the article was first written in."),
    )
    hero_image = models.ImageField(_("hero image"), upload_to="news/", blank=True)
    # Widths of the hero image's renditions, mapped to their storage names; made once.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_alt = models.CharField(
        _("image alt text"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    image_caption = models.CharField(_("image caption"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("A published article appears by itself once this time has passed."),
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), blank=True, related_name="articles"
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("regions"), blank=True, related_name="articles"
    )
    fields = models.ManyToManyField(
        CooperationField,
        verbose_name=_("cooperation fields"),
        blank=True,
        related_name="articles",
    )
    # Translations never go stale unnoticed (news.translation_tracking): `original_revision`
    # counts changes to the text in the original language; `revision_<lang>` is the original
    # revision that a language's text was last saved against.
    original_revision = models.PositiveIntegerField(default=1, editable=False)
    revision_en = models.PositiveIntegerField(null=True, blank=True, editable=False)
    revision_ko = models.PositiveIntegerField(null=True, blank=True, editable=False)
    revision_zh_hans = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = (models.F("publish_at").desc(nulls_last=True), "-pk")
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Publishing is a role of its own: an editor writes and submits, a publisher decides
        # (news.publishing).
        permissions = [
            ("publish_article", _("Can publish, schedule, unpublish and archive articles")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="news_article_published_has_time",
                violation_error_message=_("A published article needs a publish time."),
            ),
        ]
        indexes = [
            # Article.objects.public() in the news list's order (Meta.ordering): a page at
            # any depth, and the count, read the index rather than sort the articles.
            OrderIndex(
                "status",
                models.F("publish_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="news_article_public",
            ),
            # The admin's list of every article, in the same order.
            OrderIndex(
                models.F("publish_at").desc(nulls_last=True),
                models.F("id").desc(),
                name="news_article_newest",
            ),
        ]
        # A trigram index on the titles and slug for the admin's search, PostgreSQL only:
        # migration 0004 and news.admin.ArticleAdmin.

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for code in LANGUAGE_CODES:
            body = text_in(self, "body", code)
            setattr(self, build_localized_fieldname("body_html", code), render_markdown(body))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article_detail", kwargs={"slug": self.slug})

    def has_language(self, language):
        """Return True if the article is written in the language: it has a title in it."""
        return bool(text_in(self, "title", language))

    def available_languages(self):
        return available_languages(self, "title")

    def is_translation_stale(self, language):
        """Return True if the language's text predates the latest change to the original."""
        return is_stale(self, language)

    def is_public(self, now=None):
        """Return True if the article is publicly accessible."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= (now or timezone.now())
        )


class ChangeNote(models.Model):
    """A dated public note of a change to an article, as GOV.UK's "updates to this page".

    Shown under the article, newest first; the newest dates the article's feed entry.
    """

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="change_notes",
        verbose_name=_("article"),
    )
    date = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("The day the change was made.")
    )
    text = models.CharField(
        _("note"),
        max_length=500,
        help_text=_("What changed, for readers: “Corrected the date of the signing.”"),
    )

    class Meta:
        ordering = ("-date", "-pk")
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")

    def __str__(self):
        return Truncator(translated(self, "text").text).chars(60)

    def clean(self):
        if not available_languages(self, "text"):
            first = build_localized_fieldname("text", LANGUAGE_CODES[0])
            raise ValidationError({first: _("Write the note in at least one language.")})


class PendingChange(models.Model):
    """A change to a published article by someone who may not publish, kept for a publisher.

    The public keeps seeing the article as it is until a publisher publishes the change
    (news.pending). `data` holds the changed article's content fields and links.
    """

    article = models.OneToOneField(
        Article,
        on_delete=models.CASCADE,
        related_name="pending_change",
        verbose_name=_("article"),
    )
    data = models.JSONField(_("changed content"), default=dict, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Who last saved the pending change."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("updated_at",)
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")

    def __str__(self):
        return _("Pending change to “%(article)s”") % {"article": self.article}

    def get_absolute_url(self):
        return reverse("news:article_preview", kwargs={"pk": self.article_id}) + "?pending=1"
