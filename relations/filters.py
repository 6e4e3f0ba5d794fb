"""The one definition of the public filters: the lists use them, and so will the CSV export."""

import django_filters
from django import forms
from django.db.models import Count, Q
from django.urls import reverse_lazy
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.utils import get_translation_fields

from core.filters import FilterForm, LookupFilter, StrictFilterSet, YearFilter
from core.i18n import translated
from core.lookups import Lookup
from core.trigram import contains

from .models import Agreement, CooperationField, Level, Partnership, Region

# What the agreement list's search box looks in, in every language: the agreement's title,
# summary and venue (in the order of their trigram index, migration 0003), and the partner's
# name.
AGREEMENT_TEXT = tuple(get_translation_fields("title", "summary", "venue"))
PARTNER_NAMES = tuple(get_translation_fields("partner_region__name"))


def region_label(region):
    """Return the region's name and country, as a suggestion reads."""
    return f"{translated(region, 'name').text} ({region.country.name})"


# The agreement list's partner: one of thousands, typed rather than picked from a select.
PARTNER_LOOKUP = Lookup(records=Region.objects.partners, name="name", label=region_label)


def partnerships_named(text):
    """Return the ids of the partnerships whose partner's name, in any language, contains text.

    Runs one query. As a list of ids, the database combines it with a condition on the
    records' own text from indexes, instead of testing every record against both.
    """
    partnerships = Partnership.objects.order_by().filter(contains(PARTNER_NAMES, text))
    return list(partnerships.values_list("pk", flat=True))


def agreement_search(text):
    """Return a Q matching agreements with the text in any language of their title, summary,
    venue or partner's name. Runs one query (partnerships_named)."""
    return contains(AGREEMENT_TEXT, text) | Q(partnership__in=partnerships_named(text))


def _capitalized(choices):
    return [(value, capfirst(label)) for value, label in choices]


def partner_country_choices():
    """Return (ISO code, localized name) of the countries of partner regions, by name.

    Runs one query.
    """
    codes = (
        Region.objects.filter(partnerships_as_partner__isnull=False)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])


class AgreementFilterForm(FilterForm):
    def clean(self):
        cleaned_data = super().clean()
        year_from, year_to = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(
                _("The first year cannot be later than the last year."), code="year_order"
            )
        return cleaned_data


class PartnerCountryFilterSet(StrictFilterSet):
    """A strict filter set whose `country` filter offers the countries of partner regions."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated once here; a callable would run its query at validation and rendering.
        self.form.fields["country"].choices = partner_country_choices()


def partner_countries():
    """Return (ISO code, localized name, number of partner regions) of each country of
    partner regions, by name.

    Runs one query.
    """
    counted = Region.objects.partners().order_by().values_list("country").annotate(Count("pk"))
    return sorted(((code, countries.name(code), n) for code, n in counted), key=lambda c: c[1])


class RegionFilter(StrictFilterSet):
    """The region index's country: `countries` as partner_countries() returns them."""

    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))

    class Meta:
        model = Region
        fields = []
        form = FilterForm

    def __init__(self, *args, countries, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["country"].choices = [(code, name) for code, name, _n in countries]


class PartnershipFilter(PartnerCountryFilterSet):
    country = django_filters.ChoiceFilter(
        field_name="partner_region__country", label=_("Country"), empty_label=_("All countries")
    )
    level = django_filters.ChoiceFilter(
        choices=_capitalized(Level.choices), label=_("Level"), empty_label=_("All levels")
    )
    status = django_filters.ChoiceFilter(
        choices=_capitalized(Partnership.Status.choices),
        label=_("Status"),
        empty_label=_("All statuses"),
    )

    class Meta:
        model = Partnership
        fields = []
        form = FilterForm


class AgreementFilter(PartnerCountryFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=200,
        widget=forms.TextInput({"type": "search"}),
    )
    partner = LookupFilter(
        field_name="partnership__partner_region",
        lookup=PARTNER_LOOKUP,
        suggest_url=reverse_lazy("relations:filter_suggestions", kwargs={"name": "partner"}),
        label=_("Partner region"),
        help_text=_("Its name in any language, or the last part of its address."),
        not_found=_("No partner region matches “%(text)s”."),
        ambiguous=_("“%(text)s” could be several partner regions: choose one below."),
    )
    country = django_filters.ChoiceFilter(
        field_name="partnership__partner_region__country",
        label=_("Country"),
        empty_label=_("All countries"),
    )
    kind = django_filters.ChoiceFilter(
        choices=_capitalized(Agreement.Kind.choices), label=_("Kind"), empty_label=_("All kinds")
    )
    level = django_filters.ChoiceFilter(
        field_name="partnership__level",
        choices=_capitalized(Level.choices),
        label=_("Level of the partnership"),
        empty_label=_("All levels"),
    )
    status = django_filters.ChoiceFilter(
        choices=_capitalized(Agreement.Status.choices),
        label=_("Status"),
        empty_label=_("All statuses"),
    )
    field = django_filters.ModelChoiceFilter(
        field_name="fields",
        to_field_name="slug",
        queryset=CooperationField.objects.all(),
        label=_("Field of cooperation"),
        empty_label=_("All fields"),
    )
    year_from = YearFilter(
        field_name="signed_on", lookup_expr="year__gte", label=_("Signed from (year)")
    )
    year_to = YearFilter(
        field_name="signed_on", lookup_expr="year__lte", label=_("Signed until (year)")
    )

    class Meta:
        model = Agreement
        fields = []
        form = AgreementFilterForm

    def search(self, queryset, name, value):
        """Match the text in any language of the title, summary, venue or partner's name."""
        return queryset.filter(agreement_search(value))

    def quick_count(self):
        """Return how many agreements the list holds when something smaller than the
        agreements can tell; else None (the paginator counts the agreements).

        Runs one query. Unfiltered, or by country, level or partner: the sum of the kept
        counts of at most a few thousand partnerships. By field alone: its links, read from
        their index without visiting an agreement.
        """
        if not self.is_valid():
            return None
        used = {name: value for name, value in self.form.cleaned_data.items() if value}
        if used.keys() == {"field"}:
            return Agreement.fields.through.objects.filter(cooperationfield=used["field"]).count()
        if any(name not in PARTNERSHIP_FILTERS for name in used):
            return None
        partnerships = Partnership.objects.order_by()
        for name, value in used.items():
            field = self.filters[name]
            lookup = f"{field.field_name.removeprefix('partnership__')}__{field.lookup_expr}"
            partnerships = partnerships.filter(**{lookup: value})
        return partnerships.agreements_total()


# The agreement list's filters that are conditions on the partnership alone.
PARTNERSHIP_FILTERS = ("partner", "country", "level")
