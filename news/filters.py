"""The filters of the public news list: partnership, region and year of publication."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, StrictFilterSet, YearFilter
from core.i18n import translated
from relations.models import Partnership, Region

from .models import Article


def _partner_name(partnership):
    return translated(partnership.partner_region, "name").text


def regions_with_public_articles(request=None):
    """Regions that at least one public article concerns.

    Called per request: what is public depends on the clock.
    """
    articles = Article.objects.public().filter(regions=OuterRef("pk"))
    return Region.objects.filter(Exists(articles))


class ArticleFilter(StrictFilterSet):
    partnership = django_filters.ModelChoiceFilter(
        field_name="partnerships",
        to_field_name="slug",
        queryset=Partnership.objects.with_regions(),
        label=_("Partnership"),
        empty_label=_("All partnerships"),
    )
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        to_field_name="slug",
        queryset=regions_with_public_articles,
        label=_("Region"),
        empty_label=_("All regions"),
    )
    year = YearFilter(field_name="publish_at", lookup_expr="year", label=_("Year"))

    class Meta:
        model = Article
        fields = []
        form = FilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["partnership"].label_from_instance = _partner_name
