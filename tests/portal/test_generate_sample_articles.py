from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from news.models import Article
from news.rendering import render_markdown
from portal.search.documents import SOURCES
from portal.search.index import search_index_rebuild
from portal.search.models import ArticleSearchText

pytestmark = pytest.mark.django_db

SCALE = 0.01  # 100 articles
LANGUAGES = ("en", "ko", "zh_hans")


def generate(*args):
    out = StringIO()
    call_command("generate_sample_data", "--scale", str(SCALE), *args, stdout=out)
    return out.getvalue()


def sample_articles():
    return Article.objects.filter(slug__startswith="sample-")


def written(article):
    return tuple(code for code in LANGUAGES if getattr(article, f"title_{code}"))


def test_it_creates_a_hundredth_of_ten_thousand_articles():
    output = generate()
    assert sample_articles().count() == 100
    assert "100/100 articles" in output


def test_it_writes_articles_in_several_languages():
    generate()
    kinds = Counter((a.original_language, written(a)) for a in sample_articles())
    assert set(kinds) == {
        ("en", ("en",)),
        ("en", ("en", "ko")),
        ("en", ("en", "ko", "zh_hans")),
        ("ko", ("en", "ko")),
    }


def test_it_renders_every_body_as_saving_would():
    generate()
    for article in sample_articles():
        for code in LANGUAGES:
            body = getattr(article, f"body_{code}") or ""
            body_html = getattr(article, f"body_html_{code}")
            assert bool(body) == (code in written(article))
            assert body_html == render_markdown(body)
            assert "REGION" not in body + body_html
            assert "FIELD" not in body + body_html


def test_it_names_the_partner_region_in_every_language_written():
    generate()
    for article in sample_articles().prefetch_related("partnerships__partner_region"):
        regions = [p.partner_region for p in article.partnerships.all()]
        for code in written(article):
            title = getattr(article, f"title_{code}")
            assert any(getattr(region, f"name_{code}") in title for region in regions)


def test_it_mostly_publishes_over_past_years_and_keeps_some_back():
    generate()
    now = timezone.now()
    public = sample_articles().public()
    assert public.count() >= 70
    years = {a.publish_at.year for a in public}
    assert len(years) >= 5
    statuses = Counter(sample_articles().values_list("status", flat=True))
    assert set(statuses) == {"published", "draft", "review", "archived"}
    scheduled = sample_articles().filter(status="published", publish_at__gt=now)
    assert scheduled.exists()
    assert not public.filter(pk__in=scheduled).exists()
    assert not sample_articles().filter(status="published", publish_at=None).exists()


def test_it_tracks_the_revision_of_every_translation():
    generate()
    stale = 0
    for article in sample_articles():
        for code in LANGUAGES:
            revision = getattr(article, f"revision_{code}")
            assert (revision is None) == (code not in written(article))
        assert getattr(article, f"revision_{article.original_language}") == (
            article.original_revision
        )
        stale += any(article.is_translation_stale(code) for code in LANGUAGES)
    assert 0 < stale < 20


def test_it_links_every_article_to_partnerships_regions_and_fields():
    generate()
    articles = sample_articles().annotate(
        n_partnerships=Count("partnerships", distinct=True),
        n_regions=Count("regions", distinct=True),
        n_fields=Count("fields", distinct=True),
    )
    assert min(a.n_partnerships for a in articles) == 1
    assert max(a.n_fields for a in articles) <= 3
    for article in articles.prefetch_related("partnerships", "regions"):
        assert article.n_fields >= 1
        partners = {p.partner_region_id for p in article.partnerships.all()}
        assert partners <= {r.pk for r in article.regions.all()}
        assert {p.slug[:7] for p in article.partnerships.all()} == {"sample-"}


def test_it_replaces_its_articles_and_leaves_the_demo_article_alone():
    call_command("seed_demo", stdout=StringIO())
    generate()
    first = list(sample_articles().order_by("slug").values_list("slug", "title_en", "status"))
    generate("--replace")
    again = list(sample_articles().order_by("slug").values_list("slug", "title_en", "status"))
    assert again == first
    assert Article.objects.count() == 101
    demo = Article.objects.get(slug="from-friendship-to-sisterhood-gyeonggi-jiangsu")
    assert list(demo.partnerships.values_list("slug", flat=True)) == ["jiangsu"]


def test_its_searched_texts_are_those_a_rebuild_makes():
    """The links go in before their articles where the ids are known first (PostgreSQL):
    each article's text must still hold the names of its partnerships and regions."""
    generate()
    stored = {}
    for name, source in SOURCES.items():
        stored[name] = set(source.table.objects.values_list(*source.table_columns()))
    search_index_rebuild()
    for name, source in SOURCES.items():
        rebuilt = set(source.table.objects.values_list(*source.table_columns()))
        assert stored[name] == rebuilt, name
    article = sample_articles().prefetch_related("partnerships__partner_region").first()
    text = ArticleSearchText.objects.get(record_id=article.pk).text
    for partnership in article.partnerships.all():
        assert partnership.partner_region.name_en.upper() in text
