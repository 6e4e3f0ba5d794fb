import django_filters
import pytest
from django.http import QueryDict

from core.filters import FilterForm, LookupFilter, StrictFilterSet, YearFilter
from core.lookups import Lookup
from relations.models import Agreement, Region
from tests.factories import AgreementFactory, PartnershipFactory, RegionFactory

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


def test_its_year_input_shows_a_bad_year_as_typed():
    # A number input may not hold "twenty": the page would not be valid HTML.
    html = str(SignedInFilter({"year": "twenty"}, Agreement.objects.all()).form["year"])
    assert 'type="text"' in html
    assert 'inputmode="numeric"' in html
    assert 'value="twenty"' in html


# ---- LookupFilter: one record of thousands, typed as its slug or its name


def _partners(*names):
    return [
        PartnershipFactory(partner_region=RegionFactory(slug=slug, name_en=name)).partner_region
        for slug, name in names
    ]


class PartnerFilter(StrictFilterSet):
    partner = LookupFilter(
        field_name="partnership__partner_region",
        lookup=Lookup(records=Region.objects.partners, name="name", label=str),
        suggest_url="/suggest/",
        label="Partner",
        not_found="nothing for %(text)s",
        ambiguous="several for %(text)s",
    )

    class Meta:
        model = Agreement
        fields = []
        form = FilterForm


def test_it_prefers_the_slug_then_the_exact_name_then_a_single_partial_match():
    first, second = _partners(("lin", "Linping"), ("linping", "Linping City"))
    lookup = PartnerFilter.base_filters["partner"].lookup
    assert lookup.find("linping") == (second, [])  # the slug, though another is named so
    assert lookup.find("LINPING") == (first, [])  # no such slug: the exact name
    assert lookup.find("city") == (second, [])  # the only name that contains it
    assert lookup.find("ping") == (None, [first, second])
    assert lookup.find("nowhere") == (None, [])


def test_it_finds_a_slug_in_one_query_and_a_name_in_two(django_assert_num_queries):
    linping, _other = _partners(("linping", "Linping"), ("lin", "Lin"))
    lookup = PartnerFilter.base_filters["partner"].lookup
    with django_assert_num_queries(1):
        assert lookup.find("linping") == (linping, [])
    with django_assert_num_queries(2):
        assert lookup.find("Linpi") == (linping, [])


def test_it_filters_by_the_record_it_found():
    jiangsu, osaka = _partners(("jiangsu", "Jiangsu"), ("osaka", "Osaka"))
    agreement = AgreementFactory(partnership=jiangsu.partnerships_as_partner.get())
    AgreementFactory(partnership=osaka.partnerships_as_partner.get())
    assert list(PartnerFilter({"partner": "Jiangsu"}, Agreement.objects.all()).qs) == [agreement]


def test_it_links_each_record_an_unclear_text_could_mean_keeping_the_other_filters():
    _partners(("lin-a", "Lin A"), ("lin-b", "Lin B"))
    data = QueryDict("partner=lin&page=3&kind=mou&kind=other")
    filterset = PartnerFilter(data, Agreement.objects.all())
    assert list(filterset.qs) == []
    assert filterset.form.errors == {"partner": ["several for lin"]}
    assert filterset.lookup_candidates() == [
        (
            "Partner",
            [
                ("Lin A", "?partner=lin-a&kind=mou&kind=other"),
                ("Lin B", "?partner=lin-b&kind=mou&kind=other"),
            ],
        )
    ]


def test_it_says_when_nothing_matches_and_offers_nothing():
    filterset = PartnerFilter({"partner": "atlantis"}, Agreement.objects.all())
    assert list(filterset.qs) == []
    assert filterset.form.errors == {"partner": ["nothing for atlantis"]}
    assert filterset.lookup_candidates() == []


def test_it_renders_an_input_that_asks_for_suggestions():
    html = str(PartnerFilter({}, Agreement.objects.all()).form["partner"])
    assert 'type="text"' in html
    assert 'data-suggest="/suggest/"' in html
    assert 'autocomplete="off"' in html
