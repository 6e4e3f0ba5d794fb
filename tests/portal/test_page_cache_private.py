"""The page cache never gives anyone a page meant for someone else: not to staff, not to a
visitor with a session, and never a CSRF token or a message (portal.page_cache)."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relations.models import Region
from tests.factories import ArticleFactory
from tests.relations.admin_posts import admin_url, region_data

pytestmark = pytest.mark.django_db

TEST_URLS = "tests.portal.urls_page_cache"


def token_of(response):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())[1]


# ---- Staff and sessions


def test_it_renders_every_page_for_staff(admin_client):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        r = admin_client.get(article.get_absolute_url())

    assert r.status_code == 200
    assert len(queries) > 0
    assert "ETag" not in r
    assert r["Vary"].endswith("Cookie")


def test_a_staff_members_page_shows_their_message_and_nobody_elses(admin_client):
    admin_client.post(admin_url(Region, "add"), region_data(name_en="Zhejiang Province"))
    visitor = Client()
    visitor.get("/en/partnerships/")

    staff_page = admin_client.get("/en/partnerships/").content.decode()
    visitor_page = visitor.get("/en/partnerships/").content.decode()

    assert "was added successfully" in staff_page
    assert "was added successfully" not in visitor_page


def test_it_never_stores_a_page_rendered_for_a_session(admin_client):
    article = ArticleFactory()
    admin_client.get(article.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        Client().get(article.get_absolute_url())

    assert len(queries) > 0


def test_it_renders_every_page_for_a_visitor_with_a_session_cookie(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-of-their-own"

    with CaptureQueriesContext(connection) as queries:
        client.get(article.get_absolute_url())

    assert len(queries) > 0


def test_it_serves_the_admin_uncached(admin_client):
    admin_client.get(reverse("admin:index"))

    with CaptureQueriesContext(connection) as queries:
        admin_client.get(reverse("admin:index"))

    assert len(queries) > 0


# ---- CSRF tokens, messages, private responses


@pytest.mark.urls(TEST_URLS)
def test_it_never_gives_one_visitor_another_visitors_csrf_token():
    first, second = Client().get("/en/test/form/"), Client().get("/en/test/form/")

    assert token_of(first) != token_of(second)
    assert settings.CSRF_COOKIE_NAME in second.cookies
    assert "ETag" not in second


@pytest.mark.urls(TEST_URLS)
def test_it_never_gives_one_visitor_another_visitors_message():
    saver = Client().get("/en/test/message/", headers={"x-save": "1"})
    assert "Your search was saved." in saver.content.decode()

    r = Client().get("/en/test/message/")

    assert "Your search was saved." not in r.content.decode()


@pytest.mark.urls(TEST_URLS)
def test_it_never_stores_a_page_that_says_not_to():
    first, second = Client().get("/en/test/never-cached/"), Client().get("/en/test/never-cached/")

    assert first.content != second.content


@pytest.mark.urls(TEST_URLS)
def test_it_never_stores_a_refusal():
    first, second = Client().get("/en/test/forbidden/"), Client().get("/en/test/forbidden/")

    assert second.status_code == 403
    assert first.content != second.content


def test_it_never_stores_the_preview_of_an_article(admin_client):
    article = ArticleFactory(title_en="Draft")
    url = reverse("news:article_preview", kwargs={"pk": article.pk})
    admin_client.get(url)

    r = Client().get(url)

    assert r.status_code == 302  # to the login page, not the staff's preview
