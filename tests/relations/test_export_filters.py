"""Every filter of the agreement list, alone and combined, exports exactly the rows it lists."""

import datetime
import itertools

import pytest
from django.urls import reverse

from core.partial_dates import Precision
from relations.models import Agreement
from tests.factories import (
    AgreementFactory,
    CooperationFieldFactory,
    PartnershipFactory,
    RegionFactory,
)

from .helpers_export import export_url, exported_ids

pytestmark = pytest.mark.django_db

SINGLE_FILTERS = [
    "",
    "q=semiconductor",
    "q=반도체",
    "q=江苏",
    "q=Dodamso",
    "q=nothing-like-this",
    "partner=jiangsu",
    "partner=osaka",
    "country=CN",
    "country=JP",
    "kind=mou",
    "kind=sisterhood",
    "kind=renewal",
    "level=sisterhood",
    "level=friendship",
    "level=cooperation",
    "status=in_force",
    "status=terminated",
    "field=semiconductors",
    "field=tourism",
    "year_from=2015",
    "year_to=2015",
    "year_from=2011&year_to=2011",
]
COMBINED_FILTERS = [
    "country=CN&kind=mou",
    "country=CN&level=sisterhood&status=in_force",
    "partner=jiangsu&field=semiconductors&year_from=2020",
    "q=agreement&country=CN&year_to=2022",
    "q=tourism&field=tourism&status=expired",
    "level=cooperation&kind=cooperation&year_from=2000&year_to=2030",
    "partner=osaka&country=CN",
    "field=semiconductors&level=friendship&kind=mou&status=in_force&year_from=1990",
]


def _list_ids(client, query):
    """Return the ids the list shows for the query, over all its pages, in order."""
    url = reverse("relations:agreement_list")
    ids, number = [], 1
    while True:
        response = client.get(f"{url}?{query}&page={number}")
        assert response.status_code == 200
        page = response.context["page"]
        ids += [agreement.pk for agreement in page.object_list]
        if not page.has_next():
            return ids
        number += 1


def _partnership(slug, country, **names):
    return PartnershipFactory(
        partner_region=RegionFactory(slug=slug, country=country, **names),
    )


@pytest.fixture
def agreements():
    """Forty-odd agreements over three partners, kinds, statuses, fields and years."""
    jiangsu = _partnership("jiangsu", "CN", name_en="Jiangsu", name_zh_hans="江苏省")
    osaka = _partnership("osaka", "JP", name_en="Osaka")
    liaoning = _partnership("liaoning", "CN", name_en="Liaoning")
    semiconductors = CooperationFieldFactory(slug="semiconductors", name_en="Semiconductors")
    tourism = CooperationFieldFactory(slug="tourism", name_en="Tourism")
    AgreementFactory(partnership=jiangsu, kind=Agreement.Kind.SISTERHOOD, venue_en="Dodamso")
    AgreementFactory(partnership=osaka, kind=Agreement.Kind.FRIENDSHIP)
    kinds = [Agreement.Kind.MOU, Agreement.Kind.COOPERATION, Agreement.Kind.RENEWAL]
    statuses = list(Agreement.Status)
    field_sets = [[semiconductors], [tourism], [semiconductors, tourism], []]
    for n, partnership in zip(range(40), itertools.cycle([jiangsu, osaka, liaoning])):
        precision = [Precision.DAY, Precision.MONTH, Precision.YEAR][n % 3]
        AgreementFactory(
            partnership=partnership,
            kind=kinds[n % len(kinds)],
            status=statuses[n % len(statuses)],
            title_en=f"Agreement {n} on {['semiconductor', 'tourism', 'culture'][n % 3]}",
            title_ko=["반도체 협약", "", "관광 협약"][n % 3],
            signed_on=None if n % 11 == 0 else datetime.date(2005 + n % 20, 1 + n % 12, 1),
            signed_on_precision=precision,
            fields=field_sets[n % len(field_sets)],
        )
    assert Agreement.objects.count() == 42


def _assert_same_rows(client, queries):
    for query in queries:
        listed = _list_ids(client, query)
        response = client.get(export_url(query=query))
        assert response.status_code == 200, query
        assert exported_ids(response) == listed, query


def test_it_exports_the_rows_of_every_single_filter(client, agreements):
    _assert_same_rows(client, SINGLE_FILTERS)


def test_it_exports_the_rows_of_combined_filters(client, agreements):
    _assert_same_rows(client, COMBINED_FILTERS)


def test_the_checked_filters_select_something_and_not_everything(client, agreements):
    # Guards the two tests above against comparing empty or unfiltered lists only.
    sizes = {query: len(_list_ids(client, query)) for query in SINGLE_FILTERS}
    assert sizes[""] == 42
    assert sizes[""] > 20  # more than one page of the list
    interesting = [q for q in SINGLE_FILTERS if 0 < sizes[q] < 42]
    assert len(interesting) >= len(SINGLE_FILTERS) - 4


def test_it_ignores_the_page_of_the_list(client, agreements):
    response = client.get(export_url(query="country=CN&page=2"))
    assert exported_ids(response) == _list_ids(client, "country=CN")
