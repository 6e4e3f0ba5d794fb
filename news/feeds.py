"""The Atom feed of the public articles that exist in the visitor's language."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.i18n import text_in
from core.links import public_origin

from .models import Article

FEED_LENGTH = 20


def _public(path):
    """Return the path under DJANGO_PUBLIC_URL when it is set.

    Otherwise the syndication framework prefixes the request's host to the path.
    """
    origin = public_origin()
    return f"{origin[0]}://{origin[1]}{path}" if origin else path


class ArticleFeed(Feed):
    feed_type = Atom1Feed

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
        return Article.objects.public().written_in(language)[:FEED_LENGTH]

    def item_title(self, article):
        # Atom titles are plain text: the feed writer escapes them.
        return text_in(article, "title", get_language())

    def item_description(self, article):
        # Atom summaries are written with type="html".
        return escape(text_in(article, "summary", get_language()))

    def item_link(self, article):
        return _public(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return _("International Relations Office")
