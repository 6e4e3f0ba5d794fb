"""The sitemap's base class: every item in every language, with hreflang alternates.

Django's Sitemap builds one (item, language) pair per item and language in a Python list
before it paginates, which would load 100,000 agreements for every page of the sitemap.
`I18nSitemap` paginates the query instead: a page costs a COUNT and one slice. Each app
lists its own pages (relations.sitemaps, news.sitemaps); portal.sitemaps assembles them.
"""

import math

from django.contrib import sitemaps
from django.core.paginator import Paginator

from core.links import public_origin


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


class I18nSitemap(sitemaps.Sitemap):
    """A section of the sitemap, paginated by the database, at DJANGO_PUBLIC_URL when set."""

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
