"""The filter form's widgets carry Bootstrap's classes; a field with an error is marked."""

from django import forms

from core.filters import FilterForm
from core.widgets import QuickSelect


class KindForm(FilterForm):
    kind = forms.ChoiceField(choices=[("", "All"), ("mou", "MOU")], required=False)
    year = forms.IntegerField(required=False)


def test_selects_are_quick_and_every_widget_has_bootstraps_class():
    form = KindForm()

    assert isinstance(form.fields["kind"].widget, QuickSelect)
    assert form.fields["kind"].widget.attrs["class"] == "form-select"
    assert form.fields["year"].widget.attrs["class"] == "form-control"
    assert 'class="form-select"' in str(form["kind"])


def test_a_field_with_an_error_is_marked_once():
    form = KindForm({"kind": "nothing", "year": "2024"})
    form.full_clean()
    form.full_clean()

    assert form.fields["kind"].widget.attrs["class"] == "form-select is-invalid"
    assert form.fields["year"].widget.attrs["class"] == "form-control"
    assert 'aria-invalid="true"' in str(form["kind"])


def test_each_form_has_its_own_widgets():
    KindForm({"kind": "nothing"}).full_clean()

    assert KindForm().fields["kind"].widget.attrs["class"] == "form-select"
