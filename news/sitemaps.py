"""The sitemap section of the news: each public article in the languages it is written in."""

from django.core.paginator import Paginator
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from core.sitemaps import I18nSitemap, ItemsInTheirLanguages

from .models import Article


class ArticleSitemap(I18nSitemap):
    """Every public article in each language it is written in, and only in those."""

    priority = 0.6
    url_name, url_kwarg = "news:article_detail", "slug"
    # Counted in articles, each in up to three languages: at most 900 entries a page.
    limit = 300

    @property
    def paginator(self):
        items = ItemsInTheirLanguages(self.items(), self.get_languages_for_item)
        return Paginator(items, self.limit)

    def items(self):
        # Plain rows, not instances: the slug, the date and a title per language.
        titles = [build_localized_fieldname("title", code) for code in self._languages()]
        articles = Article.objects.public().order_by("pk")
        return articles.values_list("slug", "updated_at", *titles, named=True)

    def get_languages_for_item(self, row):
        return [
            code
            for code in self._languages()
            if getattr(row, build_localized_fieldname("title", code))
        ]

    def path_value(self, row):
        return row.slug

    def location(self, row):
        return reverse("news:article_detail", kwargs={"slug": row.slug})

    def lastmod(self, row):
        return row.updated_at
