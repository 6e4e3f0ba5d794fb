"""Every public page of the relations app runs the same number of queries with 1× and 10× the data.

Intended to prevent n+1 queries: a page that queries per row grows with the data.
"""

import pytest
from django.urls import reverse

from relations.models import Agreement, Partnership
from tests.factories import MeetingFactory, WorkingGroupMemberFactory
from tests.pages import count_queries

from .helpers import agreement_with_people, partnership_with_records

pytestmark = pytest.mark.django_db


def _grow(partnership, times):
    """Add `times` more partnerships with records, and more records to the given one."""
    group = partnership.working_groups.get()
    for _ in range(times):
        partnership_with_records()
        agreement_with_people(partnership=partnership)
        WorkingGroupMemberFactory(group=group)
        MeetingFactory(group=group)


@pytest.fixture
def partnership():
    return partnership_with_records()


PAGES = {
    "partnership list": lambda p: reverse("relations:partnership_list"),
    "filtered partnership list": lambda p: (
        reverse("relations:partnership_list") + "?level=sisterhood&country=CN"
    ),
    "partnership detail": lambda p: p.get_absolute_url(),
    "partner region": lambda p: p.partner_region.get_absolute_url(),
    "home region": lambda p: p.home_region.get_absolute_url(),
    "region list": lambda p: reverse("relations:region_list"),
    "region list by country": lambda p: reverse("relations:region_list") + "?country=CN",
    "working group": lambda p: p.working_groups.get().get_absolute_url(),
    "agreement list": lambda p: reverse("relations:agreement_list"),
    "filtered agreement list": lambda p: (
        reverse("relations:agreement_list") + "?q=Agreement&level=sisterhood&year_from=2000"
    ),
    "agreement list by partner": lambda p: (
        reverse("relations:agreement_list") + f"?partner={p.partner_region.slug}"
    ),
    "agreement list by partner name": lambda p: (
        reverse("relations:agreement_list") + f"?partner={p.partner_region.name_en}"
    ),
    "agreement list, every filter": lambda p: (
        reverse("relations:agreement_list")
        + "?q=a&country=CN&kind=sisterhood&level=sisterhood&status=in_force"
        + f"&field={p.agreements.first().fields.first().slug}&year_from=2000&year_to=2030"
    ),
    "agreement detail": lambda p: p.agreements.order_by("pk").first().get_absolute_url(),
    "partner suggestions": lambda p: (
        reverse("relations:filter_suggestions", kwargs={"name": "partner"}) + "?q=Region"
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_it_runs_as_many_queries_with_ten_times_the_data(client, partnership, page):
    url = PAGES[page](partnership)
    before = count_queries(client, url)
    _grow(partnership, 9)
    assert Partnership.objects.count() == 10
    assert Agreement.objects.count() > 20
    assert count_queries(client, url) == before


def test_it_shows_the_partnership_detail_in_a_few_queries(
    client, partnership, django_assert_max_num_queries
):
    # partnership, agreements, participations, working groups, meetings, exchanges, articles
    with django_assert_max_num_queries(7):
        client.get(partnership.get_absolute_url())


def test_it_shows_a_working_group_in_a_few_queries(
    client, partnership, django_assert_max_num_queries
):
    url = partnership.working_groups.get().get_absolute_url()
    # the group with its partnership and regions, fields, members with people, meetings
    with django_assert_max_num_queries(4):
        client.get(url)


def test_it_shows_the_region_list_in_a_few_queries(client, partnership, django_assert_num_queries):
    # the countries with their counts (which count the page too), its rows, their
    # partnerships, the home region
    with django_assert_num_queries(4):
        client.get(reverse("relations:region_list"))
