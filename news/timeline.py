"""Public news articles in the timelines of the partnerships they concern."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import translated
from core.partial_dates import PartialDate, Precision
from relations.timeline import SOURCES, Entry, Source

from .models import Article


class PublicArticles:
    """The prefetch lookups of the news source, built afresh at each use.

    What is public depends on the clock, so the queryset cannot be built once at import.
    """

    def __iter__(self):
        yield Prefetch("articles", queryset=Article.objects.public(), to_attr="timeline_articles")


def article_entries(partnership):
    for article in partnership.timeline_articles:
        yield Entry(
            kind="news",
            label=_("news"),
            date=PartialDate(timezone.localdate(article.publish_at), Precision.DAY),
            title=translated(article, "title"),
            url=reverse("news:article_detail", kwargs={"slug": article.slug}),
            order=5,
        )


NEWS_SOURCE = Source(prefetch=PublicArticles(), entries=article_entries)


def register():
    """Add the news source to the partnership timeline, once."""
    if NEWS_SOURCE not in SOURCES:
        SOURCES.append(NEWS_SOURCE)
