"""Reading public pages in tests: how many queries a page runs, what a sitemap page lists,
which pages there are."""

import re
from urllib.parse import parse_qsl, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """Return the number of queries a GET of the page runs; the page must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def sitemap_entries(xml):
    """Return {location: {hreflang: href}} for every <url> of a sitemap page."""
    entries = {}
    for url in re.findall(r"<url>(.*?)</url>", xml, flags=re.S):
        location = re.search(r"<loc>(.*?)</loc>", url).group(1)
        entries[location] = dict(re.findall(r'hreflang="([^"]+)" href="([^"]+)"', url))
    return entries


# Pages that no sitemap lists: lists with filters (a form error and a name that means several
# records among them), search, a page that does not exist. With the demo data (seed_demo).
UNLISTED_PAGES = (
    "/en/partnerships/?level=sisterhood&country=CN",
    "/ko/partnerships/?status=unknown",
    "/en/regions/?country=CN",
    "/en/agreements/?kind=sisterhood&year_from=2020&year_to=2024",
    "/zh-hans/agreements/?year_from=2024&year_to=2020",
    "/en/agreements/?partner=province",
    "/ko/agreements/?partner=nowhere",
    "/en/news/",
    "/ko/news/?year=2024",
    "/zh-hans/news/?year=abc",
    "/zh-hans/news/from-friendship-to-sisterhood-gyeonggi-jiangsu/",
    "/en/search/",
    "/en/search/?q=jiangsu",
    "/ko/search/?q=장쑤",
    "/zh-hans/search/?q=江苏",
    "/en/search/?q=nothing+matches+this",
    "/ko/search/?q=" + "x" * 101,
    "/en/no-such-page/",
    "/ko/no-such-page/",
    "/zh-hans/no-such-page/",
)


def public_pages(client):
    """Return the path of every page the sitemap lists, in every language, then UNLISTED_PAGES."""
    paths = []
    for section in re.findall(r"<loc>(.*?)</loc>", client.get("/sitemap.xml").text):
        xml = client.get(urlsplit(section).path, dict(parse_qsl(urlsplit(section).query))).text
        for location, alternates in sitemap_entries(xml).items():
            languages = [href for code, href in alternates.items() if code != "x-default"]
            paths += [urlsplit(url).path for url in [location, *languages]]
    return list(dict.fromkeys(paths)) + list(UNLISTED_PAGES)
