"""Two app servers, one Redis: a page one caches the other serves, and a change saved through
one is seen through the other on the next request (portal.page_cache, core.cache)."""

import os

import pytest
from django.conf import settings
from django.urls import reverse

from core import cache as content_cache
from core.cache import flush_content_changes
from core.redis_cache import RedisCache
from portal import page_cache
from tests.factories import RegionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL") and not os.environ.get("PORTAL_REQUIRE_REDIS"),
        reason="needs Redis (REDIS_URL); CI sets it",
    ),
]


@pytest.fixture
def servers(monkeypatch):
    """Return a function that makes this process one of two app servers, each with its own
    connections to the one Redis and its own copies of the pages it served."""
    params = {"KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]}
    caches = [RedisCache(os.environ["REDIS_URL"], params) for _server in range(2)]
    pages = [page_cache.LocalPages(page_cache.LOCAL_PAGE_BYTES) for _server in range(2)]

    def become(index):
        monkeypatch.setattr(content_cache, "cache", caches[index])
        monkeypatch.setattr(page_cache, "cache", caches[index])
        monkeypatch.setattr(page_cache, "local_pages", pages[index])

    return become


def test_a_page_one_server_cached_is_served_by_the_other(
    client, servers, django_assert_num_queries
):
    region = RegionFactory(name_en="Jiangsu Province")
    url = reverse("relations:region_detail", kwargs={"slug": region.slug})
    servers(0)
    client.get(url)

    servers(1)
    with django_assert_num_queries(0):
        r = client.get(url)

    assert "Jiangsu Province" in r.content.decode()


def test_a_change_saved_through_one_server_shows_through_the_other(client, servers):
    region = RegionFactory(name_en="Jiangsu")
    url = reverse("relations:region_detail", kwargs={"slug": region.slug})
    servers(0)
    client.get(url)

    servers(1)
    region.name_en = "Jiangsu Province"
    region.save()
    flush_content_changes()  # what the commit of server 1's transaction does

    servers(0)
    assert "Jiangsu Province" in client.get(url).content.decode()
