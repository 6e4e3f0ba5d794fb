import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.pagination import page_or_404
from relations.models import Agreement, Region
from tests.factories import AgreementFactory


def test_it_returns_the_page_asked_for(rf):
    page = page_or_404(rf.get("/", {"page": "2"}), list(range(25)), 10)
    assert list(page.object_list) == list(range(10, 20))


def test_it_returns_the_first_page_without_a_page_number(rf):
    assert page_or_404(rf.get("/"), list(range(5)), 10).number == 1


@pytest.mark.parametrize("number", ["4", "0", "-1", "two", "1e3"])
def test_it_answers_a_page_that_does_not_exist_with_a_404(rf, number):
    with pytest.raises(Http404):
        page_or_404(rf.get("/", {"page": number}), list(range(25)), 10)


# ---- DeepPaginator: any page costs about what the first does, and holds the same rows


@pytest.fixture
def agreements(db):
    # Ties on the date, and unknown dates, so that the order leans on its last key.
    dates = [datetime.date(2020, 1, 1), datetime.date(2021, 6, 1), None]
    return [AgreementFactory(signed_on=dates[n % 3]) for n in range(23)]


@pytest.mark.parametrize("number", range(1, 6))
def test_it_holds_the_rows_plain_slicing_holds_on_every_page(rf, agreements, number):
    everything = list(Agreement.objects.all())
    page = page_or_404(rf.get("/", {"page": number}), Agreement.objects.all(), 5)
    assert list(page.object_list) == everything[(number - 1) * 5 : number * 5]
    assert page.paginator.count == 23


@pytest.mark.parametrize("number", [1, 3, 5])
def test_it_reads_any_page_in_a_count_and_one_query(rf, agreements, number):
    request = rf.get("/", {"page": number})
    with CaptureQueriesContext(connection) as queries:
        list(page_or_404(request, Agreement.objects.all(), 5).object_list)
    assert len(queries) == 2


def test_it_slices_a_list_whose_order_is_not_total_as_usual(rf, agreements):
    regions = Region.objects.order_by("country")
    page = page_or_404(rf.get("/", {"page": 2}), regions, 10)
    assert list(page.object_list) == list(regions)[10:20]


def test_it_counts_no_further_than_its_limit(rf, agreements):
    request = rf.get("/", {"page": 2})
    page = page_or_404(request, Agreement.objects.all(), 5, count_limit=10)
    assert page.paginator.capped
    assert page.paginator.count == 10
    assert page.paginator.num_pages == 2
    assert list(page.object_list) == list(Agreement.objects.all())[5:10]
    with pytest.raises(Http404):
        page_or_404(rf.get("/", {"page": 3}), Agreement.objects.all(), 5, count_limit=10)


def test_it_counts_exactly_within_its_limit(rf, agreements):
    page = page_or_404(rf.get("/"), Agreement.objects.all(), 5, count_limit=23)
    assert not page.paginator.capped
    assert page.paginator.count == 23
