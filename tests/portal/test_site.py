import re

import pytest
from django.contrib.staticfiles import finders
from django.db import DatabaseError
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from portal import views
from portal.context_processors import site
from tests.pages import sitemap_entries

pytestmark = pytest.mark.django_db


# ---- The root redirect


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "/ko/"),
        ("zh-CN,zh;q=0.9", "/zh-hans/"),
        ("en-US,en;q=0.9", "/en/"),
        ("fr-FR,fr;q=0.9", "/en/"),
        ("", "/en/"),
    ],
)
def test_it_redirects_the_root_to_the_browsers_language(client, accept_language, expected):
    r = client.get("/", headers={"accept-language": accept_language})
    assert r.status_code == 302
    assert r["Location"] == expected


# ---- The language switcher


def switcher_links(html):
    switcher = html[html.index('class="navbar-nav language-switcher"') :]
    switcher = switcher[: switcher.index("</ul>")]
    return re.findall(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>', switcher), switcher


def test_it_links_the_home_page_to_itself_in_every_language(client):
    links, switcher = switcher_links(client.get("/en/").content.decode())
    assert links == [("/en/", "English"), ("/ko/", "한국어"), ("/zh-hans/", "简体中文")]
    assert 'lang="ko"' in switcher
    assert 'lang="zh-hans"' in switcher


def test_it_marks_the_current_language(client):
    _links, switcher = switcher_links(client.get("/ko/").content.decode())
    current = re.findall(r"<a [^>]*aria-current=\"true\"[^>]*>([^<]*)</a>", switcher)
    assert current == ["한국어"]


def test_it_keeps_the_page_and_its_query_string_in_the_other_language(rf):
    # The partnership list is another helper's page; the links come from the context processor.
    request = rf.get("/en/partnerships/", {"level": "sisterhood"})
    urls = [link.url for link in site(request)["language_links"]]
    assert urls == [
        "/en/partnerships/?level=sisterhood",
        "/ko/partnerships/?level=sisterhood",
        "/zh-hans/partnerships/?level=sisterhood",
    ]


def test_it_keeps_a_detail_page_in_the_other_language(rf):
    with translation.override("ko"):
        request = rf.get("/ko/partnerships/jiangsu/")
        urls = [link.url for link in site(request)["language_links"]]
    assert urls == [
        "/en/partnerships/jiangsu/",
        "/ko/partnerships/jiangsu/",
        "/zh-hans/partnerships/jiangsu/",
    ]


def test_it_offers_the_home_page_in_other_languages_from_a_missing_page(client):
    r = client.get("/en/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "Page not found" in html
    links, _switcher = switcher_links(html)
    assert [url for url, _name in links] == ["/en/no-such-page/", "/ko/", "/zh-hans/"]
    assert 'rel="alternate"' not in html


# ---- hreflang and canonical links


def test_it_lists_every_language_as_an_alternate_with_the_request_host(client):
    html = client.get("/en/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/">' in html
    assert '<link rel="alternate" hreflang="ko" href="http://testserver/ko/">' in html
    assert '<link rel="alternate" hreflang="zh-hans" href="http://testserver/zh-hans/">' in html
    assert '<link rel="canonical" href="http://testserver/en/">' in html


def test_it_uses_the_public_url_for_alternates_when_set(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    html = client.get("/ko/").content.decode()
    assert '<link rel="alternate" hreflang="en" href="https://portal.example.org/en/">' in html
    assert '<link rel="canonical" href="https://portal.example.org/ko/">' in html
    assert "testserver" not in html


def test_it_lists_only_the_languages_a_view_names(rf):
    request = rf.get("/en/")
    html = render_to_string("base.html", {"available_languages": ["en", "ko"]}, request)
    assert 'hreflang="en" href=' in html
    assert 'hreflang="ko" href=' in html
    assert 'hreflang="zh-hans" href=' not in html


# ---- healthz


def test_it_reports_a_healthy_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.content == b"ok"
    assert r["Content-Type"].startswith("text/plain")
    assert "no-cache" in r["Cache-Control"]


@pytest.mark.parametrize("host", ["10.0.0.12", "10.0.0.12:8000", "[2001:db8::5]", "evil.example"])
def test_it_answers_a_probe_by_any_host(client, settings, host):
    """A load balancer probes each node at its address, which is not in ALLOWED_HOSTS."""
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    r = client.get("/healthz", HTTP_HOST=host)

    assert r.status_code == 200
    assert r.content == b"ok"


def test_it_still_refuses_unknown_hosts_elsewhere(client, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    assert client.get("/en/", HTTP_HOST="10.0.0.12").status_code == 400


def test_it_reports_an_unreachable_database(client, monkeypatch):
    def unreachable():
        raise DatabaseError("connection refused")

    monkeypatch.setattr(views.connection, "cursor", unreachable)
    r = client.get("/healthz")
    assert r.status_code == 503
    assert "no-cache" in r["Cache-Control"]


# ---- robots.txt


def test_it_allows_crawlers_everywhere_but_the_admin(client):
    r = client.get("/robots.txt")
    assert r["Content-Type"].startswith("text/plain")
    lines = r.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert [line for line in lines if line.startswith("Disallow")] == ["Disallow: /admin/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_it_names_the_sitemap_at_the_public_url(client, settings):
    settings.PUBLIC_URL = "https://portal.example.org"
    r = client.get("/robots.txt")
    assert "Sitemap: https://portal.example.org/sitemap.xml" in r.content.decode()


# ---- favicon.ico: asked for by every page that names no icon, the admin's among them


def test_it_sends_favicon_requests_to_the_emblem(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 302
    assert r["Location"] == static("img/emblem.svg")
    assert finders.find("img/emblem.svg")


# ---- The sitemap


def test_it_indexes_every_section_of_the_sitemap(client):
    r = client.get("/sitemap.xml")
    assert r.status_code == 200
    xml = r.content.decode()
    for section in ("pages", "partnerships", "regions", "agreements"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in xml


def test_it_lists_the_static_pages(client):
    entries = sitemap_entries(client.get("/sitemap-pages.xml").content.decode())
    assert "http://testserver/en/" in entries
    assert "http://testserver/ko/partnerships/" in entries
    assert "http://testserver/zh-hans/agreements/" in entries


# ---- Error pages


def test_it_renders_the_server_error_page_without_any_context():
    html = render_to_string("500.html")
    assert '<html lang="en">' in html
    assert "Something went wrong" in html
