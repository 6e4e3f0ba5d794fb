"""The sitemap: every public page in every language, with hreflang alternates.

Django's Sitemap builds one (item, language) pair per item and language in a Python list
before it paginates, which would load 100,000 agreements for every page of the sitemap.
`PortalSitemap` paginates the query instead: a page costs a COUNT and one slice.
"""

import math

from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from core.links import public_origin
from news.models import Article
from relations.models import Agreement, Partnership, Region


class ItemsInLanguages:
    """The sequence of (item, language) pairs of a queryset or list, read one slice at a time."""

    def __init__(self, items, languages):
        self.items = items
        self.languages = languages

    def count(self):
        items = self.items
        total = items.count() if hasattr(items, "model") else len(items)
        return total * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("ItemsInLanguages supports plain slices only")
        start, stop = index.start or 0, index.stop
        per_item = len(self.languages)
        first = start // per_item
        last = math.ceil(stop / per_item) if stop is not None else None
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        offset = first * per_item
        return pairs[start - offset : None if stop is None else stop - offset]


class ItemsInTheirLanguages:
    """The (item, language) pairs of items that each exist in some languages only.

    Sliced by item, not by pair: a page of `limit` items holds up to `limit` × languages
    entries, and the count is a plain COUNT of the items.
    """

    def __init__(self, items, languages_of):
        self.items = items
        self.languages_of = languages_of

    def count(self):
        return self.items.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("ItemsInTheirLanguages supports slices only")
        return [(item, code) for item in self.items[index] for code in self.languages_of(item)]


class PortalSitemap(sitemaps.Sitemap):
    i18n = True
    alternates = True
    x_default = True
    # Counted in (item, language) entries, each with 4 alternates: a page of 500 items is
    # about 700 kB and renders in under half a second; 100,000 agreements make 200 pages.
    limit = 1500

    @property
    def paginator(self):
        return Paginator(ItemsInLanguages(self.items(), self._languages()), self.limit)

    def get_protocol(self, protocol=None):
        origin = public_origin()
        return origin[0] if origin else super().get_protocol(protocol)

    def get_domain(self, site=None):
        origin = public_origin()
        return origin[1] if origin else super().get_domain(site)


class StaticPagesSitemap(PortalSitemap):
    priority = 0.8

    def items(self):
        return ["home", "relations:partnership_list", "relations:agreement_list"]

    def location(self, item):
        return reverse(item)


# The sections below read plain slugs and keys rather than model instances: cheaper for
# 100,000 rows, and no post_init signal can ask for a deferred field one row at a time.


class PartnershipSitemap(PortalSitemap):
    priority = 0.7

    def items(self):
        return Partnership.objects.order_by("pk").values_list("slug", flat=True)

    def location(self, slug):
        return reverse("relations:partnership_detail", kwargs={"slug": slug})


class RegionSitemap(PortalSitemap):
    priority = 0.5

    def items(self):
        in_partnership = Partnership.objects.filter(
            Q(home_region=OuterRef("pk")) | Q(partner_region=OuterRef("pk"))
        )
        regions = Region.objects.filter(Exists(in_partnership)).order_by("pk")
        return regions.values_list("slug", flat=True)

    def location(self, slug):
        return reverse("relations:region_detail", kwargs={"slug": slug})


class AgreementSitemap(PortalSitemap):
    priority = 0.5

    def items(self):
        return Agreement.objects.order_by("pk").values_list("pk", flat=True)

    def location(self, pk):
        return reverse("relations:agreement_detail", kwargs={"pk": pk})


class ArticleSitemap(PortalSitemap):
    """Every public article in each language it is written in, and only in those."""

    priority = 0.6
    # Counted in articles, each in up to three languages: at most 1,500 entries a page.
    limit = 500

    @property
    def paginator(self):
        items = ItemsInTheirLanguages(self.items(), self.get_languages_for_item)
        return Paginator(items, self.limit)

    def items(self):
        titles = [build_localized_fieldname("title", code) for code in self._languages()]
        articles = Article.objects.public().order_by("pk")
        return articles.values_list("slug", "updated_at", *titles, named=True)

    def get_languages_for_item(self, row):
        return [
            code
            for code in self._languages()
            if getattr(row, build_localized_fieldname("title", code))
        ]

    def location(self, row):
        return reverse("news:article_detail", kwargs={"slug": row.slug})

    def lastmod(self, row):
        return row.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "partnerships": PartnershipSitemap,
    "regions": RegionSitemap,
    "agreements": AgreementSitemap,
    "news": ArticleSitemap,
}
