"""Base classes of the public list filters (django-filter): no domain fields here."""

import django_filters
from crispy_forms.helper import FormHelper
from django import forms


class FilterForm(forms.Form):
    """A filter form that crispy-forms renders without its own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that finds nothing when any input is invalid.

    django-filter ignores an invalid field and filters by the rest, which would show
    results the visitor did not ask for; the page shows the form's errors instead.
    """

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)


class YearFilter(django_filters.NumberFilter):
    """A year from 1 to 9999: anything else is a form error, never a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)
