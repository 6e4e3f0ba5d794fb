"""The Atom feed of the news list: the articles the list shows, in the visitor's language or,
for an article not written in it, in the first language it is written in (core.i18n), each
entry marked with the language of its text."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.i18n import translated
from core.links import public_origin

from .models import Article, ChangeNote

FEED_LENGTH = 20
# The `updated` of a feed with no entry: a fixed time, so that it reads the same on every
# request until an article appears.
EMPTY_FEED_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _public(path):
    """Return the path under DJANGO_PUBLIC_URL when it is set.

    Otherwise the syndication framework prefixes the request's host to the path.
    """
    origin = public_origin()
    return f"{origin[0]}://{origin[1]}{path}" if origin else path


class ArticleAtomFeed(Atom1Feed):
    """Atom, with each entry's language (`xml:lang`), and the feed updated when the newest
    entry was, not at the time of the request."""

    def item_attributes(self, item):
        return {"xml:lang": item["language"]}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        summary = item["summary"]
        if summary.text:
            # Atom summaries are written with type="html": the text's markup is escaped.
            attributes = {"type": "html"}
            if summary.lang != item["language"]:
                attributes["xml:lang"] = summary.lang
            handler.addQuickElement("summary", escape(summary.text), attributes)

    def latest_post_date(self):
        updated = [item["updateddate"] for item in self.items if item["updateddate"]]
        return max(updated, default=EMPTY_FEED_UPDATED)


class ArticleFeed(Feed):
    feed_type = ArticleAtomFeed

    def get_object(self, request):
        # The feed's language is the one of the URL prefix, set by LocaleMiddleware.
        return get_language()

    def title(self, language):
        return _("News from the International Relations Office")

    def subtitle(self, language):
        return _("Announcements of the office about its partnerships with regions abroad.")

    def link(self, language):
        return _public(reverse("news:article_list"))

    def feed_url(self, language):
        return _public(reverse("news:article_feed"))

    def author_name(self, language):
        return _("International Relations Office")

    def items(self, language):
        newest_note = ChangeNote.objects.filter(article=OuterRef("pk")).order_by("-date")
        articles = Article.objects.listed()
        return articles.annotate(noted_on=Subquery(newest_note.values("date")[:1]))[:FEED_LENGTH]

    def item_title(self, article):
        # Atom titles are plain text: the feed writer escapes them.
        return translated(article, "title").text

    def item_description(self, article):
        # None: the feed writer adds the summary, with its language (ArticleAtomFeed).
        return None

    def item_extra_kwargs(self, article):
        # The entry is in the language of its title, as the article's page is.
        title = translated(article, "title")
        return {"language": title.lang, "summary": translated(article, "summary", title.lang)}

    def item_link(self, article):
        return _public(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        """Return when the article last changed for its readers: its newest change note's day
        (its start, in the office's time zone), else its publish time."""
        if article.noted_on is None:
            return article.publish_at
        start = datetime.datetime.combine(article.noted_on, datetime.time())
        noted = timezone.make_aware(start).astimezone(datetime.UTC)
        # A note of the day it was published dates a change made after publishing.
        return max(noted, article.publish_at)

    def item_author_name(self, article):
        return _("International Relations Office")
