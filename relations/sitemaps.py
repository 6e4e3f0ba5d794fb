"""The sitemap sections of partnerships, regions, agreements and working groups.

They read plain slugs and keys rather than model instances: cheaper for 100,000 rows, and
no post_init signal can ask for a deferred field one row at a time.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse

from core.sitemaps import I18nSitemap

from .models import Agreement, Partnership, Region, WorkingGroup


class PartnershipSitemap(I18nSitemap):
    priority = 0.7
    url_name, url_kwarg = "relations:partnership_detail", "slug"

    def items(self):
        return Partnership.objects.order_by("pk").values_list("slug", flat=True)

    def location(self, slug):
        return reverse("relations:partnership_detail", kwargs={"slug": slug})


class RegionSitemap(I18nSitemap):
    priority = 0.5
    url_name, url_kwarg = "relations:region_detail", "slug"

    def items(self):
        # Two EXISTS, each answered from its own index: one with an OR inside scans the
        # partnerships once for every region.
        as_home = Partnership.objects.filter(home_region=OuterRef("pk"))
        as_partner = Partnership.objects.filter(partner_region=OuterRef("pk"))
        regions = Region.objects.filter(Exists(as_home) | Exists(as_partner)).order_by("pk")
        return regions.values_list("slug", flat=True)

    def location(self, slug):
        return reverse("relations:region_detail", kwargs={"slug": slug})


class AgreementSitemap(I18nSitemap):
    priority = 0.5
    url_name, url_kwarg = "relations:agreement_detail", "pk"

    def items(self):
        return Agreement.objects.order_by("pk").values_list("pk", flat=True)

    def item_count(self):
        return Partnership.objects.agreements_total()

    def location(self, pk):
        return reverse("relations:agreement_detail", kwargs={"pk": pk})


class WorkingGroupSitemap(I18nSitemap):
    priority = 0.4
    url_name, url_kwarg = "relations:working_group_detail", "pk"

    def items(self):
        return WorkingGroup.objects.order_by("pk").values_list("pk", flat=True)

    def location(self, pk):
        return reverse("relations:working_group_detail", kwargs={"pk": pk})
