"""The page cache: a cached page is served without a query, and shows any change on the very
next request (portal.page_cache, core.cache)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.cache import content_changed
from news.models import Article
from relations.importing import agreement_import
from relations.models import Agreement, Region
from tests.factories import (
    AgreementFactory,
    ArticleFactory,
    CooperationFieldFactory,
    PartnershipFactory,
    RegionFactory,
)
from tests.portal.test_settings import PRODUCTION_ENV, manage
from tests.relations.helpers_import import World, agreement_row, csv_file

pytestmark = pytest.mark.django_db


def cached(client, url, django_assert_num_queries, **headers):
    """Request the page twice; return the second answer, which must cost no query."""
    first = client.get(url, headers=headers)
    with django_assert_num_queries(0):
        second = client.get(url, headers=headers)
    assert second.status_code == first.status_code
    return second


# ---- Hits


def test_it_serves_the_second_visit_without_a_query(client, django_assert_num_queries):
    article = ArticleFactory(title_en="Delegation visits Jiangsu")

    r = cached(client, article.get_absolute_url(), django_assert_num_queries)

    assert r.status_code == 200
    assert "Delegation visits Jiangsu" in r.content.decode()


def test_a_cached_page_carries_every_header_of_the_page_it_copies(client):
    article = ArticleFactory()

    first = client.get(article.get_absolute_url())
    second = client.get(article.get_absolute_url())

    assert dict(second.headers) == dict(first.headers)
    assert second.content == first.content
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
        "ETag",
    ):
        assert header in second.headers
    assert second["Vary"] == "Cookie"


@pytest.mark.parametrize(
    "url", ["/en/", "/ko/partnerships/", "/en/news/feed/", "/robots.txt", "/sitemap.xml"]
)
def test_it_caches_every_kind_of_public_page(client, django_assert_num_queries, url):
    PartnershipFactory()
    ArticleFactory()

    assert cached(client, url, django_assert_num_queries).status_code == 200


def test_it_keeps_a_page_for_each_language_of_an_unprefixed_url(client):
    korean = client.get("/robots.txt", headers={"accept-language": "ko"})
    english = client.get("/robots.txt", headers={"accept-language": "en"})

    assert (korean["Content-Language"], english["Content-Language"]) == ("ko", "en")
    assert "Accept-Language" in english["Vary"]


def test_it_keeps_a_page_for_each_query_string(client):
    ArticleFactory(title_en="First of many")
    client.get("/en/news/")

    r = client.get("/en/news/?page=2")

    assert r.status_code == 404


def test_it_answers_a_head_request_from_the_page_a_get_cached(client, django_assert_num_queries):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]

    with django_assert_num_queries(0):
        r = client.head(article.get_absolute_url())

    assert r.status_code == 200
    assert r["ETag"] == etag


def test_it_never_stores_a_download(client):
    AgreementFactory()
    url = reverse("relations:agreement_export")

    responses = [client.get(url), client.get(url)]

    # The limit of concurrent downloads still counts each: a stored copy would not stream.
    assert [r.streaming for r in responses] == [True, True]
    for response in responses:
        b"".join(response.streaming_content)


def test_a_cached_page_still_redirects_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    article = ArticleFactory()
    visitor = Client()  # its middleware reads the setting above
    assert visitor.get(article.get_absolute_url(), secure=True).status_code == 200

    r = visitor.get(article.get_absolute_url())

    assert r.status_code == 301
    assert r["Location"].startswith("https://")


@pytest.mark.parametrize(
    ("redis_url", "seconds"), [("", "0"), ("redis://127.0.0.1:6379/0", "86400")]
)
def test_it_caches_pages_in_production_only_in_a_cache_every_worker_shares(redis_url, seconds):
    show = "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)"

    result = manage("shell", "-c", show, env={**PRODUCTION_ENV, "REDIS_URL": redis_url})

    assert result.stdout.split()[-1] == seconds, result.stderr


# ---- Conditional GET


def test_it_answers_304_to_a_conditional_get_of_an_unchanged_page(
    client, django_assert_max_num_queries
):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]

    with django_assert_max_num_queries(1):
        r = client.get(article.get_absolute_url(), headers={"if-none-match": etag})

    assert r.status_code == 304
    assert r.content == b""
    assert r["ETag"] == etag


def test_it_answers_200_to_a_conditional_get_once_the_page_changed(client):
    article = ArticleFactory(title_en="Before")
    etag = client.get(article.get_absolute_url())["ETag"]
    article.title_en = "After"
    article.save()

    r = client.get(article.get_absolute_url(), headers={"if-none-match": etag})

    assert r.status_code == 200
    assert r["ETag"] != etag
    assert "After" in r.content.decode()


def test_it_answers_304_when_the_page_is_rendered_again_the_same(client):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    content_changed()  # nothing this page shows

    r = client.get(article.get_absolute_url(), headers={"if-none-match": etag})

    assert r.status_code == 304


# ---- Invalidation: each change shows on the very next request


def test_it_shows_a_renamed_region_at_once(client):
    region = RegionFactory(name_en="Jiangsu Province")
    url = reverse("relations:region_detail", kwargs={"slug": region.slug})
    client.get(url)
    region.name_en = "Jiangsu"
    region.save()

    assert "Jiangsu Province" not in client.get(url).content.decode()


def test_it_shows_a_published_article_at_once(client):
    article = ArticleFactory(title_en="Not yet public", status=Article.Status.DRAFT)
    assert "Not yet public" not in client.get("/en/news/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404

    article.status = Article.Status.PUBLISHED
    article.save()

    assert "Not yet public" in client.get("/en/news/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_it_hides_an_unpublished_article_at_once(client):
    article = ArticleFactory(title_en="Withdrawn")
    assert client.get(article.get_absolute_url()).status_code == 200
    client.get("/en/news/")

    article.status = Article.Status.DRAFT
    article.save()

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Withdrawn" not in client.get("/en/news/").content.decode()


def test_it_shows_a_scheduled_article_once_its_time_comes(client, django_assert_num_queries):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        ArticleFactory(title_en="Scheduled", publish_at=start + datetime.timedelta(hours=1))
        # Until then the page without it is served from the cache.
        assert (
            "Scheduled"
            not in cached(client, "/en/news/", django_assert_num_queries).content.decode()
        )

        traveller.shift(datetime.timedelta(hours=1, seconds=1))

        assert "Scheduled" in client.get("/en/news/").content.decode()


def test_it_shows_a_scheduled_article_whose_time_comes_while_nothing_was_written(
    client, django_assert_num_queries
):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        ArticleFactory(title_en="Later", publish_at=start + datetime.timedelta(days=2))
        ArticleFactory(title_en="Sooner", publish_at=start + datetime.timedelta(days=1))
        client.get("/en/news/")
        traveller.shift(datetime.timedelta(days=1, seconds=1))
        assert "Sooner" in client.get("/en/news/").content.decode()
        traveller.shift(datetime.timedelta(days=1))

        page = client.get("/en/news/").content.decode()

    assert "Later" in page


def test_it_shows_a_translation_at_once(client):
    article = ArticleFactory(title_en="Delegation visits Jiangsu")
    url = f"/ko{article.get_absolute_url().removeprefix('/en')}"
    assert "Delegation visits Jiangsu" in client.get(url).content.decode()

    article.title_ko = "장쑤성 대표단 방문"
    article.save()

    assert "장쑤성 대표단 방문" in client.get(url).content.decode()


def test_it_forgets_a_deleted_agreement_at_once(client):
    agreement = AgreementFactory(title_en="Memorandum on ports")
    url = agreement.get_absolute_url()
    assert client.get(url).status_code == 200
    client.get("/en/agreements/")

    agreement.delete()

    assert client.get(url).status_code == 404
    assert "Memorandum on ports" not in client.get("/en/agreements/").content.decode()


def test_it_shows_a_new_link_at_once(client):
    agreement = AgreementFactory()
    field = CooperationFieldFactory(name_en="Maritime affairs")
    client.get(agreement.get_absolute_url())

    agreement.fields.add(field)

    assert "Maritime affairs" in client.get(agreement.get_absolute_url()).content.decode()


def test_it_finds_an_article_by_a_new_link_at_once(client):
    article = ArticleFactory(title_en="Delegation", slug="delegation")
    region = RegionFactory(name_en="Hubei")
    url = reverse("search") + "?q=Hubei"
    assert "/en/news/delegation/" not in client.get(url).content.decode()

    article.regions.add(region)
    assert "/en/news/delegation/" in client.get(url).content.decode()

    article.regions.remove(region)
    assert "/en/news/delegation/" not in client.get(url).content.decode()


def test_it_finds_an_article_by_its_region_renamed_at_once(client):
    partnership = PartnershipFactory(partner_region__name_en="Shandong")
    ArticleFactory(title_en="Delegation", slug="delegation", partnerships=[partnership])
    url = reverse("search") + "?q=Shanxi"
    assert "/en/news/delegation/" not in client.get(url).content.decode()

    region = partnership.partner_region
    region.name_en = "Shanxi"
    region.save()

    assert "/en/news/delegation/" in client.get(url).content.decode()


def test_it_shows_a_translation_in_the_feed_at_once(client):
    article = ArticleFactory(title_en="Delegation visits Jiangsu")
    assert 'xml:lang="en"><title>Delegation' in client.get("/zh-hans/news/feed/").content.decode()

    article.title_zh_hans = "江苏代表团来访"
    article.save()

    feed = client.get("/zh-hans/news/feed/").content.decode()
    assert '<entry xml:lang="zh-hans"><title>江苏代表团来访</title>' in feed


def test_it_shows_a_page_that_was_missing_once_it_exists(client):
    assert client.get("/en/news/coming-soon/").status_code == 404

    ArticleFactory(slug="coming-soon")

    assert client.get("/en/news/coming-soon/").status_code == 200


def test_it_shows_an_import_at_once(client):
    World()
    client.get("/en/agreements/")

    rows = [agreement_row(title="Imported agreement")]
    report = agreement_import(file=csv_file(rows), dry_run=False)

    assert report.ok, report.errors
    assert "Imported agreement" in client.get("/en/agreements/").content.decode()


def test_it_shows_a_write_without_signals_once_its_writer_says_so(client):
    region = RegionFactory(name_en="Liaoning")
    url = reverse("relations:region_detail", kwargs={"slug": region.slug})
    client.get(url)

    Region.objects.filter(pk=region.pk).update(name_en="Liaoning Province")
    content_changed()

    assert "Liaoning Province" in client.get(url).content.decode()


def test_it_shows_the_sample_data_at_once(client):
    client.get("/en/partnerships/")

    call_command("generate_sample_data", "--scale", "0.001", stdout=StringIO())

    assert Agreement.objects.exists()
    assert "sample-" in client.get("/en/partnerships/").content.decode()
