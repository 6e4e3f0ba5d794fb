"""The sitemap's base class: every item in every language, with hreflang alternates.

Django's Sitemap builds one (item, language) pair per item and language in a Python list
before it paginates, which would load 100,000 agreements for every page of the sitemap.
`I18nSitemap` paginates the query instead: a page costs a COUNT and one slice. Each app
lists its own pages (relations.sitemaps, news.sitemaps); portal.sitemaps assembles them.

It also writes each entry's XML itself (templates/sitemap.xml prints it): Django's way, a
reverse() in each language for every entry and each of its alternates and a template loop
over them, takes half a second for a page of 1,500 entries.
"""

import datetime
import math

from django.conf import settings
from django.contrib import sitemaps
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.links import public_origin

# A value that the slug and int path converters both take, to cut a reversed path around.
MARK = "8642097531"


class ItemsInLanguages:
    """The sequence of (item, language) pairs of a queryset or list, read one slice at a time."""

    def __init__(self, items, languages, total=None):
        self.items = items
        self.languages = languages
        self.total = total  # how many items there are, when the caller knows it already

    def count(self):
        items, total = self.items, self.total
        if total is None:
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
    # Counted in (item, language) entries, each with 4 alternates: a page of 1,000 entries is
    # about 450 kB and renders in 20 to 35 ms at national scale (a cache miss must stay under
    # 50 ms); 100,000 agreements in three languages make 300 pages, which the index lists.
    limit = 1000

    # Set both to build every path of a page from one reverse() per language: the URL's name
    # and its one argument, whose value `path_value(item)` gives. Else `location(item)`.
    url_name = None
    url_kwarg = None

    @property
    def paginator(self):
        items = ItemsInLanguages(self.items(), self._languages(), self.item_count())
        return Paginator(items, self.limit)

    def item_count(self):
        """Return how many items there are, when something cheaper than counting them can
        tell; None, and the paginator counts them."""
        return None

    def path_value(self, item):
        return item

    def get_urls(self, page=1, site=None, protocol=None):
        """Return the page's entries as Django's Sitemap does, each with its XML as `xml`."""
        origin = escape(f"{self.get_protocol(protocol)}://{self.get_domain(site)}")
        around = self._paths_around() if self.url_name else None
        urls, previous, lastmods = [], None, []
        for item, code in self.paginator.page(page).object_list:
            if previous is None or previous[0] is not item:
                previous = (item, self._locations(item, origin, around))
            locations = previous[1]
            lastmod = self.lastmod(item) if hasattr(self, "lastmod") else None
            lastmods.append(lastmod)
            urls.append(self._entry(item, locations[code], lastmod, locations))
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls

    def _paths_around(self):
        """Return {language: (path before the value, path after it)} of the URL's name."""
        around = {}
        for code in self._languages():
            with translation.override(code):
                before, after = reverse(self.url_name, kwargs={self.url_kwarg: MARK}).split(MARK)
            around[code] = (escape(before), escape(after))
        return around

    def _locations(self, item, origin, around):
        """Return {language: absolute URL} of the item in each of its languages."""
        codes = self.get_languages_for_item(item)
        if around is None:
            paths = {}
            for code in codes:
                with translation.override(code):
                    paths[code] = escape(self.location(item))
        else:
            value = escape(str(self.path_value(item)))
            paths = {code: f"{around[code][0]}{value}{around[code][1]}" for code in codes}
        return {code: f"{origin}{path}" for code, path in paths.items()}

    def _entry(self, item, location, lastmod, locations):
        priority = self.priority if not callable(self.priority) else self.priority(item)
        xml = [f"<url><loc>{location}</loc>"]
        if lastmod:
            if isinstance(lastmod, datetime.datetime) and timezone.is_aware(lastmod):
                lastmod = timezone.localtime(lastmod)
            xml.append(f"<lastmod>{lastmod:%Y-%m-%d}</lastmod>")
        if priority is not None:
            xml.append(f"<priority>{priority}</priority>")
        for code, href in locations.items():
            xml.append(f'<xhtml:link rel="alternate" hreflang="{code}" href="{href}"/>')
        default = settings.LANGUAGE_CODE
        if self.x_default and default in locations:
            href = locations[default].replace(f"/{default}/", "/", 1)
            xml.append(f'<xhtml:link rel="alternate" hreflang="x-default" href="{href}"/>')
        xml.append("</url>")
        # Safe: every value in it was escaped above, or is a language code or a number.
        return {
            "item": item,
            "location": location,
            "lastmod": lastmod,
            "xml": mark_safe("".join(xml)),
        }

    def get_protocol(self, protocol=None):
        origin = public_origin()
        return origin[0] if origin else super().get_protocol(protocol)

    def get_domain(self, site=None):
        origin = public_origin()
        return origin[1] if origin else super().get_domain(site)
