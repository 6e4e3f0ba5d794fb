"""The one definition of the public filters: the lists use them, and so will the CSV export."""

import django_filters
from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from modeltranslation.utils import build_localized_fieldname

from .models import Agreement, CooperationField, Level, Partnership, Region

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


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


class FilterForm(forms.Form):
    """A filter form that crispy-forms renders without its own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AgreementFilterForm(FilterForm):
    def clean(self):
        cleaned_data = super().clean()
        year_from, year_to = cleaned_data.get("year_from"), cleaned_data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(
                _("The first year cannot be later than the last year."), code="year_order"
            )
        return cleaned_data


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that finds nothing when any input is invalid.

    django-filter ignores an invalid field and filters by the rest, which would show
    results the visitor did not ask for; the page shows the form's errors instead.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated once here; a callable would run its query at validation and rendering.
        self.form.fields["country"].choices = partner_country_choices()

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class PartnershipFilter(StrictFilterSet):
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


class AgreementFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        max_length=200,
        widget=forms.TextInput({"type": "search"}),
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="partnership__partner_region",
        to_field_name="slug",
        queryset=Region.objects.partners(),
        label=_("Partner region"),
        empty_label=_("All partners"),
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
        lookups = Q()
        for language in LANGUAGE_CODES:
            for field in ("title", "summary", "venue", "partnership__partner_region__name"):
                lookups |= Q(**{f"{build_localized_fieldname(field, language)}__icontains": value})
        return queryset.filter(lookups)
