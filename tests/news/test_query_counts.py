"""The news pages run the same number of queries with 1× and 10× the articles.

Intended to prevent n+1 queries: a page that queries per article grows with the data.
"""

import pytest
from django.urls import reverse

from tests.factories import PartnershipFactory, RegionFactory
from tests.pages import count_queries

from .helpers_public import bilingual_article, with_hero

pytestmark = pytest.mark.django_db


def _article(partnership):
    """An article in two languages with an image, two partnerships and two regions."""
    article = with_hero(bilingual_article(partnerships=[partnership, PartnershipFactory()]))
    article.regions.set([partnership.partner_region, RegionFactory()])
    return article


@pytest.fixture
def partnership():
    return PartnershipFactory(partner_region=RegionFactory(slug="jiangsu", name_en="Jiangsu"))


@pytest.fixture
def article(partnership):
    return _article(partnership)


PAGES = {
    "list": lambda a: reverse("news:article_list"),
    "filtered list": lambda a: reverse("news:article_list") + "?partnership=jiangsu&year=2024",
    "list by region name": lambda a: reverse("news:article_list") + "?region=Jiangsu",
    "region suggestions": lambda a: "/en/news/suggestions/region/?q=a",
    "partnership suggestions": lambda a: "/en/news/suggestions/partnership/?q=a",
    "list in Korean": lambda a: "/ko/news/",
    "detail": lambda a: a.get_absolute_url(),
    "detail with fallback": lambda a: f"/zh-hans/news/{a.slug}/",
    "feed": lambda a: reverse("news:article_feed"),
    "sitemap page": lambda a: "/sitemap-news.xml",
    "sitemap index": lambda a: "/sitemap.xml",
    "home": lambda a: reverse("home"),
    "partnership detail": lambda a: "/en/partnerships/jiangsu/",
}


@pytest.mark.parametrize("page", PAGES)
def test_it_runs_as_many_queries_with_ten_times_the_articles(client, partnership, article, page):
    url = PAGES[page](article)
    before = count_queries(client, url)
    for _ in range(9):
        _article(partnership)
    assert partnership.articles.count() == 10
    assert count_queries(client, url) == before


def test_it_shows_the_list_in_a_few_queries(client, article, django_assert_num_queries):
    # count, page of articles, their partnerships: the filters list no choices
    with django_assert_num_queries(3):
        client.get(reverse("news:article_list"))


def test_it_shows_an_article_in_a_few_queries(client, article, django_assert_num_queries):
    # the article, its partnerships, its regions, its change notes
    with django_assert_num_queries(4):
        client.get(article.get_absolute_url())


def test_it_writes_the_feed_in_one_query(client, article, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("news:article_feed"))
