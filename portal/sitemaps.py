"""The sitemap: the site's own pages, and each app's sections, in the order of the index."""

from django.urls import reverse

from core.sitemaps import I18nSitemap
from news.sitemaps import ArticleSitemap
from relations.sitemaps import (
    AgreementSitemap,
    PartnershipSitemap,
    RegionSitemap,
    WorkingGroupSitemap,
)


class StaticPagesSitemap(I18nSitemap):
    priority = 0.8

    def items(self):
        return [
            "home",
            "relations:partnership_list",
            "relations:region_list",
            "relations:agreement_list",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "partnerships": PartnershipSitemap,
    "regions": RegionSitemap,
    "agreements": AgreementSitemap,
    "working-groups": WorkingGroupSitemap,
    "news": ArticleSitemap,
}
