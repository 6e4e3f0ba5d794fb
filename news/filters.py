"""The filters of the public news list: partnership, region and year of publication."""

from django.db.models import Exists, OuterRef
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, LookupFilter, StrictFilterSet, YearFilter
from core.lookups import Lookup
from relations.filters import region_label
from relations.models import Partnership, Region

from .models import Article


def regions_with_public_articles(request=None):
    """Regions that at least one public article concerns.

    Called per request: what is public depends on the clock.
    """
    articles = Article.objects.public().filter(regions=OuterRef("pk"))
    return Region.objects.filter(Exists(articles))


def _partnership_label(partnership):
    return region_label(partnership.partner_region)


# Thousands of each: typed rather than picked from a select (core.lookups).
PARTNERSHIP_LOOKUP = Lookup(
    records=Partnership.objects.with_regions, name="partner_region__name", label=_partnership_label
)
REGION_LOOKUP = Lookup(records=regions_with_public_articles, name="name", label=region_label)


def _suggestions(name):
    return reverse_lazy("news:filter_suggestions", kwargs={"name": name})


class ArticleFilter(StrictFilterSet):
    partnership = LookupFilter(
        field_name="partnerships",
        lookup=PARTNERSHIP_LOOKUP,
        suggest_url=_suggestions("partnership"),
        label=_("Partnership"),
        help_text=_("The partner region's name in any language, or the partnership's slug."),
        not_found=_("No partnership matches “%(text)s”."),
        ambiguous=_("“%(text)s” could be several partnerships: choose one below."),
    )
    region = LookupFilter(
        field_name="regions",
        lookup=REGION_LOOKUP,
        suggest_url=_suggestions("region"),
        label=_("Region"),
        help_text=_("Its name in any language, or the last part of its address."),
        not_found=_("No region with news matches “%(text)s”."),
        ambiguous=_("“%(text)s” could be several regions: choose one below."),
    )
    year = YearFilter(field_name="publish_at", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Article
        fields = []
        form = FilterForm
