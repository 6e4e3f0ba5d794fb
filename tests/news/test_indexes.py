"""The news list and the article admin can use their indexes (PostgreSQL; migration 0004).

The tables here are tiny, so the planner is told to avoid sequential scans and sorts, as it
does by itself with 10,000 articles.
"""

import pytest
from django.contrib import admin
from django.db import connection

from news.models import Article
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    return queryset.explain()


def test_the_news_list_reads_public_articles_in_order_from_the_index():
    ArticleFactory()
    assert "news_article_public" in plan(Article.objects.public()[:10])


def test_the_admin_list_reads_every_article_in_order_from_the_index():
    ArticleFactory()
    assert "news_article_newest" in plan(Article.objects.all()[:50])


def test_the_admin_search_reads_the_trigram_index():
    ArticleFactory(slug="sisterhood")
    model_admin = admin.site._registry[Article]
    assert "news_article_searched" in plan(
        Article.objects.filter(model_admin.search_condition("sister")).order_by()
    )
