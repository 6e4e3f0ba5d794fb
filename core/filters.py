"""Base classes of the public list filters (django-filter): no domain fields here."""

import django_filters
from django import forms
from django.http import QueryDict

from .lookups import MAX_LENGTH
from .widgets import QuickSelect


class FilterForm(forms.Form):
    """The form of a public list's filters.

    templates/relations/_filter_panel.html renders it field by field, inside its own <form>,
    with Bootstrap's classes set here: its selects are QuickSelects, and a field with an
    error is marked `is-invalid`, which shows the message under it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = _quick(field.widget)
            bootstrap = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = bootstrap

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            attrs = self.fields[name].widget.attrs if name in self.fields else {}
            if "class" in attrs and "is-invalid" not in attrs["class"].split():
                attrs["class"] += " is-invalid"


def _quick(select):
    """Return a QuickSelect of the select's choices and attributes (the form's own copy)."""
    quick = QuickSelect(attrs=select.attrs, choices=select.choices)
    quick.is_required = select.is_required
    return quick


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that finds nothing when any input is invalid.

    django-filter ignores an invalid field and filters by the rest, which would show
    results the visitor did not ask for; the page shows the form's errors instead.
    """

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    def lookup_candidates(self):
        """Return (field label, [(record's label, query string)]) for each lookup field whose
        text could mean several records: links that filter by each of them instead.

        Call after validation.
        """
        found = []
        for name, field in self.form.fields.items():
            candidates = getattr(field, "candidates", None)
            if not candidates:
                continue
            links = []
            for record in candidates:
                query = QueryDict(mutable=True)
                query.update(self.data)
                query[name] = field.lookup.slug_of(record)
                query.pop("page", None)
                links.append((field.lookup.label(record), f"?{query.urlencode()}"))
            found.append((field.label, links))
        return found


class YearFilter(django_filters.NumberFilter):
    """A year from 1 to 9999: anything else is a form error, never a database error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        # Text, not type="number": a bad year from the address ("?year=abc") is shown back as
        # typed, next to its error, and a number input may not hold it (invalid HTML).
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


class LookupField(forms.CharField):
    """One record of thousands, typed as its slug or its name (core.lookups).

    Cleans to the record, or None when empty. Text that means no record, or several, is an
    error; `candidates` then holds the records it could mean, for the page to offer.
    """

    def __init__(self, *, lookup, suggest_url=None, not_found, ambiguous, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        super().__init__(**kwargs)
        self.lookup = lookup
        self.messages = {"not_found": not_found, "ambiguous": ambiguous}
        self.candidates = []
        # static/js/lookup.js offers the records as the visitor types; the form works without.
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        if suggest_url is not None:
            self.widget.attrs["data-suggest"] = suggest_url

    def clean(self, value):
        text = super().clean(value)
        self.candidates = []
        if not text:
            return None
        record, self.candidates = self.lookup.find(text)
        if record is None:
            code = "ambiguous" if self.candidates else "not_found"
            raise forms.ValidationError(self.messages[code], code=code, params={"text": text})
        return record


class LookupFilter(django_filters.Filter):
    """Filter by one record of thousands: an input for its slug or name, not a huge select.

    `lookup` (core.lookups.Lookup) says where to look; `suggest_url` is the JSON endpoint of
    the suggestions (core.lookups.suggestions_response), lazily reversed.
    """

    field_class = LookupField

    @property
    def lookup(self):
        return self.extra["lookup"]

    def filter(self, qs, value):
        return qs if value is None else qs.filter(**{self.field_name: value})
