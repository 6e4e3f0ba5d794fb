"""The search's own copy of the searched text: one row per record, one table per kind.

A table per kind, not one for all, so that PostgreSQL keeps statistics per kind: the planner
then knows that "Gyeonggi" is in nearly every article and in no agreement, and reads each
table the cheaper way (its trigram index for a rare text, in order for a common one).

The rows are written by database triggers (portal.search.triggers), never by Python code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import backends


class SearchTextQuerySet(models.QuerySet):
    def containing(self, query):
        """Rows whose text contains the normalized query, case aside as icontains does."""
        pairs = self.model.pairs_through_index
        return self.filter(backends.Contains(models.F("text"), query, pairs_through_index=pairs))


class SearchText(models.Model):
    # The record's primary key; no foreign key, so that deleting a record in the admin
    # lists nothing of ours among what goes with it (the triggers delete the row).
    record_id = models.BigIntegerField(primary_key=True)
    # The searched fields in every language, joined by a line break, in capitals, as
    # backends.search_text() makes it.
    text = models.TextField()

    objects = SearchTextQuerySet.as_manager()

    # Whether a query of two letters or digits goes through the trigram index
    # (backends.pair_pattern): worth it in a table of many records; one of a few thousand is
    # read whole in less time than the expression takes.
    pairs_through_index = False
    # Whether PostgreSQL plans the hits' ids as if all were read (search.Kind.hit_ids).
    plan_every_hit = False

    class Meta:
        abstract = True
        ordering = ("record_id",)

    def __str__(self):
        return f"{self._meta.verbose_name} {self.record_id}"


class ArticleSearchText(SearchText):
    pairs_through_index = True
    # Told that only the first 201 hits are read, the planner reads the articles in order,
    # expecting to meet them early, where the trigram index would find them in a quarter of
    # the time: its statistics leave out texts longer than 1 KB (most articles'), and it
    # counts a text's match as costing the same whatever its length.
    plan_every_hit = True
    # Copied from the article: what is public is decided when searching, by the rule of
    # Article.objects.public() applied to these copies (portal.search.Kind), and the hits
    # are read newest first, as articles are listed.
    status = models.CharField(max_length=10)
    publish_at = models.DateTimeField(null=True)

    class Meta(SearchText.Meta):
        verbose_name = _("searched text of an article")
        verbose_name_plural = _("searched texts of articles")


class PartnershipSearchText(SearchText):
    class Meta(SearchText.Meta):
        verbose_name = _("searched text of a partnership")
        verbose_name_plural = _("searched texts of partnerships")


class RegionSearchText(SearchText):
    class Meta(SearchText.Meta):
        verbose_name = _("searched text of a region")
        verbose_name_plural = _("searched texts of regions")


class AgreementSearchText(SearchText):
    pairs_through_index = True
    # Copied from the agreement, for the order of its hits (newest first, unknown dates
    # last) without reading the agreements themselves.
    signed_on = models.DateField(null=True)

    class Meta(SearchText.Meta):
        verbose_name = _("searched text of an agreement")
        verbose_name_plural = _("searched texts of agreements")
