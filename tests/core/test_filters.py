import django_filters
import pytest

from core.filters import FilterForm, StrictFilterSet, YearFilter
from relations.models import Agreement
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


class SignedInFilter(StrictFilterSet):
    year = YearFilter(field_name="signed_on", lookup_expr="year")
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)

    class Meta:
        model = Agreement
        fields = []
        form = FilterForm


def test_it_filters_by_valid_input():
    agreement = AgreementFactory()
    AgreementFactory(kind=Agreement.Kind.MOU)
    found = SignedInFilter({"year": "2020", "kind": "cooperation"}, Agreement.objects.all()).qs
    assert list(found) == [agreement]


@pytest.mark.parametrize("year", ["0", "10000", "twenty", "2020.5"])
def test_it_finds_nothing_when_any_input_is_invalid(year):
    AgreementFactory()
    filterset = SignedInFilter({"year": year, "kind": "cooperation"}, Agreement.objects.all())
    assert list(filterset.qs) == []
    assert "year" in filterset.form.errors


def test_its_form_renders_without_a_form_tag_of_its_own():
    form = SignedInFilter({}, Agreement.objects.all()).form
    assert form.helper.form_tag is False
