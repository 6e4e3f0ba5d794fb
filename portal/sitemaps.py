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

from relations.models import Agreement, Partnership, Region

from .links import public_origin


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


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "partnerships": PartnershipSitemap,
    "regions": RegionSitemap,
    "agreements": AgreementSitemap,
}
