import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client

pytestmark = pytest.mark.django_db

PUBLIC_URLS = (
    "/",
    "/en/",
    "/ko/partnerships/",
    "/en/agreements/",
    "/en/agreements/export.csv",
    "/zh-hans/news/",
    "/en/news/feed/",
    "/en/search/?q=x",
    "/en/no-such-page/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
)


@pytest.fixture
def unread_body(monkeypatch):
    """Fail the test if anything reads the request's body."""

    def read(self, *args, **kwargs):
        raise AssertionError("the request body was read")

    monkeypatch.setattr(WSGIRequest, "read", read)


@pytest.mark.parametrize("url", PUBLIC_URLS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_it_refuses_anything_but_get_and_head_without_reading_the_body(url, method, unread_body):
    r = Client().generic(method, url, data=b"x" * 50_000_000, content_type="text/plain")

    assert r.status_code == 405
    assert r["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("url", ["/en/", "/en/agreements/", "/robots.txt"])
def test_it_still_answers_head(url):
    assert Client().head(url).status_code == 200


def test_it_lets_the_admin_take_forms(client):
    r = client.post("/admin/login/", {"username": "nobody", "password": "wrong"})

    assert r.status_code == 200
    assert b"Please enter the correct username and password" in r.content
