"""A long timeline is shown a page of whole years at a time, the newest years first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from relations.models import Agreement
from relations.timeline import TIMELINE_PAGE_ENTRIES, YearGroup, timeline_pages
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def _groups(*sizes, undated=0):
    groups = [YearGroup(2000 + index, [object()] * size) for index, size in enumerate(sizes)]
    return groups + ([YearGroup(None, [object()] * undated)] if undated else [])


def _years(pages):
    return [[group.year for group in page] for page in pages]


def test_it_keeps_years_whole_and_puts_the_newest_first():
    pages = timeline_pages(_groups(3, 3, 3, 3), size=6)

    assert _years(pages) == [[2002, 2003], [2000, 2001]]


def test_a_year_larger_than_a_page_has_a_page_of_its_own():
    assert _years(timeline_pages(_groups(2, 9, 2), size=6)) == [[2002], [2001], [2000]]


def test_undated_entries_go_with_the_newest_years():
    assert _years(timeline_pages(_groups(4, 4, undated=1), size=6)) == [[2001, None], [2000]]


def test_a_short_or_empty_timeline_is_one_page():
    assert _years(timeline_pages(_groups(1, 2))) == [[2000, 2001]]
    assert timeline_pages([]) == [[]]


@pytest.fixture
def long_partnership():
    """A partnership with two pages of agreements: 2 a year, from 1960."""
    partnership = PartnershipFactory()
    years = range(1960, 1960 + TIMELINE_PAGE_ENTRIES // 2 + 5)
    Agreement.objects.bulk_create(
        Agreement(
            partnership=partnership,
            kind=Agreement.Kind.COOPERATION,
            title_en=f"Agreement of {year} number {number}",
            signed_on=datetime.date(year, 1 + number, 1),
        )
        for year in years
        for number in range(2)
    )
    return partnership


def _get(client, partnership, query=""):
    with translation.override("en"):
        return client.get(partnership.get_absolute_url() + query)


def test_the_page_shows_the_newest_years_and_links_to_earlier_ones(client, long_partnership):
    html = _get(client, long_partnership).content.decode()

    assert "Agreement of 1994 number 1" in html
    assert "Agreement of 1960 number 0" not in html
    assert 'href="?timeline=2#timeline">Earlier years</a>' in html
    assert "Later years" not in html


def test_the_earlier_years_link_back_to_the_newest(client, long_partnership):
    html = _get(client, long_partnership, "?timeline=2").content.decode()

    assert "Agreement of 1960 number 0" in html
    assert "Agreement of 1994 number 1" not in html
    assert f'href="{long_partnership.get_absolute_url()}#timeline">Later years</a>' in html
    assert "Earlier years" not in html


@pytest.mark.parametrize("query", ["?timeline=3", "?timeline=0", "?timeline=abc"])
def test_a_page_of_the_timeline_that_does_not_exist_is_not_found(client, long_partnership, query):
    assert _get(client, long_partnership, query).status_code == 404


def test_each_page_runs_the_same_queries(client, long_partnership):
    counts = []
    for query in ("?timeline=1", "?timeline=2"):
        with CaptureQueriesContext(connection) as queries:
            assert _get(client, long_partnership, query).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] > 0


def test_the_links_read_in_the_visitors_language(client, long_partnership):
    with translation.override("ko"):
        html = client.get(long_partnership.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        later = client.get(long_partnership.get_absolute_url() + "?timeline=2")

    assert ">이전 연도</a>" in html
    assert ">更近的年份</a>" in later.content.decode()
